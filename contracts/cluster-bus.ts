/**
 * Notices between the gateway processes that share one database: a ticket changed (console live
 * streams), a web chat reply to push to a widget socket held by another process, a token revoked, a
 * config version applied. Not durable: a notice reaches the processes running now, and whatever it
 * announces is already committed to the database, where a process that missed it reads it later.
 */
export interface ClusterBus {
  /** Which transport carries notices between processes ('local': none, one process only). */
  readonly kind: 'local' | 'postgres' | 'redis';
  /** Delivers `payload` (plain JSON) to this process's subscribers at once and to every other process's. */
  publish(topic: ClusterTopic, payload: unknown): void;
  /** Calls `handler` for every notice on `topic`, from this process or another; returns the unsubscribe function. */
  subscribe(topic: ClusterTopic, handler: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}

export type ClusterTopic = 'ticket.change' | 'webchat.deliver' | 'auth.forget' | 'config.applied';
