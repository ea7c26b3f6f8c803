import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { deliveredToCustomers, deliveryFailedForGood } from './unreachable-customer.js';
import { PermanentDeliveryError, type ChannelAdapter, type OutboundMessage } from '../adapters/types.js';
import type { GatewaySettings } from '../config/gateway.schema.js';
import type { Db } from '../storage/db.js';
import type { OutboxItem, OutboxStore } from '../storage/outbox.store.js';
import type { TicketStore } from '../storage/ticket.store.js';
import type { GatewayMetrics } from './metrics.js';
import { PollingLoop } from './polling-loop.js';
import { systemClock, type Clock } from '../contracts/clock.js';

export interface OutboxDeps {
  db: Db;
  outbox: OutboxStore;
  tickets: TicketStore;
  settings: () => GatewaySettings;
  /** The adapter that carries this message, or undefined when none is configured for its channel. */
  adapterFor: (out: OutboundMessage) => ChannelAdapter | undefined;
  log: Logger;
  metrics?: GatewayMetrics;
  /** This process's stable name (see gateway/process-identity.ts). */
  processName?: string;
  /** The gateway's clock: what is due (a message held for quiet hours, a retry) is judged on it (default: the system clock). */
  clock?: Clock;
}

/** What became of one claimed item's send, recorded with the rest of its batch. */
type Outcome = { item: OutboxItem; out: OutboundMessage } & (
  | { result: 'sent'; externalId: string }
  | { result: 'undeliverable'; reason: string }
  | { result: 'failed'; reason: string; err: unknown; permanent: boolean; code: string | null }
  | { result: 'retry'; reason: string; err: unknown; delayMs: number }
);

/**
 * Sends queued replies through their channel's adapter. Retries with backoff on
 * transient failures; a permanent refusal (or exhausted retries) becomes a ticket
 * event so an agent sees that the customer did not get the message.
 */
export class OutboxWorker {
  /** Whose claims these are (stable across restarts when the process has a name; see PipelineWorker). */
  readonly workerId: string;
  private readonly loop: PollingLoop;

  private readonly clock: Clock;

  constructor(private readonly deps: OutboxDeps) {
    this.clock = deps.clock ?? systemClock;
    this.workerId = `outbox-${deps.processName ?? randomUUID().slice(0, 8)}`;
    this.loop = new PollingLoop(
      'outbox batch',
      () => this.processBatch(),
      () => deps.settings().outbox.pollIntervalMs,
      deps.log,
    );
  }

  /** Takes back what a predecessor of the same name left claimed, then starts polling. */
  async start(): Promise<void> {
    const released = await this.deps.outbox.releaseClaims(this.workerId);
    if (released > 0) this.deps.log.info({ released, worker: this.workerId }, 'took back outbox items claimed before a restart');
    this.loop.start();
  }

  /** Finishes the sends in hand, then hands back anything still claimed. */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.deps.outbox.releaseClaims(this.workerId).catch((err) => this.deps.log.warn({ err }, 'could not release outbox claims at stop'));
  }

  /** Replies were queued: send now rather than at the next poll. */
  notify(): void {
    this.loop.notify();
  }

  /**
   * Claims a batch, sends each item, then records what became of them all in one transaction: the sent ones by one
   * UPDATE of their outbox rows and one of their messages (which also reads their tickets' tags), one commit for the
   * batch. A send is recorded only after it was made, so a crash in between sends it again (at least once).
   */
  async processBatch(now = this.clock.now()): Promise<number> {
    const { batchSize, leaseSeconds } = this.deps.settings().outbox;
    const items = await this.deps.outbox.claim(this.workerId, batchSize, leaseSeconds * 1000, now);
    if (items.length === 0) return 0;
    const outcomes = await Promise.all(items.map((item) => this.send(item)));
    await this.record(outcomes);
    return items.length;
  }

  /** Hands the item to its channel's adapter; never throws: a failure is an outcome to record. */
  private async send(item: OutboxItem): Promise<Outcome> {
    const out = { ...(item.payload as Omit<OutboundMessage, 'id'>), id: String(item.id) } as OutboundMessage;
    const adapter = this.deps.adapterFor(out);
    if (!adapter) return { item, out, result: 'undeliverable', reason: `no adapter is configured for channel "${out.channel}"` };
    try {
      const { externalId } = await adapter.send(out);
      return { item, out, result: 'sent', externalId };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof PermanentDeliveryError;
      const { maxAttempts, backoffSeconds } = this.deps.settings().outbox;
      if (permanent || item.attempts >= maxAttempts) {
        return { item, out, result: 'failed', reason, err, permanent, code: permanent ? (err.code ?? null) : null };
      }
      const delayMs = backoffSeconds[Math.min(item.attempts - 1, backoffSeconds.length - 1)]! * 1000;
      return { item, out, result: 'retry', reason, err, delayMs };
    }
  }

  /**
   * Writes a batch's outcomes in one transaction. Should that fail, each is written in its own, so one item that
   * cannot be recorded does not hold back the others (it stays claimed and is sent again after its lease).
   */
  private async record(outcomes: Outcome[]): Promise<void> {
    const { db, log } = this.deps;
    try {
      await db.transaction((trx) => this.write(trx, outcomes));
    } catch (err) {
      if (outcomes.length === 1) throw err;
      log.warn({ err, items: outcomes.length }, 'could not record the outbox batch in one transaction; recording each item alone');
      let first: unknown;
      for (const outcome of outcomes) {
        try {
          await db.transaction((trx) => this.write(trx, [outcome]));
        } catch (itemErr) {
          first ??= itemErr;
          continue;
        }
        this.report(outcome);
      }
      if (first !== undefined) throw first;
      return;
    }
    for (const outcome of outcomes) this.report(outcome);
  }

  /** Failures first (each with its events), then every item sent by set-based statements. */
  private async write(trx: Knex.Transaction, outcomes: Outcome[]): Promise<void> {
    const { outbox, tickets } = this.deps;
    const now = this.clock.now();
    const sent: Array<Extract<Outcome, { result: 'sent' }>> = [];
    for (const o of outcomes) {
      const { item, out } = o;
      if (o.result === 'sent') sent.push(o);
      else if (o.result === 'retry') await outbox.retryLater(trx, item.id, o.reason, now + o.delayMs);
      else {
        const status = o.result;
        await outbox.markFinal(trx, item.id, status, o.reason);
        await tickets.setDeliveryStatus(trx, item.messageId, status);
        const after =
          o.result === 'undeliverable'
            ? { messageId: item.messageId, channel: out.channel, reason: o.reason }
            : { messageId: item.messageId, channel: out.channel, reason: o.reason, code: o.code, attempts: item.attempts, permanent: o.permanent };
        await tickets.addEvent(trx, {
          ticketId: item.ticketId,
          actor: o.result === 'undeliverable' ? 'outbox' : `adapter:${out.channel}`,
          type: 'delivery_failed',
          before: null,
          after,
        });
        await deliveryFailedForGood(trx, tickets, item.ticketId, item.messageId, o.reason, now);
      }
    }
    if (sent.length === 0) return;
    await outbox.markSentMany(
      trx,
      sent.map((o) => ({ id: o.item.id, externalId: o.externalId })),
      now,
    );
    const reached = await tickets.setDeliveryStatuses(
      trx,
      'sent',
      sent.map((o) => ({ messageId: o.item.messageId, externalId: o.externalId })),
    );
    await deliveredToCustomers(trx, tickets, reached, now);
  }

  /** Metrics and logs of an outcome once it is recorded. */
  private report(o: Outcome): void {
    const { log, metrics } = this.deps;
    metrics?.outboxSent.inc({ channel: o.out.channel, result: o.result });
    if (o.result === 'failed') {
      log.warn({ err: o.err, outboxId: o.item.id, channel: o.out.channel, permanent: o.permanent }, 'delivery failed for good; recorded on the ticket');
    } else if (o.result === 'retry') {
      log.warn({ err: o.err, outboxId: o.item.id, channel: o.out.channel, attempt: o.item.attempts, retryInMs: o.delayMs }, 'delivery failed; will retry');
    }
  }
}
