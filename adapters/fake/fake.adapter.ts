import type { AdapterHealth, ChannelAdapter, InboundMessage, InboundSink, OutboundMessage } from '../types.js';
import type { ChannelId } from '../../contracts/channel-ids.js';
import { PermanentDeliveryError } from '../types.js';

/**
 * An in-memory channel for tests and `gateway simulate`: `receive()` hands a
 * message to the gateway like a provider would; `sent` records what the gateway
 * sent back. `failNext()` makes the next sends fail (transiently or for good).
 */
export class FakeAdapter implements ChannelAdapter {
  readonly sent: OutboundMessage[] = [];
  private sink?: InboundSink;
  private failures: Array<'transient' | 'permanent'> = [];
  private status: AdapterHealth = { status: 'up' };
  private seq = 0;
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly singleConsumer: boolean;
  /** How many times start() ran (single-consumer tests). */
  starts = 0;

  constructor(
    readonly id: ChannelId,
    options: { singleConsumer?: boolean } = {},
  ) {
    this.singleConsumer = options.singleConsumer ?? false;
  }

  async start(sink: InboundSink): Promise<void> {
    this.sink = sink;
    this.starts++;
  }

  async stop(): Promise<void> {
    this.sink = undefined;
  }

  /** Delivers a customer's message as the provider would; resolves once it is durable. */
  async receive(input: Partial<InboundMessage> & { from: InboundMessage['from']; text: string }): Promise<{ id: string | number; duplicate: boolean }> {
    if (!this.sink) throw new Error(`fake ${this.id} adapter is not started`);
    return this.sink({
      channel: this.id,
      externalId: input.externalId ?? `fake-${this.id}-${Date.now()}-${++this.seq}`,
      receivedAt: input.receivedAt ?? new Date().toISOString(),
      attachments: [],
      meta: {},
      ...input,
    });
  }

  failNext(kind: 'transient' | 'permanent', times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(kind);
  }

  setHealth(status: AdapterHealth): void {
    this.status = status;
  }

  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    const failure = this.failures.shift();
    if (failure === 'permanent') throw new PermanentDeliveryError(`fake ${this.id}: recipient refused`, 'fake_refused');
    if (failure === 'transient') throw new Error(`fake ${this.id}: provider unavailable`);
    this.sent.push(out);
    for (const w of [...this.waiters]) {
      if (this.sent.length >= w.count) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return { externalId: `fake-out-${out.id}` };
  }

  /** Resolves when at least `count` messages have been sent. */
  waitForSent(count: number, timeoutMs = 10_000): Promise<OutboundMessage[]> {
    if (this.sent.length >= count) return Promise.resolve(this.sent);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fake ${this.id}: ${this.sent.length}/${count} messages sent after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(this.sent)) });
    });
  }

  async health(): Promise<AdapterHealth> {
    return this.status;
  }
}
