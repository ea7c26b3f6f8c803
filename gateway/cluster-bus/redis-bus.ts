import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { createClient, type RedisClientType } from 'redis';
import type { ClusterTopic } from '../../contracts/cluster-bus.js';
import { LocalBus } from './local-bus.js';

const CHANNEL = 'gateway_bus';

/**
 * Notices between gateway processes through Redis pub/sub (EVENT_BUS=redis://…), for sites that run
 * Redis anyway or whose notices outgrow PostgreSQL's NOTIFY. Same contract as the PostgreSQL bus:
 * delivered here at once, to the others when Redis passes them on, missed while disconnected.
 */
export class RedisBus extends LocalBus {
  override readonly kind = 'redis' as const;
  private readonly origin = randomUUID();
  private readonly publisher: RedisClientType;
  private readonly subscriber: RedisClientType;

  constructor(url: string, log: Logger) {
    super(log);
    this.publisher = createClient({ url });
    this.subscriber = this.publisher.duplicate();
    for (const client of [this.publisher, this.subscriber]) client.on('error', (err) => this.log.warn({ err }, 'cluster bus: Redis connection error'));
  }

  override async start(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(CHANNEL, (text) => this.received(text));
  }

  override publish(topic: ClusterTopic, payload: unknown): void {
    this.deliver(topic, payload);
    void this.publisher
      .publish(CHANNEL, JSON.stringify({ o: this.origin, t: topic, p: payload }))
      .catch((err) => this.log.warn({ err, topic }, 'cluster bus: could not notify the other processes'));
  }

  override async close(): Promise<void> {
    await Promise.all([this.subscriber.close().catch(() => undefined), this.publisher.close().catch(() => undefined)]);
    await super.close();
  }

  private received(text: string): void {
    let envelope: { o: string; t: ClusterTopic; p: unknown };
    try {
      envelope = JSON.parse(text);
    } catch {
      return;
    }
    if (envelope.o !== this.origin) this.deliver(envelope.t, envelope.p);
  }
}
