import type { ChannelId } from '../adapters/types.js';
import type { Db } from '../storage/db.js';
import type { OutboxStore } from '../storage/outbox.store.js';
import { TICKET_STATUSES, type Ticket, type TicketPatch, type TicketStatus, type TicketStore } from '../storage/ticket.store.js';
import { BadRequestError, ConflictError, NotFoundError } from './errors.js';
import type { SlaConfig } from '../config/sla.schema.js';
import { replyTargetFor } from './reply-target.js';
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
}

/** Agent-side ticket operations: replies through the customer's channel, and field changes with audit events. */
export class TicketService {
  constructor(
    private readonly db: Db,
    private readonly tickets: TicketStore,
    private readonly outbox: OutboxStore,
    private readonly sla: () => SlaConfig,
    private readonly onQueued?: () => void,
  ) {}

  /** Keeps the SLA clock in step with the ticket: first response met, paused while waiting on the customer, resolved. */
  private async updateClock(trx: Parameters<Parameters<Db['transaction']>[0]>[0], ticket: Ticket, now: number, change: { firstResponse?: boolean; status?: TicketStatus }): Promise<void> {
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
    await this.tickets.setSla(trx, ticket.id, { ...s }, to === 'closed' ? null : nextCheckAt(s), { firstResponseDueAt: s.firstResponseDueAt, resolutionDueAt: s.resolutionDueAt });
  }

  /** Finds a ticket by numeric id or by its number (C-20261124-0042). */
  async find(idOrNumber: string): Promise<Ticket> {
    // Digits are an id (too many digits name no ticket); anything else is a ticket number.
    const t = /^\d+$/.test(idOrNumber)
      ? Number.isSafeInteger(Number(idOrNumber)) ? await this.tickets.get(this.db, Number(idOrNumber)) : undefined
      : idOrNumber.length <= 64 ? await this.tickets.getByNumber(this.db, idOrNumber.toUpperCase()) : undefined;
    if (!t) throw new NotFoundError(`ticket ${idOrNumber} does not exist`);
    return t;
  }

  /** Queues an agent's reply on the channel of the customer's latest message (or the one asked for). */
  async reply(idOrNumber: string, input: { text: string; html?: string; channel?: ChannelId }, actor: string) {
    const ticket = await this.find(idOrNumber);
    const result = await this.db.transaction(async (trx) => {
      const last = await this.tickets.lastInbound(trx, ticket.id, input.channel);
      if (!last) throw new BadRequestError(input.channel ? `the customer never wrote on channel "${input.channel}" for this ticket` : 'this ticket has no customer message to answer');
      const target = replyTargetFor({ ...last, threadKey: (last.meta.threadKey as string | undefined) ?? null });
      const now = Date.now();
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
          payload: { channel: target.channel, to: target.to, from: target.from, ticketNumber: ticket.number, subject: ticket.subject ?? undefined, text: input.text, html: input.html, language: ticket.language ?? undefined, threadKey: target.threadKey, meta: { ...target.meta, kind: 'agent_reply' } },
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
    return result;
  }

  async patch(idOrNumber: string, patch: AgentPatch, actor: string): Promise<Ticket> {
    const ticket = await this.find(idOrNumber);
    const now = Date.now();
    const change: TicketPatch = { assignee: patch.assignee, queue: patch.queue, priority: patch.priority };
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
    await this.db.transaction(async (trx) => {
      await this.tickets.update(trx, ticket.id, change, actor, now);
      if (change.status) await this.updateClock(trx, ticket, now, { status: change.status });
    });
    return (await this.tickets.get(this.db, ticket.id))!;
  }
}
