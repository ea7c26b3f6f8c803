import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ChannelAdapter, InboundSink } from '../adapters/types.js';
import type { LeaseStore } from '../storage/lease.store.js';

/**
 * Runs a single-consumer adapter (an IMAP mailbox, a WeChat login) in exactly one of
 * several gateway processes sharing a database: the one holding its lease. The others
 * stand by and take over when the lease expires. Sending works in every process.
 */
export class SingleConsumerRunner {
  readonly holder = `gateway-${randomUUID().slice(0, 8)}`;
  /**
   * Emits 'checked' after each lease check, with whether this process holds the lease
   * (undefined when the check failed); `running` then says where it left the adapter.
   */
  readonly events = new EventEmitter();
  private timer?: NodeJS.Timeout;
  private started = false;
  private stopped = false;

  constructor(
    private readonly adapter: ChannelAdapter,
    private readonly leases: LeaseStore,
    private readonly sink: InboundSink,
    private readonly log: Logger,
    private readonly ttlMs = 30_000,
  ) {}

  get name(): string {
    return `adapter:${this.adapter.id}`;
  }

  get running(): boolean {
    return this.started;
  }

  async start(): Promise<void> {
    await this.tick();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let held: boolean | undefined;
    try {
      held = await this.leases.acquire(this.name, this.holder, this.ttlMs);
      if (held && !this.started) {
        await this.adapter.start(this.sink);
        this.started = true;
        this.log.info({ adapter: this.adapter.id, holder: this.holder }, 'took the lease: this process polls the source');
      } else if (!held && this.started) {
        // Someone else holds it now (we stalled past the lease): stop polling at once.
        await this.adapter.stop();
        this.started = false;
        this.log.warn({ adapter: this.adapter.id }, 'lost the lease: stopped polling');
      }
    } catch (err) {
      this.log.warn({ err, adapter: this.adapter.id }, 'lease check failed; will retry');
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.ttlMs / 3);
    this.events.emit('checked', held);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.started) {
      await this.adapter.stop();
      this.started = false;
    }
    await this.leases.release(this.name, this.holder).catch(() => undefined);
  }
}
