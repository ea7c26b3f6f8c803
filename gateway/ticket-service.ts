import { systemClock, type Clock } from '../contracts/clock.js';
import type { ChannelId } from '../contracts/channel-ids.js';
import type { Db } from '../storage/db.js';
import type { CustomerUpdates } from './customer-updates.js';
import type { OutboxStore } from '../storage/outbox.store.js';
import { DeferredWrites } from '../storage/deferred-writes.store.js';
import { TICKET_STATUSES, type Ticket, type TicketPatch, type TicketStatus, type TicketStore } from '../storage/ticket.store.js';
import { BadRequestError, ConflictError, NotFoundError } from './errors.js';
import type { SlaConfig } from '../config/sla.schema.js';
import type { CategoriesSettings } from '../config/categories.schema.js';
import { OTHER } from '../nlp/understanding.js';
import type { LabelledExampleStore } from '../storage/labelled-example.store.js';
import { outboundPayload, replyTargetFor } from './reply-target.js';
import type { TicketChange, TicketChangeReason } from './ticket-events-bus.js';
import { nextCheckAt, pauseStored, resumeStored, type StoredSla } from './sla/ticket-sla.js';

/** Which status changes an agent may make. */
const TRANSITIONS: Record<TicketStatus, TicketStatus[]> = {
  new: ['open', 'pending_customer', 'resolved', 'closed'],
  open: ['pending_customer', 'resolved', 'closed'],
  pending_customer: ['open', 'resolved', 'closed'],
  resolved: ['reopened', 'closed'],
  closed: ['reopened'],
  reopened: ['open', 'pending_customer', 'resolved', 'closed'],
};

export interface AgentPatch {
  status?: TicketStatus;
  assignee?: string | null;
  queue?: string;
  priority?: string;
  /** A category code of the active categories.yaml, or OTHER. */
  category?: string;
  /** A sub-code of the (new or current) category; null clears it. */
  subcategory?: string | null;
}

/** What a category correction needs: the active codes, and where the labelled example goes. */
export interface LabelDeps {
  categories: () => CategoriesSettings;
  examples: LabelledExampleStore;
}

/**
 * The category and sub-code a patch asks for, checked against the active codes. A new
 * category without a sub-code drops the old sub-code (it belonged to the old category).
 */
export function resolveLabel(
  config: CategoriesSettings,
  current: { category: string | null; subcategory: string | null },
  patch: Pick<AgentPatch, 'category' | 'subcategory'>,
): { category: string | null; subcategory: string | null } {
  const codes = [...config.categories.map((c) => c.code), OTHER];
  let category = current.category;
  if (patch.category !== undefined) {
    const wanted = patch.category.trim().toUpperCase();
    if (!codes.includes(wanted)) throw new BadRequestError(`unknown category "${patch.category}"; valid categories: ${codes.join(', ')}`);
    category = wanted;
  }
  const subs = config.categories.find((c) => c.code === category)?.subcategories.map((s) => s.code) ?? [];
  let subcategory = category === current.category ? current.subcategory : null;
  if (patch.subcategory === null) subcategory = null;
  else if (patch.subcategory !== undefined) {
    const wanted = patch.subcategory.trim().toUpperCase();
    if (!subs.includes(wanted)) {
      const valid = subs.length > 0 ? `valid sub-codes of ${category}: ${subs.join(', ')}` : `${category ?? 'an unclassified ticket'} has no sub-codes`;
      throw new BadRequestError(`subcategory "${patch.subcategory}" is not a sub-code of ${category ?? "the ticket's category"}; ${valid}`);
    }
    subcategory = wanted;
  }
  return { category, subcategory };
}

/** What the live stream calls the fields a patch changed, in the order a console cares about them. */
function changeReasons(fields: ReadonlyArray<keyof TicketPatch>): TicketChangeReason[] {
  const order: Array<[TicketChangeReason, Array<keyof TicketPatch>]> = [
    ['status', ['status']],
    ['assignee', ['assignee']],
    ['queue', ['queue']],
    ['priority', ['priority']],
    ['category', ['category', 'subcategory']],
  ];
  return order.filter(([, of]) => of.some((f) => fields.includes(f))).map(([reason]) => reason);
}

/** Agent-side ticket operations: replies through the customer's channel, and field changes with audit events. */
export class TicketService {
  constructor(
    private readonly db: Db,
    private readonly tickets: TicketStore,
    private readonly outbox: OutboxStore,
    private readonly sla: () => SlaConfig,
    private readonly onQueued?: () => void,
    private readonly labels?: LabelDeps,
    /** Who may be an assignee (known agents); without it any name is taken. */
    private readonly agents?: { assertKnown(name: string): Promise<void> },
    /** Told after each committed change (the console's live stream). */
    private readonly onChanged?: (change: TicketChange) => void,
    /** Tells the customer when their ticket moves (progress messages, the satisfaction question). */
    private readonly customerUpdates?: CustomerUpdates,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Keeps the SLA clock in step with the ticket: first response met, paused while waiting on the customer, resolved. */
  private async updateClock(
    trx: Parameters<Parameters<Db['transaction']>[0]>[0],
    ticket: Ticket,
    now: number,
    change: { firstResponse?: boolean; status?: TicketStatus },
  ): Promise<void> {
    let s = ticket.sla as StoredSla | null;
    if (!s) return;
    if (change.firstResponse && s.firstRespondedAt === undefined) s = { ...s, firstRespondedAt: now };
    const to = change.status;
    if (to === 'pending_customer') s = pauseStored(s, now);
    else if (to && ticket.status === 'pending_customer') s = resumeStored(this.sla(), s, now);
    if (to === 'resolved' || to === 'closed') s = { ...s, resolvedAt: s.resolvedAt ?? now };
    if (to === 'reopened') {
      const { resolvedAt: _dropped, ...rest } = s;
      s = rest;
    }
    await this.tickets.setSla(trx, ticket.id, { ...s }, to === 'closed' ? null : nextCheckAt(s), {
      firstResponseDueAt: s.firstResponseDueAt,
      resolutionDueAt: s.resolutionDueAt,
    });
  }

  /** Finds a ticket by numeric id or by its number (C-20261124-0042). */
  async find(idOrNumber: string): Promise<Ticket> {
    // Digits are an id (too many digits name no ticket); anything else is a ticket number.
    const t = /^\d+$/.test(idOrNumber)
      ? Number.isSafeInteger(Number(idOrNumber))
        ? await this.tickets.get(this.db, Number(idOrNumber))
        : undefined
      : idOrNumber.length <= 64
        ? await this.tickets.getByNumber(this.db, idOrNumber.toUpperCase())
        : undefined;
    if (!t) throw new NotFoundError(`ticket ${idOrNumber} does not exist`);
    return t;
  }

  /** Queues an agent's reply on the channel of the customer's latest message (or the one asked for). */
  async reply(idOrNumber: string, input: { text: string; html?: string; channel?: ChannelId }, actor: string) {
    const ticket = await this.find(idOrNumber);
    const result = await this.db.transaction(async (trx) => {
      const last = await this.tickets.lastInbound(trx, ticket.id, input.channel);
      if (!last)
        throw new BadRequestError(
          input.channel ? `the customer never wrote on channel "${input.channel}" for this ticket` : 'this ticket has no customer message to answer',
        );
      const target = replyTargetFor({ ...last, threadKey: (last.meta.threadKey as string | undefined) ?? null });
      const now = this.clock.now();
      const messageId = await this.tickets.addMessage(trx, {
        ticketId: ticket.id,
        direction: 'out',
        author: 'agent',
        authorId: actor,
        channel: target.channel,
        toAddress: target.to,
        fromAddress: target.from ?? null,
        subject: ticket.subject,
        text: input.text,
        language: ticket.language,
        meta: { kind: 'agent_reply' },
        deliveryStatus: 'queued',
        createdAt: now,
      });
      const outboxId = await this.outbox.enqueue(
        trx,
        {
          ticketId: ticket.id,
          messageId,
          channel: target.channel,
          payload: outboundPayload(target, ticket, input, { kind: 'agent_reply' }),
        },
        now,
      );
      await this.tickets.addEvent(trx, { ticketId: ticket.id, actor, type: 'replied', before: null, after: { messageId, channel: target.channel } }, now);
      const patch: TicketPatch = {};
      if (ticket.firstRespondedAt == null) patch.firstRespondedAt = now;
      if (ticket.status === 'new' || ticket.status === 'reopened') patch.status = 'open';
      await this.tickets.update(trx, ticket.id, patch, actor, now);
      await this.updateClock(trx, ticket, now, { firstResponse: true });
      return { messageId, outboxId, channel: target.channel, to: target.to };
    });
    this.onQueued?.();
    this.onChanged?.({ ticketId: ticket.id, reason: 'reply' });
    return result;
  }

  /** `notifyCustomer: false` when the customer made the change themselves (the status page): nothing to tell them. */
  async patch(idOrNumber: string, patch: AgentPatch, actor: string, options: { notifyCustomer?: boolean } = {}): Promise<Ticket> {
    const ticket = await this.find(idOrNumber);
    const now = this.clock.now();
    // Unassigning (null) and keeping the current assignee are always allowed; a new name must be a known agent.
    if (patch.assignee != null && patch.assignee !== ticket.assignee) await this.agents?.assertKnown(patch.assignee);
    const change: TicketPatch = { assignee: patch.assignee, queue: patch.queue, priority: patch.priority };
    const relabel = patch.category !== undefined || patch.subcategory !== undefined;
    if (relabel) {
      if (!this.labels) throw new BadRequestError('category changes are not available here');
      Object.assign(change, resolveLabel(this.labels.categories(), ticket, patch));
    }
    if (patch.status && patch.status !== ticket.status) {
      if (!TICKET_STATUSES.includes(patch.status)) throw new BadRequestError(`unknown status "${patch.status}"`);
      if (!TRANSITIONS[ticket.status].includes(patch.status)) {
        throw new ConflictError(`a ${ticket.status} ticket cannot become ${patch.status}; allowed: ${TRANSITIONS[ticket.status].join(', ')}`);
      }
      change.status = patch.status;
      if (patch.status === 'resolved') change.resolvedAt = now;
      if (patch.status === 'closed') change.closedAt = now;
      if (patch.status === 'reopened') {
        change.resolvedAt = null;
        change.closedAt = null;
      }
    }
    let told = false;
    const changedFields = await this.db.transaction(async (trx) => {
      // The change's events (and the record that the customer may need telling) are written by one statement each just before the commit.
      const deferred = DeferredWrites.begin(trx);
      const changed = await this.tickets.update(trx, ticket.id, change, actor, now);
      if (change.status) {
        await this.updateClock(trx, ticket, now, { status: change.status });
        if (options.notifyCustomer !== false) told = (await this.customerUpdates?.changed(trx, ticket, change.status, actor, now)) ?? false;
      }
      if (changed.includes('category') || changed.includes('subcategory')) await this.keepLabelledExample(trx, ticket, change, actor, now);
      await deferred.flush(trx);
      return changed;
    });
    // Told in a batch after the commit (gateway/customer-updates.ts): woken now rather than after its interval.
    if (told) this.customerUpdates!.notify();
    const reasons = changeReasons(changedFields);
    if (reasons.length > 0) this.onChanged?.({ ticketId: ticket.id, reason: reasons[0]!, changes: reasons });
    return (await this.tickets.get(this.db, ticket.id))!;
  }

  /**
   * A person's category decision is a training example (DESIGN.md, labelled history). The text is
   * the first customer message with its subject, because that is what the classifier read when it
   * chose the category: follow-ups ("any news?", "转人工") say nothing about the category and would
   * teach the model noise. A later correction replaces the example; the events keep the history.
   */
  private async keepLabelledExample(
    trx: Parameters<Parameters<Db['transaction']>[0]>[0],
    ticket: Ticket,
    label: TicketPatch,
    actor: string,
    now: number,
  ): Promise<void> {
    const first = await this.tickets.firstInbound(trx, ticket.id);
    if (!first || !label.category) return;
    const text = first.subject ? `${first.subject}\n${first.text}` : first.text;
    await this.labels!.examples.record(trx, {
      ticketId: ticket.id,
      text,
      category: label.category,
      subcategory: label.subcategory ?? null,
      language: first.language ?? ticket.language,
      labelledBy: actor,
      labelledAt: now,
    });
  }
}
