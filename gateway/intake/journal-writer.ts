import type { InboundMessage } from '../../adapters/types.js';
import type { AppendResult, JournalStore } from '../../storage/journal.store.js';
import type { GatewayMetrics } from '../metrics.js';

const toEntry = (w: Waiting) => ({
  channel: w.message.channel,
  externalId: w.message.externalId,
  receivedAt: Date.parse(w.message.receivedAt),
  payload: w.message,
});

interface Waiting {
  message: InboundMessage;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Appends inbound messages to the journal with group commit: messages that arrive
 * while a commit is running are written together in the next transaction. Each
 * caller's promise settles only after its row is committed, so "202" and
 * "\Seen" still mean durable — but one fsync serves many requests.
 */
export class JournalWriter {
  private queue: Waiting[] = [];
  private flushing = false;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly journal: JournalStore,
    private readonly maxBatch: number,
    private readonly metrics?: GatewayMetrics,
  ) {}

  append(message: InboundMessage): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * Resolves once no append is waiting or being committed, or after `maxWaitMs` at the
   * latest (so the pipeline always makes progress under sustained load).
   */
  async idle(maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (this.waiting() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Whether an append is queued or being committed. */
  waiting(): boolean {
    return this.flushing || this.queue.length > 0;
  }

  /** Called after each commit that added rows (wakes the pipeline worker). */
  onAppended(listener: () => void): void {
    this.listeners.push(listener);
  }

  private settle(batch: Waiting[], results: AppendResult[]): void {
    results.forEach((r, i) => {
      const channel = batch[i]!.message.channel;
      (r.duplicate ? this.metrics?.duplicatesReceived : this.metrics?.messagesReceived)?.inc({ channel });
      batch[i]!.resolve(r);
    });
    if (results.some((r) => !r.duplicate)) for (const l of this.listeners) l();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          this.settle(batch, await this.journal.appendMany(batch.map(toEntry)));
        } catch (err) {
          if (batch.length === 1) {
            batch[0]!.reject(err);
            continue;
          }
          // One message the database refuses must not fail the others committed with it:
          // each is tried alone, so only the bad one gets the error.
          for (const w of batch) {
            try {
              this.settle([w], await this.journal.appendMany([toEntry(w)]));
            } catch (error) {
              w.reject(error);
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
