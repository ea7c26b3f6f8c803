import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../contracts/clock.js';
import { CustomerUpdatesDue, type DueUpdate } from '../storage/customer-updates-due.store.js';
import { dialectOf, type Db, type DbRow } from '../storage/db.js';
import { DeferredWrites } from '../storage/deferred-writes.store.js';
import { resultRows } from '../storage/fixed-statements.js';
import type { OutboxStore } from '../storage/outbox.store.js';
import { lastVerified, toMessage, toTicket, type Message, type Ticket, type TicketStore, type TicketStatus } from '../storage/ticket.store.js';
import { BOT_ANSWERED_TAG } from './pipeline/stages/handoff.stage.js';
import { composeUpdate, quietUntil, type ComposeDeps, type Composed, type TicketContext, type UpdateKind } from './customer-update-message.js';
import { PollingLoop } from './polling-loop.js';

type Trx = Knex | Knex.Transaction;
const HOUR_MS = 3_600_000;
/** Status changes told per batch: well under the databases' bound-parameter limits (a message row has 16 values). */
const BATCH = 200;
/** Times one change fails to be told, alone, before it is recorded as not told and the loop goes past it. */
const ATTEMPTS_ALONE = 3;
/** The inbound messages read per ticket to find where to reply (TicketStore.lastInbound reads as many). */
const LAST_INBOUND = 50;

/** The status changes a customer hears about, and the template each uses. */
const UPDATE_FOR: Partial<Record<TicketStatus, UpdateKind>> = {
  open: 'handling',
  pending_customer: 'waiting',
  resolved: 'resolved',
  reopened: 'reopened',
};

export interface CustomerUpdatesDeps extends ComposeDeps {
  db: Db;
  tickets: TicketStore;
  outbox: OutboxStore;
  /** Told after a batch queued messages (wakes the outbox sender). */
  onQueued?: () => void;
  clock?: Clock;
  log: Logger;
}

/**
 * Tells the customer, on the channel they used, when their ticket moves: being handled, waiting
 * for them, resolved (with the satisfaction question), reopened. Honours their opt-out (STOP /
 * 退订), quiet hours (in the customer's own time zone where known: the message waits in the outbox until their morning) and a per-customer hourly
 * limit; a conversation only the bot handled is left alone. A caller (voice) hears by SMS; their
 * rating is asked by SMS, by an outbound call (`voiceSurvey: call`, where Twilio voice is configured)
 * or not at all.
 *
 * In two steps: the change's own transaction only records that the ticket moved (`changed`: a due event written with
 * the change's other events, storage/customer-updates-due.store.ts), so a committed change is never left untold and an
 * agent's change costs next to nothing more; `processBatch` then tells up to {@link BATCH} changes at once, with three
 * reads and one statement per table written, and moves the cursor past them in the same transaction. The background
 * loop runs it whenever a change commits.
 */
export class CustomerUpdates {
  private readonly loop: PollingLoop;
  /** The change that last failed to be told alone, and how many times in a row. */
  private failing?: { id: number; times: number };

  constructor(private readonly deps: CustomerUpdatesDeps) {
    // Woken by this process's changes; the interval picks up other processes' changes and what a crash left.
    this.loop = new PollingLoop(
      'customer updates',
      () => this.processBatch(),
      () => deps.settings().outbox.pollIntervalMs,
      deps.log,
    );
  }

  start(): void {
    this.loop.start();
  }

  /** Waits for the batch in flight. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** A change was recorded: tell it now rather than after the interval. */
  notify(): void {
    this.loop.notify();
  }

  /** Inside a status change's transaction: records that the customer may need telling. False when they never would. */
  async changed(trx: Trx, ticket: Ticket, to: TicketStatus, actor: string, now: number): Promise<boolean> {
    if (!UPDATE_FOR[to] || !this.deps.settings().customerUpdates.enabled) return false;
    // A conversation only the bot handled: the customer got their answer and is not told of the ticket's life.
    if (ticket.tags.includes(BOT_ANSWERED_TAG)) return false;
    await CustomerUpdatesDue.add(trx, { ticketId: ticket.id, status: to, actor, changedAt: now });
    return true;
  }

  /**
   * Tells the oldest recorded changes (at most {@link BATCH}): the message, its outbox row and a customer_notified
   * event, or a customer_not_notified event saying why not; the rating question's time on a resolved ticket. Returns how
   * many changes it handled (0: none waiting). A batch that fails is told again one change at a time, so one change
   * that cannot be told holds back no other.
   */
  async processBatch(): Promise<number> {
    try {
      return await this.take(BATCH, (trx, read, now) => this.tell(trx, read, now));
    } catch (err) {
      // One change that cannot be told must not hold back the others: one by one, the others are told.
      this.deps.log.warn({ err }, 'customer updates: a batch failed; telling its changes one by one');
      return this.oneByOne();
    }
  }

  /**
   * Tells up to {@link BATCH} changes one at a time. A change that fails alone {@link ATTEMPTS_ALONE} times in a row
   * (the database answering the whole time) is recorded on its ticket as not told, with the error, and passed; before
   * that, the error goes to the loop, which tries again after its interval.
   */
  private async oneByOne(): Promise<number> {
    let handled = 0;
    while (handled < BATCH) {
      let attempted: DueUpdate | undefined;
      try {
        const n = await this.take(1, (trx, read, now) => ((attempted = read.due[0]), this.tell(trx, read, now)));
        if (n === 0) break;
        handled += n;
      } catch (err) {
        if (!attempted) throw err;
        const times = this.failing?.id === attempted.id ? this.failing.times + 1 : 1;
        this.failing = { id: attempted.id, times };
        if (times < ATTEMPTS_ALONE) throw err;
        const failed = attempted;
        await this.take(1, (trx, read, now) => this.recordFailure(trx, read, failed, err, now));
        this.failing = undefined;
        this.deps.log.error({ err, ticketId: failed.ticketId, status: failed.status }, 'customer updates: a change could not be told; recorded on its ticket');
        handled++;
      }
    }
    return handled;
  }

  /** Reads the oldest recorded changes (at most `limit`) and hands them to `write` with the cursor's move. */
  private async take(
    limit: number,
    write: (trx: Knex.Transaction, read: { due: DueUpdate[]; from: number; through: number }, now: number) => Promise<{ handled: number; queued: number }>,
  ): Promise<number> {
    const { db, onQueued } = this.deps;
    const now = (this.deps.clock ?? systemClock).now();
    let told: { handled: number; queued: number };
    if (dialectOf(db) === 'postgres') {
      // Read under the fence in a transaction of its own, so that changes wait for it only as long as a read takes.
      const read = await CustomerUpdatesDue.next(db, limit);
      if (read.through === read.from) return 0;
      told = await db.transaction((trx) => write(trx, read, now));
    } else {
      // One writer (and one connection): nothing commits between the read and the writes, so one transaction does both.
      told = await db.transaction(async (trx) => {
        const read = await CustomerUpdatesDue.read(trx, limit);
        return read.through === read.from ? { handled: 0, queued: 0 } : write(trx, read, now);
      });
    }
    if (told.queued > 0) onQueued?.();
    return told.handled;
  }

  /** Moves the cursor past `failed`, the one change `read` holds, with a customer_not_notified event saying why. */
  private async recordFailure(
    trx: Knex.Transaction,
    { due, from, through }: { due: DueUpdate[]; from: number; through: number },
    failed: DueUpdate,
    err: unknown,
    now: number,
  ): Promise<{ handled: number; queued: number }> {
    // Someone else moved on (another process told it, or a change came first): nothing to record here.
    if (due[0]?.id !== failed.id || !(await CustomerUpdatesDue.advance(trx, from, through, now))) return { handled: 0, queued: 0 };
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    await this.deps.tickets.addEvent(
      trx,
      {
        ticketId: failed.ticketId,
        actor: failed.actor,
        type: 'customer_not_notified',
        before: null,
        after: { update: UPDATE_FOR[failed.status as TicketStatus] ?? failed.status, reason: 'failed', error },
      },
      now,
    );
    return { handled: 1, queued: 0 };
  }

  /** Writes what the batch `read` tells, and moves the cursor past it. */
  private async tell(
    trx: Knex.Transaction,
    { due, from, through }: { due: DueUpdate[]; from: number; through: number },
    now: number,
  ): Promise<{ handled: number; queued: number }> {
    // Another process told these first (it moved the cursor): nothing is written twice.
    if (!(await CustomerUpdatesDue.advance(trx, from, through, now))) return { handled: due.length, queued: 0 };
    if (due.length === 0) return { handled: 0, queued: 0 };
    const deferred = DeferredWrites.begin(trx);
    // Ticket by ticket (each ticket's changes in their order): rows are then locked in one order by every process.
    const ordered = [...due].sort((a, b) => a.ticketId - b.ticketId || a.id - b.id);
    const context = await this.readContext(trx, [...new Set(ordered.map((d) => d.ticketId))], now);
    const composed: Array<{ update: DueUpdate; out: Composed }> = [];
    for (const update of ordered) {
      const kind = UPDATE_FOR[update.status as TicketStatus];
      const found = context.tickets.get(update.ticketId);
      if (!kind || !found) continue;
      const decided = this.decide(found, kind, context.sentLastHour, now);
      if ('skip' in decided) {
        if (decided.recorded) {
          await this.deps.tickets.addEvent(
            trx,
            {
              ticketId: update.ticketId,
              actor: update.actor,
              type: 'customer_not_notified',
              before: null,
              after: { update: kind, reason: decided.skip },
            },
            now,
          );
        }
        continue;
      }
      composed.push({ update, out: decided.send });
    }
    const messageIds = await this.deps.tickets.addMessages(
      trx,
      composed.map((c) => c.out.message),
    );
    for (const [i, { update, out }] of composed.entries()) {
      await this.deps.outbox.add(trx, { ticketId: update.ticketId, messageId: messageIds[i]!, ...out.outbox }, now);
      // csat_requested_at is not a field an agent changes (no event of its own): the customer_notified event says it.
      await this.deps.tickets.addEvent(trx, { ticketId: update.ticketId, actor: update.actor, type: 'customer_notified', before: null, after: out.event }, now);
    }
    const rated = [...new Set(composed.filter((c) => c.out.asksRating).map((c) => c.update.ticketId))];
    if (rated.length > 0) await trx('tickets').whereIn('id', rated).update({ csat_requested_at: now });
    await deferred.flush(trx);
    return { handled: due.length, queued: composed.length };
  }

  /** How many recorded changes wait to be told (tests settle on it). */
  waiting(): Promise<number> {
    return CustomerUpdatesDue.waiting(this.deps.db);
  }

  /** What the customer hears of one change, or why nothing (customer-update-message.ts). */
  private decide(context: TicketContext, kind: UpdateKind, sentLastHour: Map<number, number>, now: number): ReturnType<typeof composeUpdate> {
    return composeUpdate(context, kind, sentLastHour, now, this.deps);
  }

  /**
   * When quiet hours hold at `now` for a customer in `timeZone` (by default the configured zone),
   * the end of them (ms); else undefined.
   */
  quietUntil(now: number, timeZone?: string): number | undefined {
    return quietUntil(this.deps.settings(), now, timeZone);
  }

  /**
   * The batch's tickets as they are now with their customers' opt-out, each ticket's latest inbound messages (the reply
   * goes back where the last one came from: TicketStore.lastInbound), and how many progress messages and questions each
   * customer got in the last hour: three reads for the whole batch.
   */
  private async readContext(
    trx: Knex.Transaction,
    ticketIds: readonly number[],
    now: number,
  ): Promise<{ tickets: Map<number, TicketContext>; sentLastHour: Map<number, number> }> {
    const marks = ticketIds.map(() => '?').join(', ');
    const ticketRows = resultRows(
      await trx.raw(
        `SELECT t.*, c.updates_opted_out_at AS customer_opted_out_at FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id IN (${marks})`,
        [...ticketIds],
      ),
    );
    const inbound = resultRows(
      await trx.raw(
        `SELECT * FROM (
           SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.ticket_id ORDER BY m.id DESC) AS newest
             FROM messages m WHERE m.ticket_id IN (${marks}) AND m.direction = 'in') x
          WHERE newest <= ? ORDER BY ticket_id, id DESC`,
        [...ticketIds, LAST_INBOUND],
      ),
    );
    const customerIds = [...new Set(ticketRows.map((r) => Number(r.customer_id)))];
    const counts = customerIds.length
      ? resultRows(
          await trx.raw(
            `SELECT o.customer_id, count(*) AS n FROM messages s JOIN tickets o ON o.id = s.ticket_id
              WHERE o.customer_id IN (${customerIds.map(() => '?').join(', ')})
                AND s.direction = 'out' AND s.author = 'system' AND s.created_at >= ?
                AND (s.meta LIKE '%"kind":"progress"%' OR s.meta LIKE '%"kind":"csat_survey"%')
              GROUP BY o.customer_id`,
            [...customerIds, now - HOUR_MS],
          ),
        )
      : [];
    const byTicket = new Map<number, Message[]>();
    for (const r of inbound) {
      const id = Number(r.ticket_id);
      let list = byTicket.get(id);
      if (!list) byTicket.set(id, (list = []));
      list.push(toMessage(r));
    }
    const tickets = new Map<number, TicketContext>();
    for (const r of ticketRows as DbRow[]) {
      const ticket = toTicket(r);
      tickets.set(ticket.id, { ticket, optedOut: r.customer_opted_out_at != null, last: lastVerified(byTicket.get(ticket.id) ?? []) });
    }
    return { tickets, sentLastHour: new Map(counts.map((r) => [Number(r.customer_id), Number(r.n)])) };
  }
}
