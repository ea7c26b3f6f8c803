import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { InboundMessage } from '../../adapters/types.js';
import type { GatewayConfig } from '../../config/loader.js';
import { dialectOf, type Db } from '../../storage/db.js';
import type { ClaimedEntry, JournalStore } from '../../storage/journal.store.js';
import type { OutboxStore } from '../../storage/outbox.store.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import type { GatewayMetrics } from '../metrics.js';
import type { IntakeContext, Stage } from './context.js';
import { persist, type PersistResult } from './persist.js';
import { runStages } from './runner.js';

class LeaseLostError extends Error {}

function laneOf(entry: ClaimedEntry, lanes: number): number {
  if (lanes === 1) return 0;
  const address = String((entry.payload as InboundMessage)?.from?.address ?? '').toLowerCase();
  let h = 0;
  for (let i = 0; i < address.length; i++) h = (h * 31 + address.charCodeAt(i)) | 0;
  return Math.abs(h) % lanes;
}

export interface PipelineDeps {
  db: Db;
  journal: JournalStore;
  tickets: TicketStore;
  outbox: OutboxStore;
  config: () => GatewayConfig;
  stages: () => readonly Stage[];
  log: Logger;
  metrics?: GatewayMetrics;
  /** Called after each committed batch (wakes the outbox sender). */
  onCommitted?: (results: PersistResult[]) => void;
}

/**
 * Claims journal rows and turns them into tickets. A batch shares one transaction
 * (one commit for many messages); each message runs inside its own savepoint so a
 * failing message is retried later without holding back the others.
 */
export class PipelineWorker {
  readonly workerId = `pipeline-${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingWake = false;

  constructor(private readonly deps: PipelineDeps) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
  }

  /** New journal rows arrived: skip the poll wait. */
  notify(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  /** Processes batches until the journal has nothing claimable. Returns the number processed. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.processBatch();
      if (n === 0) return total;
      total += n;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let processed = 0;
      try {
        processed = await this.processBatch();
      } catch (err) {
        this.deps.log.error({ err }, 'pipeline batch failed; retrying after the poll interval');
      }
      if (processed === 0 && this.running) await this.sleep(this.deps.config().gateway.pipeline.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.pendingWake = false;
        done();
      };
    });
  }

  async processBatch(): Promise<number> {
    const config = this.deps.config();
    const { batchSize, leaseSeconds, maxAttempts } = config.gateway.pipeline;
    const claimed = await this.deps.journal.claim(this.workerId, batchSize, leaseSeconds * 1000, maxAttempts);
    if (claimed.length === 0) return 0;

    const failures: Array<{ entry: ClaimedEntry; error: unknown }> = [];
    const results: PersistResult[] = [];
    const stages = this.deps.stages();
    const processOne = async (trx: Knex.Transaction, entry: ClaimedEntry): Promise<PersistResult> => {
      const now = Date.now();
      const ctx: IntakeContext = {
        journalId: entry.id,
        message: entry.payload as InboundMessage,
        trx,
        now,
        log: this.deps.log.child({ journalId: entry.id, channel: entry.channel }),
        identities: [],
        replies: [],
        tags: [],
      };
      await runStages(stages, ctx);
      const persisted = await persist(ctx, config, this.deps.tickets, this.deps.outbox);
      if (!(await this.deps.journal.complete(trx, entry.id, this.workerId, persisted.ticketId, now))) {
        throw new LeaseLostError(`journal row ${entry.id} was re-claimed by another worker`);
      }
      return persisted;
    };

    // Short transactions: on SQLite (one writer) a long one would hold intake appends back.
    const size = config.gateway.pipeline.transactionSize;
    const runChunk = async (chunk: ClaimedEntry[]) => {
      try {
        // Fast path: the whole chunk in one transaction, no savepoints.
        results.push(
          ...(await this.deps.db.transaction(async (trx) => {
            const done: PersistResult[] = [];
            for (const entry of chunk) done.push(await processOne(trx, entry));
            return done;
          })),
        );
      } catch {
        // Something failed: redo the chunk with a savepoint per message, so one bad
        // message is retried later without holding back the others.
        await this.deps.db.transaction(async (trx) => {
          for (const entry of chunk) {
            try {
              results.push(await trx.transaction((sp) => processOne(sp, entry)));
            } catch (error) {
              failures.push({ entry, error });
            }
          }
        });
      }
    };
    // On PostgreSQL several transactions run at once. Messages from one sender stay in one
    // lane, in order, so a customer's follow-up never races their first message.
    const lanes = dialectOf(this.deps.db) === 'postgres' ? config.gateway.pipeline.concurrency : 1;
    const byLane: ClaimedEntry[][] = Array.from({ length: lanes }, () => []);
    for (const entry of claimed) byLane[laneOf(entry, lanes)]!.push(entry);
    await Promise.all(
      byLane.map(async (entries) => {
        for (let i = 0; i < entries.length; i += size) await runChunk(entries.slice(i, i + size));
      }),
    );

    const now = Date.now();
    for (const entry of claimed) {
      if (!failures.some((f) => f.entry.id === entry.id)) this.deps.metrics?.pipelineLatency.observe((now - entry.acceptedAt) / 1000);
    }
    for (const { entry, error } of failures) {
      if (error instanceof LeaseLostError) continue;
      this.deps.metrics?.pipelineFailures.inc();
      this.deps.log.error({ err: error, journalId: entry.id, attempt: entry.attempts }, 'pipeline failed on a message; it stays in the journal and will be retried');
      await this.deps.journal.fail(entry.id, this.workerId, error instanceof Error ? error.message : String(error), maxAttempts);
    }
    if (results.length > 0) this.deps.onCommitted?.(results);
    return claimed.length;
  }
}
