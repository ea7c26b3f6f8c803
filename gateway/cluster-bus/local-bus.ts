import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ClusterBus, ClusterTopic } from '../../contracts/cluster-bus.js';

/**
 * The bus of one process (SQLite, or a single PostgreSQL gateway): notices go to this process's
 * subscribers only. The PostgreSQL and Redis buses extend it with a transport to the other processes.
 */
export class LocalBus implements ClusterBus {
  readonly kind: ClusterBus['kind'] = 'local';
  private readonly emitter = new EventEmitter();

  constructor(protected readonly log: Logger) {
    // One listener per open console tab or widget: no leak warning at 11.
    this.emitter.setMaxListeners(0);
  }

  /** Connects the transport to the other processes (nothing to connect here). */
  async start(): Promise<void> {}

  publish(topic: ClusterTopic, payload: unknown): void {
    this.deliver(topic, payload);
  }

  subscribe(topic: ClusterTopic, handler: (payload: unknown) => void): () => void {
    const safe = (payload: unknown) => {
      try {
        handler(payload);
      } catch (err) {
        this.log.warn({ err, topic }, 'a cluster-bus subscriber failed');
      }
    };
    this.emitter.on(topic, safe);
    return () => this.emitter.off(topic, safe);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }

  /** Hands a notice to this process's subscribers. */
  protected deliver(topic: ClusterTopic, payload: unknown): void {
    this.emitter.emit(topic, payload);
  }
}
