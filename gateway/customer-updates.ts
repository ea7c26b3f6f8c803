import type { Knex } from 'knex';
import type { GatewaySettings } from '../config/gateway.schema.js';
import type { ChannelId } from '../contracts/channel-ids.js';
import type { DbRow } from '../storage/db.js';
import type { OutboxStore } from '../storage/outbox.store.js';
import { resultRows } from '../storage/fixed-statements.js';
import { lastVerified, toMessage, toTicket, type Message, type Ticket, type TicketStore, type TicketStatus } from '../storage/ticket.store.js';
import { BOT_ANSWERED_TAG } from './pipeline/stages/handoff.stage.js';
import { customerTimeZone } from './customer-time-zone.js';
import { outboundPayload, replyTargetFor, templateLanguage, type ReplyTarget } from './reply-target.js';
import { localDay, zonedToInstant } from './sla/business-calendar.js';

type Trx = Knex | Knex.Transaction;
const HOUR_MS = 3_600_000;
/** A number that can be texted or called back (a withheld caller ID is `anonymous:CA…`). */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The ticket as it is now, its customer's opt-out, the progress messages and questions sent to them since a time (the rate
 * limit), and the ticket's inbound messages newest first (one row with null message columns when there are none): one
 * statement, whose ticket columns also serve the status change's own read of the ticket (TicketStore.update `current`).
 * Written out rather than built by knex: building it cost about as much as running it. The message columns come aliased
 * `m__<column>` (`messageColumns`), so that they do not collide with the ticket's.
 */
const TICKET_CUSTOMER_AND_LAST_INBOUND = (messageColumns: readonly string[]) => `
  SELECT t.*, c.updates_opted_out_at AS customer_opted_out_at,
         (SELECT count(*) FROM messages s JOIN tickets o ON o.id = s.ticket_id
           WHERE o.customer_id = t.customer_id AND s.direction = 'out' AND s.author = 'system' AND s.created_at >= ?
             AND (s.meta LIKE '%"kind":"progress"%' OR s.meta LIKE '%"kind":"csat_survey"%')) AS customer_sent_last_hour,
         ${messageColumns.map((c) => `m."${c}" AS "m__${c}"`).join(', ')}
    FROM tickets t JOIN customers c ON c.id = t.customer_id
    LEFT JOIN messages m ON m.ticket_id = t.id AND m.direction = 'in'
   WHERE t.id = ?
   ORDER BY m.id DESC
   LIMIT 50`;
const MESSAGE_PREFIX = 'm__';

/** The status changes a customer hears about, and the template each uses. */
const UPDATE_FOR: Partial<Record<TicketStatus, 'handling' | 'waiting' | 'resolved' | 'reopened'>> = {
  open: 'handling',
  pending_customer: 'waiting',
  resolved: 'resolved',
  reopened: 'reopened',
};

export interface CustomerUpdatesDeps {
  tickets: TicketStore;
  outbox: OutboxStore;
  settings: () => GatewaySettings;
  /** PUBLIC_BASE_URL: the status link in messages (left out when unset). */
  publicBaseUrl?: string;
  /** Whether an adapter carries `channel` (the survey call needs Twilio voice; without it callers are asked by SMS). */
  canDeliver?: (channel: ChannelId) => boolean;
}

export type UpdateOutcome =
  'queued' | 'deferred' | 'skipped:disabled' | 'skipped:bot-only' | 'skipped:opted-out' | 'skipped:channel' | 'skipped:rate-limit' | 'skipped:no-contact';

/** What CustomerUpdates.decide chose for a status change; carryOut writes it. */
export interface UpdateDecision {
  outcome: UpdateOutcome;
  /** The message asks the customer's rating: the ticket's csat_requested_at becomes the change's time. */
  asksRating: boolean;
  /** A skip recorded on the timeline (customer_not_notified) for this update kind. */
  recorded?: string;
  /** The ticket as read inside the change's transaction (when decide read it): the change's update need not read it again. */
  current?: Ticket;
  send?: { kind: 'handling' | 'waiting' | 'resolved' | 'reopened'; target: ReplyTarget; surveyCall: boolean; last: Message };
}

/**
 * Tells the customer, on the channel they used, when their ticket moves: being handled, waiting
 * for them, resolved (with the satisfaction question), reopened. Honours their opt-out (STOP /
 * 退订), quiet hours (in the customer's own time zone where known: the message waits in the outbox until their morning) and a per-customer hourly
 * limit; a conversation only the bot handled is left alone. A caller (voice) hears by SMS; their
 * rating is asked by SMS, by an outbound call (`voiceSurvey: call`, where Twilio voice is configured)
 * or not at all. Runs inside the change's transaction, so the message is queued exactly when the
 * change commits.
 */
export class CustomerUpdates {
  /** The messages table's columns, read once (the combined read aliases each of them). */
  private messageColumns?: Promise<string[]>;

  constructor(private readonly deps: CustomerUpdatesDeps) {}

  /**
   * What the customer will hear of a change to `to`, and whether it asks their rating (then the change's own UPDATE
   * must set `csat_requested_at` to `now`): only reads, so the caller decides before it updates the ticket and writes
   * the rating question's time with that UPDATE. carryOut then writes the message, or the skip, in the same transaction.
   */
  async decide(trx: Trx, ticket: Ticket, to: TicketStatus, now: number): Promise<UpdateDecision> {
    const kind = UPDATE_FOR[to];
    const s = this.deps.settings();
    if (!kind || !s.customerUpdates.enabled) return { outcome: 'skipped:disabled', asksRating: false };
    if (ticket.tags.includes(BOT_ANSWERED_TAG)) return { outcome: 'skipped:bot-only', asksRating: false };
    const read = await this.ticketCustomerAndLastInbound(trx, ticket, now);
    if (!read) return { outcome: 'skipped:no-contact', asksRating: false };
    const { current, customer, last } = read;
    const skip = (outcome: UpdateOutcome): UpdateDecision => ({ outcome, asksRating: false, recorded: kind, current });
    if (customer.optedOut) return skip('skipped:opted-out');
    if (!last) return { outcome: 'skipped:no-contact', asksRating: false, current };
    let target = replyTargetFor({ ...last, threadKey: (last.meta.threadKey as string | undefined) ?? null });
    if (!(s.customerUpdates.channels as string[]).includes(target.channel)) return { outcome: 'skipped:channel', asksRating: false, current };
    // A caller is answered by SMS (replyTargetFor); one who withheld their number has nothing to text or call.
    const caller = last.channel === 'voice';
    if (caller && !E164.test(target.to)) return skip('skipped:no-contact');
    if (customer.sentLastHour >= s.customerUpdates.maxPerCustomerPerHour) return skip('skipped:rate-limit');

    let survey = kind === 'resolved' && s.csat.enabled;
    let surveyCall = false;
    if (caller && survey) {
      const how = s.customerUpdates.voiceSurvey;
      if (how === 'off') survey = false;
      else if (how === 'call' && this.deps.canDeliver?.('voice')) {
        // The rating question as an outbound call to the caller (the adapter speaks it; the key pressed is the answer).
        target = { ...target, channel: 'voice' };
        surveyCall = true;
      }
    }
    return { outcome: 'queued', asksRating: survey, send: { kind, target, surveyCall, last }, current };
  }

  /** Writes what `decide` chose: the message, its outbox row and the customer_notified event, or the skip's event. */
  async carryOut(trx: Trx, ticket: Ticket, decision: UpdateDecision, actor: string, now: number): Promise<UpdateOutcome> {
    const { send } = decision;
    if (!send) {
      if (decision.recorded) await this.skip(trx, ticket, decision.outcome, decision.recorded, actor, now);
      return decision.outcome;
    }
    const { kind, target, surveyCall, last } = send;
    const survey = decision.asksRating;
    const s = this.deps.settings();
    const lang = templateLanguage(ticket.language);
    const link = this.deps.publicBaseUrl ? new URL(`/t/${ticket.statusToken}`, this.deps.publicBaseUrl).href : '';
    // A resolved message that asks nothing must not say "please rate": nobody would read the answer.
    const template = kind === 'resolved' && !survey ? 'resolvedNoSurvey' : kind;
    const text = s.customerUpdates.templates[template][lang].replaceAll('{ticketNumber}', ticket.number).replaceAll('{statusLink}', link).trim();
    const messageKind = survey ? 'csat_survey' : 'progress';
    // Quiet hours are the customer's night, not ours: in their own zone where we know it.
    const timeZone = customerTimeZone(last, target);
    const notBefore = this.quietUntil(now, timeZone);
    const messageId = await this.deps.tickets.addMessage(
      trx,
      {
        ticketId: ticket.id,
        direction: 'out',
        author: 'system',
        channel: target.channel,
        toAddress: target.to,
        fromAddress: target.from ?? null,
        subject: ticket.subject,
        text,
        language: ticket.language,
        meta: { kind: messageKind, update: kind, ...(surveyCall ? { surveyCall } : {}), ...(notBefore ? { notBefore } : {}) },
        deliveryStatus: 'queued',
        createdAt: now,
      },
      // The status change that sends it has just updated the ticket, at this same time: no second touch.
      false,
    );
    await this.deps.outbox.add(
      trx,
      {
        ticketId: ticket.id,
        messageId,
        channel: target.channel,
        // The link on its own too: a channel that cannot carry the text as it is (a WeChat template message) links to it.
        payload: outboundPayload(target, ticket, { text }, { kind: messageKind, ...(surveyCall ? { surveyCall } : {}), ...(link ? { statusLink: link } : {}) }),
        notBefore,
      },
      now,
    );
    // csat_requested_at is not a field an agent changes (no event of its own): the customer_notified event below says it.
    await this.deps.tickets.addEvent(
      trx,
      {
        ticketId: ticket.id,
        actor,
        type: 'customer_notified',
        before: null,
        after: {
          update: kind,
          channel: target.channel,
          survey,
          ...(surveyCall ? { by: 'call' } : {}),
          ...(notBefore ? { after: new Date(notBefore).toISOString(), timeZone: timeZone ?? s.customerUpdates.quietHours!.timeZone } : {}),
        },
      },
      now,
    );
    return notBefore ? 'deferred' : 'queued';
  }

  /**
   * When quiet hours hold at `now` for a customer in `timeZone` (by default the configured zone),
   * the end of them (ms); else undefined.
   */
  quietUntil(now: number, timeZone?: string): number | undefined {
    const q = this.deps.settings().customerUpdates.quietHours;
    if (!q) return undefined;
    const zone = timeZone ?? q.timeZone;
    const minutes = (hhmm: string) => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000;
    const [start, end] = [minutes(q.start), minutes(q.end)];
    const { day, msOfDay } = localDay(now, zone);
    const inside = start <= end ? msOfDay >= start && msOfDay < end : msOfDay >= start || msOfDay < end;
    if (!inside) return undefined;
    return zonedToInstant(msOfDay < end ? day : day + 1, end, zone);
  }

  /**
   * The ticket as it is now, whether its customer opted out, how many progress messages and questions they got in the
   * last hour, and where their latest message came from (TicketStore.lastInbound: the reply goes back there): one query,
   * the ticket and its customer joined to the ticket's inbound messages, newest first. Undefined if the ticket is gone.
   */
  private async ticketCustomerAndLastInbound(
    trx: Trx,
    ticket: Ticket,
    now: number,
  ): Promise<{ current: Ticket; customer: { optedOut: boolean; sentLastHour: number }; last: Message | undefined } | undefined> {
    const columns = await (this.messageColumns ??= Promise.resolve(trx('messages').columnInfo()).then(
      (info) => Object.keys(info),
      (err: unknown) => {
        // Not kept: a failed read (a dropped connection) is tried again by the next change.
        this.messageColumns = undefined;
        throw err;
      },
    ));
    const rows = resultRows(await trx.raw(TICKET_CUSTOMER_AND_LAST_INBOUND(columns), [now - HOUR_MS, ticket.id]));
    const first = rows[0];
    if (!first) return undefined;
    const messages = rows.filter((r) => r[`${MESSAGE_PREFIX}id`] != null).map((r) => toMessage(unprefixed(r, columns)));
    return {
      current: toTicket(first),
      customer: { optedOut: first.customer_opted_out_at != null, sentLastHour: Number(first.customer_sent_last_hour ?? 0) },
      last: lastVerified(messages),
    };
  }

  private async skip(trx: Trx, ticket: Ticket, outcome: UpdateOutcome, kind: string, actor: string, now: number): Promise<UpdateOutcome> {
    await this.deps.tickets.addEvent(
      trx,
      { ticketId: ticket.id, actor, type: 'customer_not_notified', before: null, after: { update: kind, reason: outcome.replace('skipped:', '') } },
      now,
    );
    return outcome;
  }
}

/** A message row of the combined read, its `m__` aliases back to the messages table's column names. */
function unprefixed(row: DbRow, columns: readonly string[]): DbRow {
  const out: DbRow = {};
  for (const c of columns) out[c] = row[`${MESSAGE_PREFIX}${c}`];
  return out;
}
