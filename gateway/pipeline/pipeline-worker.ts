import { systemClock, type Clock } from '../../contracts/clock.js';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { InboundMessage } from '../../adapters/types.js';
import type { GatewayConfig } from '../../config/loader.js';
import { dialectOf, type Db } from '../../storage/db.js';
import { CustomerStore } from '../../storage/customer.store.js';
import { DeferredWrites } from '../../storage/deferred-writes.store.js';
import { IncidentStore } from '../../storage/incident.store.js';
import type { ClaimedEntry, JournalStore } from '../../storage/journal.store.js';
import type { OutboxStore } from '../../storage/outbox.store.js';
import { SimilarityStore } from '../../storage/similarity.store.js';
import { TicketNumberSequence } from '../../storage/ticket-numbers.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import type { GatewayMetrics } from '../metrics.js';
import { PollingLoop } from '../polling-loop.js';
import { messageTime, type IntakeContext, type Stage } from './context.js';
import { persist, type PersistResult } from './persist.js';
import { likelyToJoin, readAheadChunk } from './read-ahead.js';
import { RecentBands } from './recent-bands.js';
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
  /**
   * Awaited before each transaction. On SQLite (one writer) the gateway lets waiting intake
   * appends commit first, so acknowledging customers never queues behind ticket writing.
   */
  beforeTransaction?: () => Promise<void>;
  /**
   * On SQLite, whether anything else (an intake append, an agent's request) waits for the one
   * connection. A transaction then ends after the step in hand; while nothing waits it goes on with
   * the next step (one commit, one fsync, for more messages), up to `sqliteTransactionMaxMs`.
   * Not given (as on PostgreSQL, where every process has a pool of connections): one step per transaction.
   */
  othersWaiting?: () => boolean;
  /** Where "now" comes from (default: the system clock). */
  clock?: Clock;
  /** This process's stable name (see gateway/process-identity.ts); without it the worker's claims are anonymous. */
  processName?: string;
}

/**
 * Claims journal rows and turns them into tickets. A batch shares one transaction
 * (one commit for many messages); each message runs inside its own savepoint so a
 * failing message is retried later without holding back the others.
 */
export class PipelineWorker {
  /** Whose claims these are: stable across restarts when the process has a name, so a restart takes its claims back at once. */
  readonly workerId: string;
  private readonly loop: PollingLoop;
  private readonly readAheadStores = { customers: new CustomerStore(), similarity: new SimilarityStore() };
  private readonly incidents = new IncidentStore();

  private readonly clock: Clock;

  constructor(private readonly deps: PipelineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.workerId = `pipeline-${deps.processName ?? randomUUID().slice(0, 8)}`;
    this.loop = new PollingLoop(
      'pipeline batch',
      () => this.processBatch(),
      () => deps.config().gateway.pipeline.pollIntervalMs,
      deps.log,
    );
  }

  /** Takes back what a predecessor of the same name left claimed (killed mid-batch), then starts polling. */
  async start(): Promise<void> {
    const released = await this.deps.journal.releaseClaims(this.workerId);
    if (released > 0) this.deps.log.info({ released, worker: this.workerId }, 'took back journal rows claimed before a restart');
    this.loop.start();
  }

  /** Finishes the batch in hand, then hands back anything still claimed (nothing, normally). */
  async stop(): Promise<void> {
    await this.loop.stop();
    await this.deps.journal.releaseClaims(this.workerId).catch((err) => this.deps.log.warn({ err }, 'could not release journal claims at stop'));
  }

  /** New journal rows arrived: skip the poll wait. */
  notify(): void {
    this.loop.notify();
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

  /** SQLite: the incidents these new tickets joined, recounted once each inside the transaction that linked them. */
  private async recountIncidents(trx: Knex.Transaction, persisted: readonly PersistResult[]): Promise<void> {
    for (const id of joinedIncidents(persisted)) await this.incidents.refresh(trx, id);
  }

  /**
   * Runs the stages' pure `prepare` work for the batch, one message per turn of the event
   * loop. Database calls complete on other threads (sqlite3's pool, the PostgreSQL server),
   * so this fills the time the main thread would otherwise wait on them.
   */
  private prefetch(
    entries: readonly ClaimedEntry[],
    stages: readonly Stage[],
    since: number,
    begun: ReadonlySet<number>,
  ): { stop(): void; done: Promise<void> } {
    const preparers = stages.filter((s) => s.prepare);
    let stopped = preparers.length === 0;
    const messages = entries.map((e) => e.payload as InboundMessage);
    // A guess only: if it cannot be read, every message is prepared as opening a ticket. A message alone (a quiet
    // gateway) is prepared whole: two reads would delay it more than its classification costs.
    const joins =
      stopped || messages.length < 2 ? Promise.resolve([]) : likelyToJoin(this.deps.db, messages, since, this.readAheadStores).catch(() => [] as boolean[]);
    const done = (async () => {
      const joinsTicket = await joins;
      for (const [i, message] of messages.entries()) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (stopped) return;
        // Its stages are running or ran (the guess took a round trip): they computed what they needed.
        if (begun.has(entries[i]!.id)) continue;
        for (const stage of preparers) {
          try {
            stage.prepare!(message, { joinsTicket: joinsTicket[i] ?? false });
          } catch {
            // The stage computes it again when it runs, and reports the error there.
          }
        }
      }
    })();
    return { stop: () => (stopped = true), done };
  }

  async processBatch(): Promise<number> {
    const config = this.deps.config();
    const { batchSize, leaseSeconds, maxAttempts } = config.gateway.pipeline;
    const claimed = await this.deps.journal.claim(this.workerId, batchSize, leaseSeconds * 1000, maxAttempts);
    if (claimed.length === 0) return 0;

    // On PostgreSQL: lanes, or another process at work (one query per batch), make transactions side by side.
    const sqlite = dialectOf(this.deps.db) === 'sqlite';
    // SQLite keeps recent tickets' band keys in memory (recent-bands.ts): told of each commit and rollback.
    const bands = sqlite ? RecentBands.of(this.deps.db) : undefined;
    const poolMax = (this.deps.db.client.config as Knex.Config).pool?.max ?? 10;
    const lanes = sqlite ? 1 : Math.max(1, Math.min(config.gateway.pipeline.concurrency, Math.floor(poolMax / 2)));
    const sideBySide = !sqlite && (lanes > 1 || (await this.deps.journal.othersProcessing(this.workerId)));
    const failures: Array<{ entry: ClaimedEntry; error: unknown }> = [];
    const results: PersistResult[] = [];
    const stages = this.deps.stages();
    // The messages whose stages have started: work ahead is no use to them any more.
    const begun = new Set<number>();
    // `completed` given: the journal row is marked done by the caller with the rest of the chunk.
    const processOne = async (
      trx: Knex.Transaction,
      entry: ClaimedEntry,
      completed?: Array<{ id: number; ticketId: number; now: number }>,
      numbers?: TicketNumberSequence,
    ): Promise<{ persisted: PersistResult; endTransaction: boolean }> => {
      begun.add(entry.id);
      const now = this.clock.now();
      const parent = this.deps.log;
      let log: Logger | undefined;
      const ctx: IntakeContext = {
        journalId: entry.id,
        message: entry.payload as InboundMessage,
        trx,
        now,
        // A child logger per message costs more than most stages; made only when a stage logs.
        get log() {
          return (log ??= parent.child({ journalId: entry.id, channel: entry.channel }));
        },
        identities: [],
        replies: [],
        tags: [],
        sideBySide,
      };
      await runStages(stages, ctx);
      const persisted = await persist(ctx, config, this.deps.tickets, this.deps.outbox, numbers);
      const endTransaction = ctx.endTransaction === true;
      if (completed) {
        completed.push({ id: entry.id, ticketId: persisted.ticketId, now });
        return { persisted, endTransaction };
      }
      if (!(await this.deps.journal.complete(trx, entry.id, this.workerId, persisted.ticketId, now))) {
        throw new LeaseLostError(`journal row ${entry.id} was re-claimed by another worker`);
      }
      return { persisted, endTransaction };
    };

    // The dedupe window's start for these messages: what the reads ahead look back to.
    const windowStart = (entries: readonly ClaimedEntry[]) =>
      Math.min(...entries.map((e) => messageTime(e.payload as InboundMessage, this.clock.now()))) - config.gateway.dedupe.windowDays * 86_400_000;
    // On SQLite (one connection) a transaction goes step by step and ends as soon as anything else
    // waits for it (or its time is up): acknowledging a customer never queues behind ticket writing.
    const step = sqlite ? config.gateway.pipeline.sqliteTransactionSize : config.gateway.pipeline.transactionSize;
    const goOn = (begunAt: number) =>
      sqlite &&
      this.deps.othersWaiting !== undefined &&
      !this.deps.othersWaiting() &&
      performance.now() - begunAt < config.gateway.pipeline.sqliteTransactionMaxMs;
    // Ticket numbers for one transaction. On SQLite (one writer) they are counted in memory and written at its commit.
    // On PostgreSQL they are drawn outside it, in the retry path too: held to its commit, the counter row made every
    // other transaction opening a ticket wait for it, and blocked their draws while it waited for a row one of them
    // held, a deadlock PostgreSQL cannot see (one side waits in this process, not in the database).
    const numbersFor = () => new TicketNumberSequence(this.deps.tickets, sqlite ? undefined : this.deps.db);
    // Runs entries from `from` on in one transaction; returns where it stopped.
    const runChunk = async (entries: readonly ClaimedEntry[], from: number): Promise<number> => {
      let to = Math.min(from + step, entries.length);
      // What this chunk's transaction committed.
      const committed: PersistResult[] = [];
      try {
        // Fast path: the chunk in one transaction, no savepoints, its journal rows
        // marked done by one statement in that same transaction.
        committed.push(
          ...(await this.deps.db.transaction(async (trx) => {
            const begunAt = performance.now();
            const done: PersistResult[] = [];
            const completed: Array<{ id: number; ticketId: number; now: number }> = [];
            const numbers = numbersFor();
            // Events, outbox rows and messages, written but never read back here, go in one statement each
            // (messages with their ids known at once: storage/deferred-writes.store.ts).
            const deferred = DeferredWrites.begin(trx, { ids: sqlite ? 'sqlite' : 'postgres' });
            for (let i = from; ;) {
              const chunk = entries.slice(i, to);
              // The identity and open-ticket reads of the whole step in two queries, not two per message.
              const ahead =
                chunk.length > 1
                  ? await readAheadChunk(
                      trx,
                      chunk.map((e) => e.payload as InboundMessage),
                      windowStart(chunk),
                      this.readAheadStores,
                    )
                  : undefined;
              let commitNow = false;
              for (const [k, entry] of chunk.entries()) {
                const one = await processOne(trx, entry, completed, numbers);
                done.push(one.persisted);
                // A lock that other transactions wait for is held to the commit: commit now, go on in the next.
                if (one.endTransaction) {
                  commitNow = true;
                  to = i + k + 1;
                  break;
                }
              }
              ahead?.end(trx);
              if (commitNow || to === entries.length || !goOn(begunAt)) break;
              i = to;
              to = Math.min(to + step, entries.length);
            }
            if (sqlite) await this.recountIncidents(trx, done);
            await deferred.flush(trx);
            await numbers.flush(trx);
            if ((await this.deps.journal.completeMany(trx, completed, this.workerId)) !== completed.length) {
              throw new LeaseLostError('a journal row of the chunk was re-claimed by another worker');
            }
            return done;
          })),
        );
        bands?.committed();
      } catch (err) {
        bands?.rolledBack();
        const chunk = entries.slice(from, to);
        this.deps.log.debug({ err, journalIds: chunk.map((e) => e.id) }, 'chunk failed in one transaction; redoing it message by message');
        // Something failed: redo the chunk with a savepoint per message, so one bad
        // message is retried later without holding back the others.
        await this.deps.db
          .transaction(async (trx) => {
            // On SQLite numbers counted in memory would not survive a savepoint's rollback: each is taken from the row.
            const numbers = sqlite ? undefined : numbersFor();
            for (const [k, entry] of chunk.entries()) {
              try {
                const one = await trx.transaction((sp) => processOne(sp, entry, undefined, numbers));
                committed.push(one.persisted);
                // As in the fast path: the rest of the chunk goes on in the next transaction.
                if (one.endTransaction) {
                  to = from + k + 1;
                  break;
                }
              } catch (error) {
                bands?.rolledBack();
                failures.push({ entry, error });
              }
            }
            if (sqlite) await this.recountIncidents(trx, committed);
          })
          .catch((error: unknown) => {
            bands?.rolledBack();
            throw error;
          });
        bands?.committed();
      }
      results.push(...committed);
      // On PostgreSQL the incidents this chunk's new tickets joined are recounted now that they are committed, each in a
      // short transaction of its own (storage/incident.store.ts `refresh`); on SQLite they were, just before the commit.
      for (const id of sqlite ? [] : joinedIncidents(committed)) {
        try {
          await this.incidents.refresh(this.deps.db, id);
        } catch (err) {
          this.deps.log.warn({ err, incidentId: id }, 'incident member count not updated; the next ticket it gets recounts it');
        }
      }
      return to;
    };
    // On PostgreSQL several transactions run at once (`lanes`, at most half the pool's connections: a lane's
    // ticket numbers are drawn on another connection while it holds one). Messages from one sender stay in
    // one lane, in order, so a customer's follow-up never races their first message.
    const byLane: ClaimedEntry[][] = Array.from({ length: lanes }, () => []);
    for (const entry of claimed) byLane[laneOf(entry, lanes)]!.push(entry);
    const prefetch = this.prefetch(claimed, stages, windowStart(claimed), begun);
    try {
      await Promise.all(
        byLane.map(async (entries) => {
          for (let i = 0; i < entries.length;) {
            await this.deps.beforeTransaction?.();
            i = await runChunk(entries, i);
          }
        }),
      );
    } finally {
      prefetch.stop();
      await prefetch.done;
    }

    const now = this.clock.now();
    for (const entry of claimed) {
      if (!failures.some((f) => f.entry.id === entry.id)) this.deps.metrics?.pipelineLatency.observe((now - entry.acceptedAt) / 1000);
    }
    for (const { entry, error } of failures) {
      if (error instanceof LeaseLostError) continue;
      this.deps.metrics?.pipelineFailures.inc();
      this.deps.log.error(
        { err: error, journalId: entry.id, attempt: entry.attempts },
        'pipeline failed on a message; it stays in the journal and will be retried',
      );
      await this.deps.journal.fail(entry.id, this.workerId, error instanceof Error ? error.message : String(error), maxAttempts);
    }
    if (results.length > 0) this.deps.onCommitted?.(results);
    return claimed.length;
  }
}

/** The incidents some of these new tickets joined, each once. */
function joinedIncidents(persisted: readonly PersistResult[]): Set<number> {
  return new Set(persisted.flatMap((r) => (r.incidentId === undefined ? [] : [r.incidentId])));
}
