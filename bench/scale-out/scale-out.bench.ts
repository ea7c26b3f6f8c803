/**
 * Several gateway processes on one PostgreSQL (issue 22): drain rate of 1 against 2 processes, and the
 * time from intake to ticket under a steady load.
 *
 *   npm run bench:scale-out -- [--write] [--only=drain|latency] [--rows=2000] [--rounds=2]
 *                              [--rate=500] [--seconds=20] [--quick]
 *
 * Drain: each round is a fresh PostgreSQL database and a real `node gateway/bin.js start` (with
 * `--processes 2` for two), warmed up on one message from each regular customer; then `--rows`
 * journal rows (complaint texts from ../shared/data; 1 message in 20 from a new customer, as in
 * bench/intake's drain) are committed in one transaction and the time until none is left pending
 * is measured. Rounds alternate 1, 2, 1, 2 … processes so that the
 * machine's other load falls on both. CPU comes from /proc: the gateway processes (primary and
 * workers), and the PostgreSQL backends of the round's database (other databases' are left out).
 * After each round: every journal row done, one inbound message per row, ticket counts compared.
 *
 * Latency: `--rate` messages/s for `--seconds`, open-loop (each message sent at its time whether or
 * not earlier ones were answered) to POST /api/v1/messages on 1 and 2 processes on PostgreSQL and 1
 * on SQLite; per message, the 202 at the sender against the journal row's processed_at.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { loadConfig } from '../../config/loader.js';
import { writeResultsSpan } from '../results-file.js';
import { SENDERS } from './bodies.js';
import { drainRound, type DrainRound } from './drain-round.js';
import { ROOT } from './gateway-under-test.js';
import { GOAL_MS, latencyRound, type LatencyRound } from './latency-round.js';
import path from 'node:path';

const arg = (name: string, fallback: number) => {
  const value = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return value === undefined ? fallback : Number(value);
};
const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const ROWS = arg('rows', quick ? 600 : 2_000);
const ROUNDS = arg('rounds', quick ? 1 : 2);
const RATE = arg('rate', 500);
const SECONDS = arg('seconds', quick ? 5 : 20);
const WARM_MESSAGES = SENDERS;

// Infinity: a message not processed when the bench stopped waiting.
const fmt = (n: number, digits = 0) =>
  n === Infinity ? 'not processed' : Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
const ms = (seconds: number, messages: number) => fmt((seconds * 1000) / messages, 2);

function drainTable(rounds: DrainRound[]): string[] {
  const lines = [
    '| round | processes | messages/s | seconds | gateway CPU ms/msg | PostgreSQL backends ms/msg | PostgreSQL shared ms/msg | total ms/msg | load before → after | done / rows | inbound messages (distinct rows) | tickets | claimed twice | rows per process |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|',
  ];
  rounds.forEach((r, i) => {
    const total = r.gatewayCpu + r.postgresCpu.backends + r.postgresCpu.shared;
    lines.push(
      `| ${i + 1} | ${r.processes} | ${fmt(r.perSecond)} | ${fmt(r.seconds, 1)} | ${ms(r.gatewayCpu, r.rows)} | ${ms(r.postgresCpu.backends, r.rows)} | ${ms(r.postgresCpu.shared, r.rows)} | ${ms(total, r.rows)} | ${fmt(r.loadBefore, 1)} → ${fmt(r.loadAfter, 1)} | ${fmt(r.done)} / ${fmt(r.done + r.notDone)} | ${fmt(r.inboundMessages)} (${fmt(r.distinctJournalIds)}) | ${fmt(r.tickets)} | ${fmt(r.reclaimed)} | ${r.byProcess.map((n) => fmt(n)).join(' + ')} |`,
    );
  });
  const mean = (p: number) => {
    const of = rounds.filter((r) => r.processes === p);
    return of.reduce((s, r) => s + r.perSecond, 0) / of.length;
  };
  const pairs = rounds.filter((r) => r.processes === 2).map((r2, i) => r2.perSecond / (rounds.filter((r) => r.processes === 1)[i]?.perSecond ?? NaN));
  // What the measured CPU allows on an otherwise idle machine: N processes can use at most N cores of
  // gateway CPU (one event loop each, roughly), and gateways plus server at most all the cores.
  const cores = os.cpus().length;
  const ceiling = (p: number) => {
    const of = rounds.filter((r) => r.processes === p);
    const gw = of.reduce((s, r) => s + r.gatewayCpu / r.rows, 0) / of.length;
    const total = of.reduce((s, r) => s + (r.gatewayCpu + r.postgresCpu.backends + r.postgresCpu.shared) / r.rows, 0) / of.length;
    return Math.min(Math.min(p, cores) / gw, cores / total);
  };
  lines.push(
    '',
    `2 processes ÷ 1 process: **${fmt(mean(2) / mean(1), 2)}×** on the means (${fmt(mean(1))} → ${fmt(mean(2))} messages/s); round by round ${pairs.map((p) => `${fmt(p, 2)}×`).join(', ')} (goal ≥ 1.6×).`,
    '',
    `Ceiling from the CPU per message alone, were the ${cores} cores free of other work: 1 process min(1 core ÷ gateway CPU, ${cores} cores ÷ total CPU) = ${fmt(ceiling(1))} messages/s, 2 processes min(2 cores ÷ gateway CPU, ${cores} cores ÷ total) = ${fmt(ceiling(2))} messages/s: **${fmt(ceiling(2) / ceiling(1), 2)}×**.`,
  );
  return lines;
}

function latencyTable(rows: LatencyRound[]): string[] {
  return [
    `| gateway | sent | 202 | 202 → processed p50 / p95 / p99 / max ms | later than ${GOAL_MS} ms (of which not processed within the wait) | gateway histogram: within ${GOAL_MS} ms, p99 bucket | 202 at the sender p50 / p99 ms | sender behind schedule, worst ms | CPU s: gateways / PostgreSQL backends / sender | load before → after |`,
    '|---|---:|---:|---|---:|---|---|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fmt(r.sent)} | ${fmt(r.acknowledged)} | ${fmt(r.toTicket.p50)} / ${fmt(r.toTicket.p95)} / ${fmt(r.toTicket.p99)} / ${fmt(r.toTicket.max)} | ${fmt(r.late)} (${fmt(r.notDone)}) | ${fmt((100 * r.histogram.withinGoal) / r.histogram.count, 1)} % of ${fmt(r.histogram.count)}, ${r.histogram.p99Bucket} | ${fmt(r.intake.p50)} / ${fmt(r.intake.p99)} | ${fmt(r.senderLagMs)} | ${fmt(r.gatewayCpu, 1)} / ${r.postgresCpu ? fmt(r.postgresCpu.backends, 1) : '–'} / ${fmt(r.senderCpu, 1)} | ${fmt(r.loadBefore, 1)} → ${fmt(r.loadAfter, 1)} |`,
    ),
  ];
}

function report(drains: DrainRound[], latencies: LatencyRound[], failures: string[], startedAt: Date): string {
  const cpu = os.cpus();
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const dirty = git('status', '--porcelain', '--', 'gateway', 'storage', 'config', 'adapters', 'nlp').length > 0;
  const pipeline = loadConfig({ dir: path.join(ROOT, 'config'), env: {} }).gateway.pipeline;
  const flags = process.argv.slice(2).filter((a) => a !== '--write');
  const lines = [
    `Code: commit ${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ' plus uncommitted changes in gateway/storage/config/adapters/nlp at run time' : ''}.`,
    `Run ${startedAt.toISOString()} on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}; the gateways, the PostgreSQL server and this bench (the sender) share these ${cpu.length} cores, with whatever else runs on the machine (load average below).`,
    '',
    `Command: \`npm run bench:scale-out${flags.length ? ` -- ${flags.join(' ')}` : ''}\` (= \`node --import tsx bench/scale-out/scale-out.bench.ts${flags.length ? ` ${flags.join(' ')}` : ''}\`)`,
  ];
  if (drains.length > 0) {
    lines.push(
      '',
      `### Drain on PostgreSQL: ${fmt(ROWS)} journal rows committed at once into a running, warmed-up \`gateway start --processes N\` (batch ${pipeline.batchSize}; after ${SENDERS} warm-up messages from ${SENDERS} customers, 1 message in 20 from a new customer), fresh database per round`,
      '',
      ...drainTable(drains),
      '',
      'Seconds run from the commit of the backlog to the first poll (every 50 ms) that finds no row pending or processing. CPU is user + system from /proc over that time: "gateway" is the primary and its workers; "PostgreSQL backends" the server processes connected to the round\'s database (the bench\'s own connection left out); "shared" the WAL writer, checkpointer and background writer, which also serve whatever else uses the server. "tickets" counts the warm-up too; it must be equal in every round.',
    );
  }
  if (latencies.length > 0) {
    lines.push(
      '',
      `### Intake to ticket at a steady ${fmt(RATE)} messages/s for ${SECONDS} s (open loop, after ${WARM_MESSAGES} warm-up messages, drained; 1 in 20 from a new customer), fresh database each`,
      '',
      ...latencyTable(latencies),
      '',
      `"202 → processed" is the journal row's processed_at (stamped by the gateway when it starts the message, before its transaction commits) minus the time the 202 reached the sender: it can fall short of the moment the ticket is visible by the rest of the message's transaction (up to ${pipeline.transactionSize} messages on PostgreSQL). The gateway's own histogram (gateway_pipeline_latency_seconds, summed over the processes' /metrics) runs from acceptance to the end of the batch, after its commit: an upper bound. A message not processed when the bench stopped waiting counts as late.`,
    );
  }
  if (failures.length > 0) lines.push('', '**Failed phases:**', ...failures.map((f) => `- ${f}`));
  return lines.join('\n');
}

const startedAt = new Date();
const drains: DrainRound[] = [];
const latencies: LatencyRound[] = [];
const failures: string[] = [];
const say = (s: string) => process.stderr.write(`${s}\n`);

if (!only || only === 'drain') {
  for (let round = 0; round < ROUNDS * 2; round++) {
    const processes = round % 2 === 0 ? 1 : 2;
    say(`▶ drain, ${processes} process(es), ${ROWS} rows (round ${round + 1} of ${ROUNDS * 2}) …`);
    try {
      const r = await drainRound(processes, ROWS);
      drains.push(r);
      say(
        `  ${fmt(r.perSecond)} messages/s in ${fmt(r.seconds, 1)} s; done ${r.done}, not done ${r.notDone}, tickets ${r.tickets}; load ${fmt(r.loadAfter, 1)}`,
      );
    } catch (err) {
      failures.push(`drain, ${processes} process(es): ${(err as Error).message.split('\n')[0]}`);
      say(`  failed: ${(err as Error).stack}`);
    }
  }
}
if (!only || only === 'latency') {
  for (const [kind, processes] of [
    ['postgres', 1],
    ['postgres', 2],
    ['sqlite', 1],
  ] as const) {
    say(`▶ latency, ${kind}, ${processes} process(es), ${RATE}/s × ${SECONDS} s …`);
    try {
      const r = await latencyRound(kind, processes, RATE, SECONDS, WARM_MESSAGES);
      latencies.push(r);
      say(`  p50 ${fmt(r.toTicket.p50)} ms, p99 ${fmt(r.toTicket.p99)} ms, late ${r.late} of ${r.acknowledged}; load ${fmt(r.loadAfter, 1)}`);
    } catch (err) {
      failures.push(`latency, ${kind}, ${processes} process(es): ${(err as Error).message.split('\n')[0]}`);
      say(`  failed: ${(err as Error).stack}`);
    }
  }
}

const markdown = report(drains, latencies, failures, startedAt);
process.stdout.write(`${markdown}\n`);
if (write) {
  // Only the generated part: the reading written by hand around it stays.
  writeResultsSpan('scale-out:generated', markdown);
  say('bench/RESULTS.md updated (span bench:scale-out:generated)');
}
// Correctness, not speed, fails the run: a row left undone, a row with two inbound messages, or ticket counts that differ.
const wrong =
  drains.some((r) => r.notDone > 0 || r.inboundMessages !== r.done || r.distinctJournalIds !== r.done) ||
  new Set(drains.map((r) => r.tickets)).size > 1 ||
  latencies.some((r) => r.acknowledged < r.sent);
process.exitCode = failures.length > 0 || wrong ? 1 : 0;
