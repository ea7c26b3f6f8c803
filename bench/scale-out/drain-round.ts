import os from 'node:os';
import { JournalStore } from '../../storage/journal.store.js';
import { journalEntries, SENDERS } from './bodies.js';
import { adminConnection, startGateway, waitUntilDrained } from './gateway-under-test.js';
import { PostgresCpuMonitor, treeCpuSeconds, type PostgresCpu } from './process-cpu.js';

export interface DrainRound {
  processes: number;
  rows: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds of the gateway processes (primary and workers) during the drain. */
  gatewayCpu: number;
  postgresCpu: PostgresCpu;
  loadBefore: number;
  loadAfter: number;
  /** Read back after the drain: journal rows by status, inbound messages written for them, tickets. */
  done: number;
  notDone: number;
  inboundMessages: number;
  distinctJournalIds: number;
  tickets: number;
  /** Journal rows claimed more than once (a lease lost or a retry). */
  reclaimed: number;
  /** Rows each process completed, largest first. */
  byProcess: number[];
}

/**
 * One round on a fresh PostgreSQL database: `gateway start --processes N` is started and warmed up
 * on `warmRows` messages (one ticket for each regular customer); then `rows` journal rows are committed in one transaction (a backlog
 * appearing at once, as after an outage) and the time until none is left pending is measured,
 * with the CPU the gateway processes and the database's PostgreSQL backends used meanwhile.
 */
export async function drainRound(processes: number, rows: number, warmRows = SENDERS): Promise<DrainRound> {
  const gut = await startGateway('postgres', processes);
  const admin = adminConnection();
  try {
    const journal = new JournalStore(gut.db);
    await journal.appendMany(journalEntries('warm', 0, warmRows));
    if (!(await waitUntilDrained(gut.db, 120_000))) throw new Error('warm-up rows not drained within 120 s');
    const backlog = journalEntries('drain', warmRows, rows);
    const monitor = new PostgresCpuMonitor(admin, gut.databaseName!, new Set([gut.benchBackend!]));
    const loadBefore = os.loadavg()[0]!;
    await journal.appendMany(backlog);
    // From the commit: the gateways may claim the first rows before the next line runs (a few ms lost).
    const t0 = performance.now();
    const cpu0 = treeCpuSeconds(gut.server.pid);
    await monitor.start();
    if (!(await waitUntilDrained(gut.db, 600_000))) throw new Error('backlog not drained within 600 s');
    const seconds = (performance.now() - t0) / 1000;
    const gatewayCpu = treeCpuSeconds(gut.server.pid) - cpu0;
    const postgresCpu = await monitor.stop();
    const loadAfter = os.loadavg()[0]!;

    const count = async (q: ReturnType<typeof gut.db.queryBuilder>) => Number(((await q) as Array<{ n: unknown }>)[0]?.n ?? 0);
    const done = await count(gut.db('intake_journal').where('status', 'done').count({ n: '*' }));
    const total = await count(gut.db('intake_journal').count({ n: '*' }));
    const inbound = (await gut.db('messages').whereNotNull('journal_id').first(gut.db.raw('count(*) AS n, count(DISTINCT journal_id) AS d'))) as {
      n: unknown;
      d: unknown;
    };
    const byProcess = (await gut.db('intake_journal').where('status', 'done').groupBy('claimed_by').select('claimed_by').count({ n: '*' }))
      .map((r) => Number(r.n))
      .sort((a, b) => b - a);
    return {
      processes,
      rows,
      seconds,
      perSecond: rows / seconds,
      gatewayCpu,
      postgresCpu,
      loadBefore,
      loadAfter,
      done,
      notDone: total - done,
      inboundMessages: Number(inbound.n),
      distinctJournalIds: Number(inbound.d),
      tickets: await count(gut.db('tickets').count({ n: '*' })),
      reclaimed: await count(gut.db('intake_journal').where('attempts', '>', 1).count({ n: '*' })),
      byProcess,
    };
  } finally {
    await admin.destroy();
    await gut.stop();
  }
}
