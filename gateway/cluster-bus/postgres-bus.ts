import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ClusterTopic } from '../../contracts/cluster-bus.js';
import type { Db } from '../../storage/db.js';
import type { KvStateStore } from '../../storage/kv-state.store.js';
import { LocalBus } from './local-bus.js';

/** The one NOTIFY channel every gateway process listens on. */
const CHANNEL = 'gateway_bus';
/** NOTIFY payloads must stay under 8000 bytes; a larger notice travels through kv_state and the NOTIFY names its key. */
const INLINE_LIMIT = 7_000;
/** How long a large notice's row is kept for the other processes to read. */
const SPILL_KEEP_MS = 60_000;
/** Wait before listening again after the LISTEN connection broke (doubling up to the maximum). */
const RECONNECT_MS = [200, 5_000] as const;

/** What travels in a NOTIFY: who sent it (a process skips its own), the topic, and the payload or where to read it. */
interface Envelope {
  o: string;
  t: ClusterTopic;
  p?: unknown;
  spill?: string;
}

/**
 * Notices between gateway processes through PostgreSQL's LISTEN/NOTIFY: no server beyond the
 * database the gateways already share. One connection per process listens (outside the knex pool);
 * publishing is one `pg_notify` through the pool. A notice is delivered to this process at once and
 * to the others when PostgreSQL passes it on (milliseconds); a process whose LISTEN connection
 * broke reconnects, and misses what was sent meanwhile (nothing on the bus is the only copy).
 */
export class PostgresBus extends LocalBus {
  override readonly kind = 'postgres' as const;
  private readonly origin = randomUUID();
  private client?: pg.Client;
  private closed = false;
  private retryMs: number = RECONNECT_MS[0];
  private reconnectTimer?: NodeJS.Timeout;
  private readonly spillTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly db: Db,
    private readonly connectionString: string,
    private readonly state: KvStateStore,
    log: Logger,
  ) {
    super(log);
  }

  /** Opens the LISTEN connection; resolves once notices from other processes arrive. */
  override async start(): Promise<void> {
    await this.listen();
  }

  override publish(topic: ClusterTopic, payload: unknown): void {
    this.deliver(topic, payload);
    void this.send(topic, payload).catch((err) => this.log.warn({ err, topic }, 'cluster bus: could not notify the other processes'));
  }

  override async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const t of this.spillTimers) clearTimeout(t);
    this.spillTimers.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await super.close();
  }

  private async send(topic: ClusterTopic, payload: unknown): Promise<void> {
    let text = JSON.stringify({ o: this.origin, t: topic, p: payload } satisfies Envelope);
    if (Buffer.byteLength(text) > INLINE_LIMIT) {
      const key = `cluster-bus:${randomUUID()}`;
      await this.state.set(key, payload);
      text = JSON.stringify({ o: this.origin, t: topic, spill: key } satisfies Envelope);
      const timer = setTimeout(() => {
        this.spillTimers.delete(timer);
        void this.state.delete(key).catch(() => undefined);
      }, SPILL_KEEP_MS);
      timer.unref();
      this.spillTimers.add(timer);
    }
    await this.db.raw('SELECT pg_notify(?, ?)', [CHANNEL, text]);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (msg) => void this.received(msg.payload));
    client.on('error', (err) => {
      this.log.warn({ err }, 'cluster bus: the LISTEN connection failed; reconnecting');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = RECONNECT_MS[0];
  }

  private reconnect(broken: pg.Client): void {
    if (this.closed || this.client !== broken) return;
    this.client = undefined;
    void broken.end().catch(() => undefined);
    this.scheduleListen();
  }

  private scheduleListen(): void {
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MS[1]);
    this.reconnectTimer = setTimeout(() => {
      if (this.closed) return;
      this.listen().catch((err) => {
        this.log.warn({ err }, 'cluster bus: cannot listen yet');
        this.scheduleListen();
      });
    }, wait);
    this.reconnectTimer.unref();
  }

  private async received(text: string | undefined): Promise<void> {
    if (!text) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      return;
    }
    if (envelope.o === this.origin) return;
    try {
      const payload = envelope.spill ? await this.state.get(envelope.spill) : envelope.p;
      if (payload !== undefined) this.deliver(envelope.t, payload);
    } catch (err) {
      this.log.warn({ err, topic: envelope.t }, 'cluster bus: could not read a notice from another process');
    }
  }
}
