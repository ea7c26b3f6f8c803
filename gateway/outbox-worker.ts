import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { deliveredToCustomer, deliveryFailedForGood } from './unreachable-customer.js';
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

  async processBatch(now = this.clock.now()): Promise<number> {
    const { batchSize, leaseSeconds } = this.deps.settings().outbox;
    const items = await this.deps.outbox.claim(this.workerId, batchSize, leaseSeconds * 1000, now);
    await Promise.all(items.map((item) => this.deliver(item)));
    return items.length;
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const { outbox, tickets, db, log, metrics } = this.deps;
    const out = { ...(item.payload as Omit<OutboundMessage, 'id'>), id: String(item.id) } as OutboundMessage;
    const adapter = this.deps.adapterFor(out);
    if (!adapter) {
      const reason = `no adapter is configured for channel "${out.channel}"`;
      await db.transaction(async (trx) => {
        await outbox.markFinal(trx, item.id, 'undeliverable', reason);
        await tickets.setDeliveryStatus(trx, item.messageId, 'undeliverable');
        await tickets.addEvent(trx, {
          ticketId: item.ticketId,
          actor: 'outbox',
          type: 'delivery_failed',
          before: null,
          after: { messageId: item.messageId, channel: out.channel, reason },
        });
        await deliveryFailedForGood(trx, tickets, item.ticketId, item.messageId, reason, this.clock.now());
      });
      metrics?.outboxSent.inc({ channel: out.channel, result: 'undeliverable' });
      return;
    }
    try {
      const { externalId } = await adapter.send(out);
      await db.transaction(async (trx) => {
        await outbox.markSent(trx, item.id, externalId, this.clock.now());
        await tickets.setDeliveryStatus(trx, item.messageId, 'sent', externalId);
        await deliveredToCustomer(trx, tickets, item.ticketId, this.clock.now());
      });
      metrics?.outboxSent.inc({ channel: out.channel, result: 'sent' });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const { maxAttempts, backoffSeconds } = this.deps.settings().outbox;
      const permanent = err instanceof PermanentDeliveryError;
      if (permanent || item.attempts >= maxAttempts) {
        await db.transaction(async (trx) => {
          await outbox.markFinal(trx, item.id, 'failed', message);
          await tickets.setDeliveryStatus(trx, item.messageId, 'failed');
          await tickets.addEvent(trx, {
            ticketId: item.ticketId,
            actor: `adapter:${out.channel}`,
            type: 'delivery_failed',
            before: null,
            after: {
              messageId: item.messageId,
              channel: out.channel,
              reason: message,
              code: permanent ? (err.code ?? null) : null,
              attempts: item.attempts,
              permanent,
            },
          });
          await deliveryFailedForGood(trx, tickets, item.ticketId, item.messageId, message, this.clock.now());
        });
        metrics?.outboxSent.inc({ channel: out.channel, result: 'failed' });
        log.warn({ err, outboxId: item.id, channel: out.channel, permanent }, 'delivery failed for good; recorded on the ticket');
      } else {
        const delay = backoffSeconds[Math.min(item.attempts - 1, backoffSeconds.length - 1)]! * 1000;
        await outbox.retryLater(item.id, message, this.clock.now() + delay);
        metrics?.outboxSent.inc({ channel: out.channel, result: 'retry' });
        log.warn({ err, outboxId: item.id, channel: out.channel, attempt: item.attempts, retryInMs: delay }, 'delivery failed; will retry');
      }
    }
  }
}
