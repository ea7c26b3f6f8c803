import os from 'node:os';
import { messageBody } from './bodies.js';
import { scrapeEveryProcess, startGateway, waitUntilDrained, ADMIN_TOKEN } from './gateway-under-test.js';
import { sendPaced } from './paced-sender.js';
import { PostgresCpuMonitor, treeCpuSeconds, type PostgresCpu } from './process-cpu.js';
import { adminConnection } from './gateway-under-test.js';

/** The goal of issue 22: intake to ticket within this many milliseconds at p99. */
export const GOAL_MS = 250;

export interface LatencyRound {
  label: string;
  rate: number;
  seconds: number;
  sent: number;
  acknowledged: number;
  /** 202 → message processed (the journal row's processed_at), ms: a lower bound, see the report. */
  toTicket: { p50: number; p95: number; p99: number; max: number };
  /** Acknowledged messages later than GOAL_MS, or never processed within the wait. */
  late: number;
  notDone: number;
  /** Due → 202 at the sender, ms (includes any queueing in the open-loop schedule). */
  intake: { p50: number; p99: number };
  /** How far the sender fell behind its schedule at worst, ms. */
  senderLagMs: number;
  /** The gateway's own histogram (acceptance → after the batch committed, an upper bound): share within GOAL_MS, and the bucket holding p99. */
  histogram: { count: number; withinGoal: number; p99Bucket: string };
  gatewayCpu: number;
  postgresCpu?: PostgresCpu;
  senderCpu: number;
  loadBefore: number;
  loadAfter: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Sums `gateway_pipeline_latency_seconds` buckets over the processes' scrapes. */
function histogram(scrapes: Map<string, string>): Map<string, number> {
  const buckets = new Map<string, number>();
  for (const text of scrapes.values()) {
    for (const m of text.matchAll(/^gateway_pipeline_latency_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
      const le = /le="([^"]+)"/.exec(m[1]!)![1]!;
      buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
    }
  }
  return buckets;
}

function histogramDelta(before: Map<string, number>, after: Map<string, number>): LatencyRound['histogram'] {
  const les = [...after.keys()].sort((a, b) => (a === '+Inf' ? 1 : b === '+Inf' ? -1 : Number(a) - Number(b)));
  const delta = (le: string) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const count = delta('+Inf');
  const p99 = les.find((le) => delta(le) >= 0.99 * count) ?? '+Inf';
  return { count, withinGoal: delta(String(GOAL_MS / 1000)), p99Bucket: p99 === '+Inf' ? '> 60 s' : `≤ ${Number(p99) * 1000} ms` };
}

/**
 * Steady open-loop load on a fresh database: `warmMessages` at `rate` messages/s, drained, then for
 * `seconds`; every acknowledged message of the measured part is read back from the journal.
 */
export async function latencyRound(kind: 'sqlite' | 'postgres', processes: number, rate: number, seconds: number, warmMessages: number): Promise<LatencyRound> {
  const gut = await startGateway(kind, processes);
  const admin = kind === 'postgres' ? adminConnection() : undefined;
  try {
    const common = { url: gut.server.url, token: ADMIN_TOKEN, rate, body: messageBody };
    await sendPaced({ ...common, seconds: warmMessages / rate, prefix: 'warm', firstNumber: 0 });
    if (!(await waitUntilDrained(gut.db, 120_000))) throw new Error('warm-up not drained within 120 s');
    const before = histogram(await scrapeEveryProcess(gut.server.url, processes));
    const monitor = admin ? new PostgresCpuMonitor(admin, gut.databaseName!, new Set([gut.benchBackend!])) : undefined;
    await monitor?.start();
    const loadBefore = os.loadavg()[0]!;
    const cpu0 = treeCpuSeconds(gut.server.pid);
    const self0 = process.cpuUsage();
    const run = await sendPaced({ ...common, seconds, prefix: 'run', firstNumber: warmMessages });
    const self = process.cpuUsage(self0);
    // A gateway that keeps up finishes within a second of the last message; one that does not has a
    // backlog of seconds that waiting longer only turns into bigger figures of late.
    const drained = await waitUntilDrained(gut.db, Math.max(30_000, seconds * 1000));
    const gatewayCpu = treeCpuSeconds(gut.server.pid) - cpu0;
    const postgresCpu = await monitor?.stop();
    const loadAfter = os.loadavg()[0]!;
    const after = histogram(await scrapeEveryProcess(gut.server.url, processes));
    if (!drained) process.stderr.write('  (not drained after the wait: the rest counts as late)\n');

    const rows: Array<{ external_id: string; processed_at: unknown; status: string }> = await gut
      .db('intake_journal')
      .where('external_id', 'like', 'run-%')
      .select('external_id', 'processed_at', 'status');
    const byId = new Map(rows.map((r) => [r.external_id, r]));
    const acked = run.messages.filter((m) => m.status === 202 && m.answeredAt !== undefined);
    const toTicket: number[] = [];
    let notDone = 0;
    for (const m of acked) {
      const row = byId.get(m.externalId);
      if (!row || row.status !== 'done') {
        notDone++;
        toTicket.push(Infinity); // later than any figure: the percentiles say so
      } else toTicket.push(Number(row.processed_at) - m.answeredAt!);
    }
    toTicket.sort((a, b) => (a === b ? 0 : a - b)); // Infinity - Infinity is NaN
    const intake = acked.map((m) => m.answeredAt! - m.dueAt).sort((a, b) => a - b);
    return {
      label: `${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${processes} process${processes > 1 ? 'es' : ''}`,
      rate,
      seconds,
      sent: run.messages.length,
      acknowledged: acked.length,
      toTicket: { p50: percentile(toTicket, 50), p95: percentile(toTicket, 95), p99: percentile(toTicket, 99), max: toTicket.at(-1) ?? NaN },
      late: toTicket.filter((ms) => ms > GOAL_MS).length,
      notDone,
      intake: { p50: percentile(intake, 50), p99: percentile(intake, 99) },
      senderLagMs: Math.max(0, ...run.messages.map((m) => m.sentAt - m.dueAt)),
      histogram: histogramDelta(before, after),
      gatewayCpu,
      postgresCpu,
      senderCpu: (self.user + self.system) / 1e6,
      loadBefore,
      loadAfter,
    };
  } finally {
    await admin?.destroy();
    await gut.stop();
  }
}
