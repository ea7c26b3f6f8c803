/**
 * Intake speed of the gateway against a bare baseline, and the pipeline's drain rate.
 *
 *   npm run bench:intake -- [--quick] [--write] [--only=drain|0,1,…] [--drain-db=sqlite|postgres]
 *   (node --import tsx bench/intake/intake.bench.ts [--quick] [--write])
 *
 * HTTP: each server runs in its own child process (autocannon stays in this one), gets a short
 * warm-up, then CONNECTIONS connections for DURATION seconds of `POST /api/v1/messages`, every
 * request with a unique externalId. Servers:
 *   - baseline: bench/intake/baseline-server.ts, a bare express handler doing one knex insert per
 *     request into a journal-shaped table, SQLite WAL + synchronous=FULL (and =NORMAL, for reference);
 *   - the gateway's real `node gateway/bin.js start` on a fresh SQLite file and on a throwaway
 *     PostgreSQL database, with its workers on (the default) and intake-only (GATEWAY_WORKERS=false).
 * After each run the server is stopped and its table read back: every externalId that got a 2xx
 * must be there (the durability claim), and the row count is compared with the 2xx count.
 *
 * Drain: 20,000 messages (complaint texts from ../shared/data) appended to the journal of a fresh
 * database with workers off, then `gateway.pipeline.drain()` timed, on SQLite and PostgreSQL.
 *
 * Message bodies cycle through real complaint texts (CFPB narratives in English, waimai_10k reviews
 * in Chinese) from 1,000 senders; the baseline receives the same bodies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import knexFactory, { type Knex } from 'knex';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { parseInboundMessage } from '../../gateway/intake/inbound-message.schema.js';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../../test/support/databases.js';
import { startServer } from './process-runner.js';
import { complaintTexts } from './complaint-texts.js';
import { freePort } from '../../test/support/dovecot.js';
import { cpuPerMessageTable, cpuSince, cpuSnapshot, type CpuSnapshot } from './cpu-accounting.js';
import { writeResultsSpan } from '../results-file.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');

const CONNECTIONS = 50;
const DURATION_S = quick ? 3 : 10;
const WARMUP_S = quick ? 1 : 3;
const DRAIN_ROWS = quick ? 2_000 : 20_000;
const SENDERS = 1_000;
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

// ---------------------------------------------------------------------------------------------
// Message bodies

const TEXTS = complaintTexts();

function messageBody(externalId: string, n: number): Record<string, unknown> {
  const t = TEXTS[n % TEXTS.length]!;
  return {
    channel: 'api',
    externalId,
    from: { address: `customer-${n % SENDERS}@example.test`, name: `Customer ${n % SENDERS}` },
    subject: t.language === 'zh' ? '投诉' : 'Complaint',
    text: t.text,
    language: t.language,
  };
}

const averageBodyBytes = Math.round(
  TEXTS.slice(0, 200).reduce((s, _t, i) => s + JSON.stringify(messageBody('run-x-000000', i)).length, 0) / Math.min(200, TEXTS.length),
);

// ---------------------------------------------------------------------------------------------
// HTTP runs

interface HttpRow {
  label: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  rows: number;
  missing: number;
  note?: string;
}

let counter = 0;

/** One autocannon run; collects the externalIds that were acknowledged with a 2xx. */
async function cannon(url: string, prefix: string, seconds: number): Promise<{ result: autocannon.Result; acknowledged: string[] }> {
  const acknowledged: string[] = [];
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    requests: [
      {
        method: 'POST',
        path: '/api/v1/messages',
        setupRequest(req, context) {
          const n = counter++;
          const externalId = `${prefix}-${String(n).padStart(7, '0')}`;
          (context as { id?: string }).id = externalId;
          return { ...req, body: JSON.stringify(messageBody(externalId, n)) };
        },
        // No pipelining: one request in flight per connection, so the context names the answered request.
        onResponse(status, _body, context) {
          if (status >= 200 && status < 300) acknowledged.push((context as { id: string }).id);
        },
      },
    ],
  });
  return { result, acknowledged };
}

interface ServerUnderTest {
  label: string;
  note?: string;
  start(port: number): Promise<{ url: string; stop(): Promise<number | null>; output(): string }>;
  /** External ids with the prefix that are in the server's table, read after the server stopped. */
  stored(prefix: string): Promise<Set<string>>;
  cleanup(): Promise<void>;
}

async function measure(sut: ServerUnderTest, index: number): Promise<HttpRow> {
  const port = await freePort();
  const server = await sut.start(port);
  const prefix = `run${index}`;
  let run: Awaited<ReturnType<typeof cannon>>;
  try {
    await cannon(server.url, `warm${index}`, WARMUP_S);
    run = await cannon(server.url, prefix, DURATION_S);
  } finally {
    const code = await server.stop();
    if (code !== 0 && code !== null) process.stderr.write(`${sut.label}: exited with ${code}\n${server.output()}\n`);
  }
  const stored = await sut.stored(prefix);
  const missing = run.acknowledged.filter((id) => !stored.has(id)).length;
  const r = run.result;
  await sut.cleanup();
  return {
    label: sut.label,
    note: sut.note,
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    rows: stored.size,
    missing,
  };
}

async function externalIds(db: Knex, table: string, prefix: string): Promise<Set<string>> {
  const rows: Array<{ external_id: string }> = await db(table).where('external_id', 'like', `${prefix}-%`).select('external_id');
  return new Set(rows.map((r) => r.external_id));
}

function sqliteReader(file: string): Knex {
  return knexFactory({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
}

function baseline(synchronous: 'FULL' | 'NORMAL'): ServerUnderTest {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
  const file = path.join(dir, 'baseline.sqlite');
  return {
    label: `baseline: express + 1 knex insert/request, SQLite WAL, synchronous=${synchronous}`,
    note: synchronous === 'NORMAL' ? 'reference only: not durable on power loss' : undefined,
    async start(port) {
      return startServer({
        command: process.execPath,
        args: ['--import', 'tsx', path.join(here, 'baseline-server.ts'), file, synchronous, String(port)],
        env: {},
        cwd: ROOT,
        url: `http://127.0.0.1:${port}`,
        readyPath: '/healthz',
      });
    },
    async stored(prefix) {
      const db = sqliteReader(file);
      try {
        return await externalIds(db, 'journal', prefix);
      } finally {
        await db.destroy();
      }
    },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function gateway(kind: 'sqlite' | 'postgres', workers: boolean): ServerUnderTest {
  let database: TestDatabase | undefined;
  return {
    label: `gateway start, ${kind === 'sqlite' ? 'SQLite WAL, synchronous=FULL' : 'PostgreSQL'}, ${workers ? 'workers on (default)' : 'intake only (GATEWAY_WORKERS=false)'}`,
    async start(port) {
      database = await createTestDatabase(kind);
      return startServer({
        command: process.execPath,
        args: [path.join(ROOT, 'gateway/bin.js'), 'start'],
        env: {
          DATABASE_URL: database.url,
          GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          GATEWAY_WORKERS: String(workers),
        },
        cwd: ROOT,
        url: `http://127.0.0.1:${port}`,
        readyPath: '/healthz',
        timeoutMs: 60_000,
      });
    },
    async stored(prefix) {
      const db =
        kind === 'sqlite'
          ? sqliteReader(database!.url.slice('sqlite:'.length))
          : knexFactory({ client: 'pg', connection: database!.url, pool: { min: 0, max: 1 } });
      try {
        return await externalIds(db, 'intake_journal', prefix);
      } finally {
        await db.destroy();
      }
    },
    async cleanup() {
      await database?.drop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Drain

interface DrainRow {
  kind: string;
  rows: number;
  seconds: number;
  perSecond: number;
  tickets: number;
  done: number;
  /** CPU seconds the drain used, by where. */
  cpu: CpuSnapshot;
}

async function drainRate(kind: 'sqlite' | 'postgres'): Promise<DrainRow> {
  const database = await createTestDatabase(kind);
  const config = loadConfig({ dir: path.join(ROOT, 'config'), env: { DATABASE_URL: database.url, LOG_LEVEL: 'silent', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN } });
  const gw = await Gateway.create({ config, workers: false });
  try {
    const now = new Date();
    for (let start = 0; start < DRAIN_ROWS; start += 500) {
      const batch = [];
      for (let n = start; n < Math.min(start + 500, DRAIN_ROWS); n++) {
        const parsed = parseInboundMessage(messageBody(`drain-${n}`, n), now);
        if (!parsed.ok) throw new Error(parsed.problems.join('; '));
        batch.push({
          channel: parsed.message.channel,
          externalId: parsed.message.externalId,
          receivedAt: Date.parse(parsed.message.receivedAt),
          payload: parsed.message,
        });
      }
      await gw.journal.appendMany(batch);
    }
    const cpu0 = cpuSnapshot();
    const t0 = performance.now();
    const processed = await gw.pipeline.drain();
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSince(cpu0);
    const done = Number((await gw.db('intake_journal').where('status', 'done').count({ n: '*' }).first())?.n ?? 0);
    const tickets = Number((await gw.db('tickets').count({ n: '*' }).first())?.n ?? 0);
    return {
      kind: kind === 'sqlite' ? 'SQLite (WAL, synchronous=FULL)' : 'PostgreSQL',
      rows: processed,
      seconds,
      perSecond: processed / seconds,
      tickets,
      done,
      cpu,
    };
  } finally {
    await gw.stop();
    await database.drop();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(http: HttpRow[], drains: DrainRow[], failures: string[], startedAt: Date): string {
  const cpu = os.cpus();
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const dirty = git('status', '--porcelain', '--', 'gateway', 'storage', 'config', 'adapters', 'nlp').length > 0;
  const lines = [
    `Code: commit ${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ' plus uncommitted changes in gateway/storage/config/adapters/nlp at run time' : ''}.`,
    `Run ${startedAt.toISOString()} on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    `Each server ran in its own child process; autocannon ran in the parent on the same ${cpu.length} cores, so load generator and server compete for CPU (numbers are for comparison within the run, not capacity planning).`,
    '',
    `Command: \`npm run bench:intake${quick ? ' -- --quick' : ''}\` (= \`node --import tsx bench/intake/intake.bench.ts${quick ? ' --quick' : ''}\`)`,
    '',
    `### POST /api/v1/messages: ${CONNECTIONS} connections × ${DURATION_S} s after a ${WARMUP_S} s warm-up, unique externalId per request, bodies ≈ ${fmt(averageBodyBytes)} B (real complaint texts)`,
    '',
    '| server | req/s | p50 ms | p99 ms | 2xx | non-2xx | errors (timeouts) | rows stored | acknowledged but missing |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...http.map(
      (r) =>
        `| ${r.label}${r.note ? ` (${r.note})` : ''} | ${fmt(r.reqPerSec)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.ok2xx)} | ${fmt(r.non2xx)} | ${fmt(r.errors)} (${fmt(r.timeouts)}) | ${fmt(r.rows)} | ${fmt(r.missing)} |`,
    ),
    '',
    '"rows stored" is read from the table after the server stopped; it may exceed 2xx by the requests still in flight when autocannon stopped (committed, answer not read). "acknowledged but missing" must be 0.',
    '',
    `### Pipeline drain: ${fmt(DRAIN_ROWS)} journal rows preloaded with workers off, then \`gateway.pipeline.drain()\` (batch ${loadConfig({ dir: path.join(ROOT, 'config'), env: {} }).gateway.pipeline.batchSize}, ${SENDERS} senders)`,
    '',
    '| database | messages | seconds | messages/s | journal rows done | tickets |',
    '|---|---:|---:|---:|---:|---:|',
    ...drains.map((d) => `| ${d.kind} | ${fmt(d.rows)} | ${fmt(d.seconds, 1)} | ${fmt(d.perSecond)} | ${fmt(d.done)} | ${fmt(d.tickets)} |`),
    '',
    ...cpuPerMessageTable(
      drains.map((d) => ({ label: d.kind, messages: d.rows, cpu: d.cpu, database: d.kind === 'PostgreSQL' })),
      cpu.length,
    ),
  ];
  if (failures.length > 0) lines.push('', '**Failed phases:**', ...failures.map((f) => `- ${f}`));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

const startedAt = new Date();
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const servers: ServerUnderTest[] = [
  baseline('FULL'),
  baseline('NORMAL'),
  gateway('sqlite', true),
  gateway('sqlite', false),
  gateway('postgres', true),
  gateway('postgres', false),
];
const http: HttpRow[] = [];
const drains: DrainRow[] = [];
const failures: string[] = [];

for (const [i, sut] of servers.entries()) {
  if (only && !only.split(',').includes(String(i))) continue;
  process.stderr.write(`▶ ${sut.label} …\n`);
  try {
    const row = await measure(sut, i);
    http.push(row);
    process.stderr.write(
      `  ${fmt(row.reqPerSec)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, 2xx ${row.ok2xx}, non-2xx ${row.non2xx}, rows ${row.rows}, missing ${row.missing}\n`,
    );
  } catch (err) {
    failures.push(`${sut.label}: ${(err as Error).message.split('\n')[0]}`);
    process.stderr.write(`  failed: ${(err as Error).message}\n`);
  }
}
if (!only || only.split(',').includes('drain')) {
  const drainDbs = process.argv
    .find((a) => a.startsWith('--drain-db='))
    ?.slice('--drain-db='.length)
    .split(',') ?? ['sqlite', 'postgres'];
  for (const kind of (['sqlite', 'postgres'] as const).filter((k) => drainDbs.includes(k))) {
    process.stderr.write(`▶ drain ${kind} (${DRAIN_ROWS} rows) …\n`);
    try {
      const d = await drainRate(kind);
      drains.push(d);
      process.stderr.write(`  ${fmt(d.perSecond)} messages/s (${fmt(d.seconds, 1)} s)\n`);
    } catch (err) {
      failures.push(`drain ${kind} (${kind === 'postgres' ? TEST_POSTGRES_URL : 'temp file'}): ${(err as Error).message.split('\n')[0]}`);
      process.stderr.write(`  failed: ${(err as Error).stack}\n`);
    }
  }
}

const markdown = report(http, drains, failures, startedAt);
process.stdout.write(`${markdown}\n`);
if (write) {
  // Only the generated part of our span: the reading written by hand around it stays.
  writeResultsSpan('intake:generated', markdown);
  process.stderr.write('bench/RESULTS.md updated (span bench:intake:generated)\n');
}
const lost = http.some((r) => r.missing > 0);
process.exitCode = failures.length > 0 || lost ? 1 : 0;
