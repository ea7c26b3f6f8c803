/**
 * Scale check for issue 4: intake latency with 10,000 and with 1,000,000 tickets in the store
 * must differ by at most 20 %, because dedupe, identify and incident lookups use indexes only.
 *
 *   node --import tsx bench/dedupe/scale.bench.ts [--sizes 10000,1000000] [--db sqlite,postgres]
 *        [--per-kind 200] [--duration 15] [--write]
 *
 * Per database and size:
 *   1. Seed a fresh database (migrated by the gateway's own migrations) with N tickets by bulk SQL,
 *      not through the pipeline (which drains a few hundred messages/s): a pool of 3,000 real complaint texts
 *      from ../shared/data (CFPB narratives, online_shopping and waimai negative reviews) gets its real
 *      problemSignature() (features, MinHash, 64 LSH bands) and understanding (category, severity)
 *      once; then `INSERT … SELECT` over a number sequence (a recursive CTE on SQLite,
 *      generate_series on PostgreSQL) writes customers (0.6 per ticket), their channel identity,
 *      tickets over the last 90 days (ids in time order; old ones mostly closed, recent ones mostly
 *      open; the last 7 days hold the same 778 tickets at every size, so only history grows), one
 *      inbound message, one `created` event, one done journal row, one thread, the signature (the
 *      gateway rebuilds recent tickets' band keys from it at start: no band rows), and an order
 *      number on 40 % of tickets (ticket_orders + the customer's `order` identity). Indexes the
 *      migrations create stay. Then ANALYZE.
 *   2. Start the real Gateway (workers on, free port). Warm up with 60 messages.
 *   3. Query plans: one message of each kind is sent with knex's 'query' event recording every
 *      statement; each distinct SELECT/UPDATE/DELETE gets EXPLAIN QUERY PLAN (SQLite) or EXPLAIN
 *      (PostgreSQL) with its real bindings. A plan that reads a table without an index is flagged.
 *   4. Pipeline latency: `--per-kind` messages of each kind, interleaved, paced at 25/s (below the
 *      drain rate, so no queue builds): existing customers (a seeded identity, a pool text), new
 *      customers, and a new address naming the order number of a recent seeded ticket (identify
 *      merges by the order, dedupe finds the open ticket by order). Latency per message = journal
 *      `processed_at − accepted_at` (accepted → ticket committed, ms resolution). The paced POSTs'
 *      own latency is reported too (intake, unloaded).
 *   5. Intake under load: autocannon, 10 connections, `--duration` s of POST /api/v1/messages with
 *      unique externalIds, the three kinds in turn, workers running beside it (as in production).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { loadConfig, type GatewayConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { problemSignature } from '../../nlp/similarity/problem-signature.js';
import { warmUpNormalizer } from '../../nlp/text-normalizer.js';
import { UnderstandingEngine } from '../../nlp/understanding.js';
import { dialectOf, migrate, openDatabase, type Db } from '../../storage/db.js';
import { createTestDatabase, type TestDatabaseKind } from '../../test/support/databases.js';
import { seededRandom } from '../../nlp/seeded-random.js';
import { SHARED_DATA_DIR } from '../shared-data.js';
import { writeResultsSpan } from '../results-file.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const DATA = SHARED_DATA_DIR;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,1000000' },
    db: { type: 'string', default: 'sqlite' },
    'per-kind': { type: 'string', default: '200' },
    duration: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '2' },
    write: { type: 'boolean', default: false },
  },
});
const SIZES = args.sizes!.split(',').map((s) => Number(s.trim()));
const KINDS = args.db!.split(',').map((s) => s.trim()) as TestDatabaseKind[];
const PER_KIND = Number(args['per-kind']);
const DURATION_S = Number(args.duration);
const ROUNDS = Number(args.rounds);
const CONNECTIONS = 10;
const PACE_PER_S = 25;
const POOL_PER_SOURCE = 1_000;
const CUSTOMERS_PER_TICKET = 0.6;
const ORDER_SHARE_MOD = 5; // n % 5 < 2: 40 % of tickets name an order number
const SPREAD_DAYS = 90;
const DAY_MS = 86_400_000;
/**
 * The tickets created in the last RECENT_DAYS (the dedupe window, which holds the surge window):
 * as many as a 10,000-ticket store spread evenly over 90 days has, whatever the size. The goal is
 * about how much is stored; with history spread evenly a 1M store would also have 100 times the
 * current traffic, and surge detection (which compares a new ticket with the last half hour's
 * similar ones, at most 500) would be measuring the traffic rate instead.
 */
const RECENT_DAYS = 7;
const recentTickets = (n: number) => Math.min(n, Math.round((10_000 * RECENT_DAYS) / SPREAD_DAYS));
const ADMIN_TOKEN = 'scale-bench-admin-token-0123456789';
const GOAL_RATIO = 1.2;
const CHANNELS = ['email', 'sms', 'wechat', 'webchat'] as const;

// ---------------------------------------------------------------------------------------------
// The text pool: real complaints with their real signatures and understanding, computed once.

interface PoolText {
  idx: number;
  text: string;
  subject: string;
  language: 'zh' | 'en';
  category: string;
  severity: number;
  signature: string;
}

function loadPool(config: GatewayConfig): PoolText[] {
  const csv = (file: string) => parseCsvObjects(readFileSync(path.join(DATA, file), 'utf8'));
  // CFPB narratives run to pages; an e-mail complaint is a few paragraphs.
  const cfpb = csv('cfpb/sample.csv')
    .filter((r) => (r.narrative ?? '').trim())
    .slice(0, POOL_PER_SOURCE)
    .map((r) => ({ text: r.narrative!.trim().slice(0, 800), subject: r.issue?.trim() || 'Complaint', language: 'en' as const }));
  const shopping = csv('online_shopping_10_cats/sample.csv')
    .filter((r) => r.label === '0' && (r.review ?? '').trim())
    .slice(0, POOL_PER_SOURCE)
    .map((r) => ({ text: r.review!.trim(), subject: `${r.cat}投诉`, language: 'zh' as const }));
  const waimai = csv('waimai_10k/sample.csv')
    .filter((r) => r.label === '0' && (r.review ?? '').trim())
    .slice(0, POOL_PER_SOURCE)
    .map((r) => ({ text: r.review!.trim(), subject: '外卖投诉', language: 'zh' as const }));
  const engine = new UnderstandingEngine(config.categories);
  const all = [];
  // Interleave the sources so `n % pool` mixes languages.
  for (let i = 0; i < POOL_PER_SOURCE; i++) for (const src of [cfpb, shopping, waimai]) if (src[i]) all.push(src[i]!);
  return all.map((t, idx) => {
    const sig = problemSignature(`${t.subject}\n${t.text}`);
    const u = engine.analyze({ text: t.text, subject: t.subject });
    return {
      idx,
      ...t,
      category: u.category,
      severity: u.severity,
      signature: JSON.stringify({ features: sig.features, minhash: sig.minhash }),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Seeding by bulk SQL

/** Multi-row inserts of ≤ 100 rows (knex's SQLite multi-row insert is a compound SELECT limited to 500 terms). */
async function insertChunked(db: Knex | Knex.Transaction, table: string, rows: Array<Record<string, unknown>>, chunk = 100): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) await db(table).insert(rows.slice(i, i + chunk));
}

/** Identity value of seeded customer `c` on its channel (c % 4), as identityOf() would store it. */
function seededAddress(c: number): { channel: (typeof CHANNELS)[number]; address: string; kind: string } {
  switch (c % 4) {
    case 0:
      return { channel: 'email', address: `c${c}@scale.test`, kind: 'email' };
    case 1:
      return { channel: 'sms', address: `+86${13_000_000_000 + c}`, kind: 'phone' };
    case 2:
      return { channel: 'wechat', address: `wxid_scale${c}`, kind: 'wechat' };
    default:
      return { channel: 'webchat', address: `scale-visitor-${c}`, kind: 'webchat' };
  }
}
const orderOf = (n: number) => `DD${20_250_000_000_000 + n}`;

interface Seeded {
  tickets: number;
  customers: number;
  seedSeconds: number;
  steps: Record<string, number>;
  rows: Record<string, number>;
  bytes: number | null;
  now: number;
}

async function seed(db: Db, n: number, pool: PoolText[], now: number): Promise<Seeded> {
  const pg = dialectOf(db) === 'postgres';
  const C = Math.ceil(n * CUSTOMERS_PER_TICKET);
  const P = pool.length;
  const start = now - SPREAD_DAYS * DAY_MS;
  const steps: Record<string, number> = {};
  const t0 = performance.now();
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const s = performance.now();
    await fn();
    steps[name] = (performance.now() - s) / 1000;
    process.stderr.write(`    ${name}: ${steps[name]!.toFixed(1)} s\n`);
  };
  if (!pg)
    await db
      .raw('PRAGMA synchronous=OFF')
      .then(() => db.raw('PRAGMA cache_size=-1000000'))
      .then(() => db.raw('PRAGMA temp_store=MEMORY'));
  // The number sequence 1..k as a FROM item.
  const seq = (k: number, col = 'n') =>
    pg
      ? `generate_series(1::bigint, ${k}) AS s(${col})`
      : `(WITH RECURSIVE q(${col}) AS (SELECT 1 UNION ALL SELECT ${col} + 1 FROM q WHERE ${col} < ${k}) SELECT ${col} FROM q) AS s`;
  const txt = (expr: string) => `CAST(${expr} AS TEXT)`;
  const chan = (c: string) => `CASE ${c} % 4 WHEN 0 THEN 'email' WHEN 1 THEN 'sms' WHEN 2 THEN 'wechat' ELSE 'webchat' END`;
  const kind = (c: string) => `CASE ${c} % 4 WHEN 0 THEN 'email' WHEN 1 THEN 'phone' WHEN 2 THEN 'wechat' ELSE 'webchat' END`;
  const addr = (c: string) =>
    `CASE ${c} % 4 WHEN 0 THEN 'c' || ${txt(c)} || '@scale.test' WHEN 1 THEN '+86' || ${txt(`13000000000 + ${c}`)} WHEN 2 THEN 'wxid_scale' || ${txt(c)} ELSE 'scale-visitor-' || ${txt(c)} END`;
  // ticket n: customer, creation time (ids in time order over 90 days), pool text
  // Creation times: the newest RECENT tickets spread over the last RECENT_DAYS, the rest over the
  // days before. Every size sees the same current traffic (the rate of a 10k store), so the runs
  // differ only in how much history the store holds (see recentTickets).
  const R = recentTickets(n);
  const old = n - R;
  const recentStart = now - RECENT_DAYS * DAY_MS;
  const at = `CASE WHEN n <= ${old} THEN ${start} + ((n - 1) * ${(SPREAD_DAYS - RECENT_DAYS) * DAY_MS} / ${Math.max(1, old)}) ELSE ${recentStart} + ((n - ${old} - 1) * ${RECENT_DAYS * DAY_MS} / ${R}) END`;
  const tick = `(SELECT n, 1 + ((n * 48271) % ${C}) AS c, ${at} AS at, n % ${P} AS p FROM ${seq(n)}) AS k`;
  const recent = (d: number) => `k.at >= ${now - d * DAY_MS}`;
  // Old tickets are closed but for a few; the last days' are mostly open (realistic backlog).
  const status = `CASE WHEN NOT (${recent(14)}) THEN (CASE WHEN k.n % 50 = 0 THEN 'resolved' WHEN k.n % 97 = 0 THEN 'open' ELSE 'closed' END)
    WHEN NOT (${recent(3)}) THEN (CASE k.n % 10 WHEN 6 THEN 'resolved' WHEN 7 THEN 'resolved' WHEN 8 THEN 'open' WHEN 9 THEN 'pending_customer' ELSE 'closed' END)
    ELSE (CASE k.n % 6 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending_customer' WHEN 3 THEN 'resolved' WHEN 4 THEN 'open' ELSE 'reopened' END) END`;

  await step('pool', async () => {
    await db.schema.dropTableIfExists('scale_pool');
    await db.schema.createTable('scale_pool', (t) => {
      t.integer('idx').primary();
      t.text('text').notNullable();
      t.text('subject').notNullable();
      t.string('language', 8).notNullable();
      t.string('category', 16).notNullable();
      t.integer('severity').notNullable();
      t.text('signature').notNullable();
    });
    await db.transaction(async (trx) => {
      await insertChunked(
        trx,
        'scale_pool',
        pool.map((p) => ({
          idx: p.idx,
          text: p.text,
          subject: p.subject,
          language: p.language,
          category: p.category,
          severity: p.severity,
          signature: p.signature,
        })),
        50,
      );
    });
  });
  await step('customers', () =>
    db.raw(`INSERT INTO customers (id, display_name, tier, language, created_at, updated_at)
      SELECT n, 'Scale customer ' || ${txt('n')}, CASE WHEN n % 20 = 0 THEN 'vip' ELSE 'standard' END, CASE WHEN n % 3 = 0 THEN 'en' ELSE 'zh' END, ${start - DAY_MS}, ${start - DAY_MS} FROM ${seq(C)}`),
  );
  await step('customer_identities', () =>
    db.raw(`INSERT INTO customer_identities (customer_id, kind, value, verified, created_at)
      SELECT n, ${kind('n')}, ${addr('n')}, ${pg ? 'false' : '0'}, ${start - DAY_MS} FROM ${seq(C)}`),
  );
  await step('tickets', () =>
    db.raw(`INSERT INTO tickets (id, number, status, category, severity, emotion, confidence, priority, queue, customer_id, channels, last_channel, language, subject,
        tags, message_count, status_token, resolved_at, closed_at, created_at, updated_at, last_message_at)
      SELECT k.n, 'H-20250000-' || ${txt('1000000 + k.n')}, k.status, p.category, p.severity, 2, 0.8, 'normal', 'general', k.c, ',' || ${chan('k.c')} || ',', ${chan('k.c')}, p.language, p.subject,
        '[]', 1, 'scale-' || ${txt('k.n')}, CASE WHEN k.status IN ('resolved', 'closed') THEN k.at + 3600000 END, CASE WHEN k.status = 'closed' THEN k.at + 7200000 END, k.at, k.at, k.at
      FROM (SELECT k.*, ${status} AS status FROM ${tick}) AS k JOIN scale_pool p ON p.idx = k.p`),
  );
  await step('messages', () =>
    db.raw(`INSERT INTO messages (id, ticket_id, journal_id, direction, author, channel, external_id, from_address, subject, text, language, attachments, meta, created_at)
      SELECT k.n, k.n, k.n, 'in', 'customer', ${chan('k.c')}, 'scale-' || ${txt('k.n')}, ${addr('k.c')}, p.subject, p.text, p.language, '[]', '{}', k.at FROM ${tick} JOIN scale_pool p ON p.idx = k.p`),
  );
  await step('intake_journal', () =>
    db.raw(`INSERT INTO intake_journal (id, channel, external_id, payload, received_at, accepted_at, status, attempts, ticket_id, processed_at)
      SELECT k.n, ${chan('k.c')}, 'scale-' || ${txt('k.n')}, '{"seeded":true}', k.at, k.at, 'done', 1, k.n, k.at + 50 FROM ${tick}`),
  );
  await step('ticket_events', () =>
    db.raw(`INSERT INTO ticket_events (ticket_id, actor, type, after, created_at)
      SELECT k.n, 'pipeline', 'created', '{"seeded":true}', k.at FROM ${tick}`),
  );
  await step('ticket_threads', () =>
    db.raw(`INSERT INTO ticket_threads (ticket_id, channel, thread_key) SELECT k.n, ${chan('k.c')}, 'scale-thread-' || ${txt('k.n')} FROM ${tick}`),
  );
  await step('ticket_orders', async () => {
    await db.raw(
      `INSERT INTO ticket_orders (order_number, ticket_id) SELECT 'DD' || ${txt('20250000000000 + k.n')}, k.n FROM ${tick} WHERE k.n % ${ORDER_SHARE_MOD} < 2`,
    );
    await db.raw(`INSERT INTO customer_identities (customer_id, kind, value, verified, created_at)
      SELECT k.c, 'order', 'DD' || ${txt('20250000000000 + k.n')}, ${pg ? 'false' : '0'}, k.at FROM ${tick} WHERE k.n % ${ORDER_SHARE_MOD} < 2`);
  });
  await step('ticket_signatures', () =>
    db.raw(`INSERT INTO ticket_signatures (ticket_id, signature, created_at) SELECT k.n, p.signature, k.at FROM ${tick} JOIN scale_pool p ON p.idx = k.p`),
  );
  // No band rows: both databases keep recent tickets' band keys in the gateway's memory, rebuilt at start from the
  // signatures of the band retention window (gateway/pipeline/recent-bands.ts), so the signatures above are the band index.
  await step('analyze', async () => {
    await db.schema.dropTable('scale_pool');
    if (pg) {
      for (const table of ['customers', 'customer_identities', 'tickets', 'messages', 'intake_journal', 'ticket_events']) {
        await db.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
      }
      await db.raw('ANALYZE');
    } else {
      await db.raw('ANALYZE');
      await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    }
  });
  const rows: Record<string, number> = {};
  for (const table of ['customers', 'customer_identities', 'tickets', 'messages', 'ticket_signatures', 'ticket_orders', 'ticket_threads']) {
    rows[table] = Number((await db(table).count({ n: '*' }).first())?.n ?? 0);
  }
  const bytes = pg ? Number((await db.raw('SELECT pg_database_size(current_database()) AS b')).rows[0].b) : null;
  return { tickets: n, customers: C, seedSeconds: (performance.now() - t0) / 1000, steps, rows, bytes, now };
}

// ---------------------------------------------------------------------------------------------
// Messages of the three kinds

type Kind = 'existing' | 'new' | 'order';
const KIND_LIST: Kind[] = ['existing', 'new', 'order'];

let factories = 0;

function messageFactory(seeded: Seeded, pool: PoolText[], runTag: string) {
  const rand = seededRandom(seeded.tickets + 7 + factories);
  // New senders' phone numbers: a block of a million per factory, never seen before.
  const phoneBase = 15_000_000_000 + factories++ * 1_000_000;
  let serial = 0;
  const windowStart = seeded.tickets - recentTickets(seeded.tickets);
  return (kind: Kind): Record<string, unknown> => {
    const id = serial++;
    const t = pool[Math.floor(rand() * pool.length)]!;
    let channel: string;
    let address: string;
    let text = t.text;
    if (kind === 'existing') {
      ({ channel, address } = seededAddress(1 + Math.floor(rand() * seeded.customers)));
    } else {
      // A new address on some channel; an order message names the order of a ticket from the last 7 days.
      channel = CHANNELS[id % 4]!;
      const s = `${runTag}${id}`;
      address = channel === 'email' ? `new-${s}@scale.test` : channel === 'sms' ? `+86${phoneBase + id}` : `new-${s}`;
      if (kind === 'order') {
        const n = windowStart + 1 + Math.floor(rand() * (seeded.tickets - windowStart));
        const tn = n - (n % ORDER_SHARE_MOD) + Math.floor(rand() * 2); // n % 5 ∈ {0, 1}: has an order
        text = t.language === 'zh' ? `订单号 ${orderOf(Math.max(1, tn))}，${t.text}` : `Order ${orderOf(Math.max(1, tn))}: ${t.text}`;
      }
    }
    return {
      channel,
      externalId: `scale-${runTag}-${kind}-${id}`,
      from: { address, name: `Bench ${id}` },
      ...(channel === 'email' ? { subject: t.subject } : {}),
      text,
      language: t.language,
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Query plans

interface Plan {
  sql: string;
  plan: string;
  scans: string[];
}

/** Tables whose full read would grow with the store (the small ones may be scanned). */
const BIG_TABLES = [
  'tickets',
  'messages',
  'customers',
  'customer_identities',
  'ticket_bands',
  'ticket_orders',
  'ticket_threads',
  'ticket_signatures',
  'ticket_events',
  'intake_journal',
  'outbox',
];

async function explain(db: Db, captured: Array<{ sql: string; bindings: unknown[] }>): Promise<Plan[]> {
  const pg = dialectOf(db) === 'postgres';
  const seen = new Set<string>();
  const plans: Plan[] = [];
  for (const q of captured) {
    const sql = pg ? q.sql.replace(/\$\d+/g, '?') : q.sql;
    if (!/^\s*(select|update|delete|with)\b/i.test(sql)) continue;
    if (seen.has(sql)) continue;
    seen.add(sql);
    const result = await db.raw(`${pg ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} ${sql}`, q.bindings as Knex.RawBinding[]);
    const lines: string[] = pg ? result.rows.map((r: Record<string, string>) => r['QUERY PLAN']) : (result as Array<{ detail: string }>).map((r) => r.detail);
    const scans: string[] = [];
    for (const l of lines) {
      const m = pg ? /Seq Scan on (\w+)/.exec(l) : /^\s*SCAN (\w+)/.exec(l);
      if (!m || m[1] === 'CONSTANT') continue;
      // SQLite names aliases (SCAN t): map them back to the table.
      const table = new RegExp('[`"](\\w+)[`"] as [`"]' + m[1] + '[`"]', 'i').exec(sql)?.[1] ?? m[1]!;
      if (BIG_TABLES.includes(table)) scans.push(`${table}: ${l.trim()}`);
    }
    plans.push({ sql, plan: lines.join('\n'), scans });
  }
  return plans;
}

// ---------------------------------------------------------------------------------------------
// Measurements

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const stats = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), n: s.length };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, body: Record<string, unknown>): Promise<{ id: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
  const ms = performance.now() - t0;
  if (res.status !== 202) throw new Error(`POST /api/v1/messages → ${res.status}: ${await res.text()}`);
  return { id: Number(((await res.json()) as { id: string }).id), ms };
}

async function waitDone(db: Db, ids: number[], timeoutMs = 180_000): Promise<Map<number, { latency: number; status: string; ticketId: number | null }>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows: Array<Record<string, unknown>> = [];
    for (let i = 0; i < ids.length; i += 500)
      rows.push(
        ...(await db('intake_journal')
          .whereIn('id', ids.slice(i, i + 500))
          .select('id', 'status', 'accepted_at', 'processed_at', 'ticket_id')),
      );
    const pending = rows.filter((r) => r.status !== 'done' && r.status !== 'failed');
    if (pending.length === 0)
      return new Map(
        rows.map((r) => [
          Number(r.id),
          { latency: Number(r.processed_at) - Number(r.accepted_at), status: String(r.status), ticketId: r.ticket_id == null ? null : Number(r.ticket_id) },
        ]),
      );
    if (Date.now() > deadline) throw new Error(`${pending.length} messages not processed after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

interface Result {
  db: TestDatabaseKind;
  round: number;
  seeded: Seeded;
  plans: Plan[];
  pipeline: Record<Kind | 'all', { p50: number; p99: number; n: number }>;
  outcomes: Record<Kind, { newTickets: number; joined: number; failed: number }>;
  pacedIntake: { p50: number; p99: number; n: number };
  load: { p50: number; p99: number; p90: number; reqPerSec: number; ok: number; non2xx: number; errors: number };
}

interface Prepared {
  kind: TestDatabaseKind;
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  config: GatewayConfig;
  seeded: Seeded;
  round: number;
}

async function prepare(kind: TestDatabaseKind, size: number, pool: PoolText[]): Promise<Prepared> {
  const database = await createTestDatabase(kind);
  const env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent', GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN };
  const config = loadConfig({ dir: path.join(ROOT, 'config'), env });
  process.stderr.write(`  seeding ${size.toLocaleString('en')} tickets on ${kind}\n`);
  const loader = openDatabase(database.url);
  let seeded: Seeded;
  try {
    await migrate(loader);
    seeded = await seed(loader, size, pool, Date.now());
  } finally {
    await loader.destroy();
  }
  if (kind === 'sqlite') {
    const dir = path.dirname(database.url.slice('sqlite:'.length));
    seeded.bytes = readdirSync(dir).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
  }
  process.stderr.write(`  seeded in ${seeded.seedSeconds.toFixed(1)} s (${(Number(seeded.bytes) / 1e9).toFixed(2)} GB)\n`);
  return { kind, database, config, seeded, round: 0 };
}

/** One measurement round on a seeded database (rounds alternate between sizes, so machine load hits both alike). */
async function measure(prepared: Prepared, pool: PoolText[]): Promise<Result> {
  const { kind, config, seeded } = prepared;
  const round = prepared.round++;
  {
    const gw = await Gateway.create({ config, workers: true, watchConfig: false });
    await gw.start(0, '127.0.0.1');
    const url = gw.url;
    try {
      const make = messageFactory(seeded, pool, `paced${round}r`);
      const paced = async (kinds: Kind[]): Promise<Array<{ kind: Kind; id: number; ms: number }>> => {
        const sent: Array<{ kind: Kind; id: number; ms: number }> = [];
        const t0 = performance.now();
        for (let i = 0; i < kinds.length; i++) {
          const wait = t0 + (i * 1000) / PACE_PER_S - performance.now();
          if (wait > 0) await sleep(wait);
          const r = await post(url, make(kinds[i]!));
          sent.push({ kind: kinds[i]!, ...r });
        }
        return sent;
      };

      // Warm-up: jieba, the understanding engine, SQLite page cache for the hot index pages.
      const warm = await paced(Array.from({ length: 60 }, (_x, i) => KIND_LIST[i % 3]!));
      await waitDone(
        gw.db,
        warm.map((w) => w.id),
      );

      // Query plans: every statement one message of each kind issues.
      const captured: Array<{ sql: string; bindings: unknown[] }> = [];
      const listener = (q: { sql: string; bindings?: unknown[] }) => captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
      gw.db.on('query', listener);
      for (const k of KIND_LIST) {
        const r = await post(url, make(k));
        await waitDone(gw.db, [r.id]);
      }
      gw.db.removeListener('query', listener);
      const plans = await explain(gw.db, captured);

      // Pipeline latency, paced below the drain rate.
      process.stderr.write(`  pipeline latency: ${PER_KIND * 3} messages at ${PACE_PER_S}/s\n`);
      const sent = await paced(Array.from({ length: PER_KIND * 3 }, (_x, i) => KIND_LIST[i % 3]!));
      const done = await waitDone(
        gw.db,
        sent.map((s) => s.id),
      );
      const ticketIdsBefore = seeded.tickets;
      const pipeline = {} as Result['pipeline'];
      const outcomes = {} as Result['outcomes'];
      for (const k of KIND_LIST) {
        const mine = sent.filter((s) => s.kind === k).map((s) => done.get(s.id)!);
        pipeline[k] = stats(mine.filter((d) => d.status === 'done').map((d) => d.latency));
        outcomes[k] = {
          newTickets: mine.filter((d) => d.ticketId !== null && d.ticketId > ticketIdsBefore).length,
          joined: mine.filter((d) => d.ticketId !== null && d.ticketId <= ticketIdsBefore).length,
          failed: mine.filter((d) => d.status === 'failed').length,
        };
      }
      pipeline.all = stats([...done.values()].filter((d) => d.status === 'done').map((d) => d.latency));
      const pacedIntake = stats(sent.map((s) => s.ms));

      // Intake under load, workers running beside it.
      process.stderr.write(`  intake load: ${CONNECTIONS} connections, ${DURATION_S} s\n`);
      const loadMake = messageFactory(seeded, pool, `load${round}r`);
      let counter = 0;
      const result = await autocannon({
        url,
        connections: CONNECTIONS,
        duration: DURATION_S,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        requests: [
          {
            method: 'POST',
            path: '/api/v1/messages',
            setupRequest(req) {
              return { ...req, body: JSON.stringify(loadMake(KIND_LIST[counter++ % 3]!)) };
            },
          },
        ],
      });
      // Let the pipeline catch up, so the next round starts from an empty queue.
      for (let i = 0; i < 1200; i++) {
        const pending = Number((await gw.db('intake_journal').whereIn('status', ['pending', 'processing']).count({ n: '*' }).first())?.n ?? 0);
        if (pending === 0) break;
        await sleep(250);
      }
      const load = {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        reqPerSec: result.requests.average,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
      };
      return { db: kind, round: round + 1, seeded, plans, pipeline, outcomes, pacedIntake, load };
    } finally {
      await gw.stop();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function report(results: Result[], seconds: number): string {
  const lines: string[] = [];
  let commit: string;
  try {
    commit = readFileSync(path.join(ROOT, '.git/HEAD'), 'utf8').trim();
    if (commit.startsWith('ref: ')) commit = readFileSync(path.join(ROOT, '.git', commit.slice(5)), 'utf8').trim();
  } catch {
    commit = 'unknown';
  }
  lines.push('## Dedupe at scale: 10k vs 1M tickets in the store (issue 4)', '');
  lines.push(
    `\`node --import tsx bench/dedupe/scale.bench.ts --sizes ${SIZES.join(',')} --db ${KINDS.join(',')} --per-kind ${PER_KIND} --duration ${DURATION_S} --rounds ${ROUNDS} --write\` — commit ${commit.slice(0, 7)}, ${os.cpus().length} cores, run took ${fmt(seconds / 60)} min.`,
    '',
  );
  lines.push(
    'Seeded by bulk SQL (INSERT … SELECT over a number sequence; 3,000 real complaint texts with real signatures (no band rows: the gateway keeps the band keys of recent tickets in memory, rebuilt at start from the signatures), 0.6 customers per ticket, 40 % of tickets with an order number, 90 days with the last 7 days holding the same 778 tickets at every size (only history grows; current traffic is that of a 10k store), old tickets closed), then ANALYZE; measured through the real gateway (workers on). Pipeline latency: journal `processed_at − accepted_at`, messages paced at 25/s (no queue). Intake under load: autocannon, 10 connections, unique externalIds, workers running.',
    '',
  );
  lines.push(
    '| db | tickets | round | seed | store size | intake p50 / p99 (10 conn) | req/s | intake p50 / p99 (paced) | pipeline p50 / p99: existing | new customer | order number | all |',
  );
  lines.push('|---|---:|---:|---:|---:|---|---:|---|---|---|---|---|');
  for (const r of results) {
    const p = r.pipeline;
    lines.push(
      `| ${r.db} | ${r.seeded.tickets.toLocaleString('en')} | ${r.round} | ${fmt(r.seeded.seedSeconds, 0)} s | ${r.seeded.bytes ? `${fmt(r.seeded.bytes / 1e9, 2)} GB` : '–'} | ${fmt(r.load.p50)} / ${fmt(r.load.p99)} ms | ${fmt(r.load.reqPerSec, 0)} | ${fmt(r.pacedIntake.p50)} / ${fmt(r.pacedIntake.p99)} ms | ${p.existing.p50} / ${p.existing.p99} ms | ${p.new.p50} / ${p.new.p99} ms | ${p.order.p50} / ${p.order.p99} ms | ${p.all.p50} / ${p.all.p99} ms |`,
    );
  }
  lines.push('');
  for (const kind of KINDS) {
    const runs = (size: number) => results.filter((r) => r.db === kind && r.seeded.tickets === size);
    const small = runs(Math.min(...SIZES));
    const big = runs(Math.max(...SIZES));
    if (small.length === 0 || big.length === 0 || Math.min(...SIZES) === Math.max(...SIZES)) continue;
    // The mean over the rounds (rounds alternate sizes, so load from elsewhere on the machine hits both).
    const mean = (set: Result[], f: (r: Result) => number) => set.reduce((sum, r) => sum + f(r), 0) / set.length;
    const row = (name: string, f: (r: Result) => number): [string, number, number] => [name, mean(small, f), mean(big, f)];
    const rows: Array<[string, number, number]> = [
      row('intake p50 (10 conn)', (r) => r.load.p50),
      row('intake p99 (10 conn)', (r) => r.load.p99),
      row('intake req/s (10 conn)', (r) => r.load.reqPerSec),
      row('intake p50 (paced)', (r) => r.pacedIntake.p50),
      row('intake p99 (paced)', (r) => r.pacedIntake.p99),
      row('pipeline p50 (all)', (r) => r.pipeline.all.p50),
      row('pipeline p99 (all)', (r) => r.pipeline.all.p99),
      ...KIND_LIST.flatMap((k) => [row(`pipeline p50 (${k})`, (r) => r.pipeline[k].p50), row(`pipeline p99 (${k})`, (r) => r.pipeline[k].p99)]),
    ];
    lines.push(
      `**${kind}: ${Math.max(...SIZES).toLocaleString('en')} ÷ ${Math.min(...SIZES).toLocaleString('en')} tickets, mean of ${ROUNDS} rounds** (goal: ≤ ${GOAL_RATIO} for intake latency)`,
      '',
    );
    lines.push('| measure | small | big | big ÷ small | ≤ 1.2 |', '|---|---:|---:|---:|---|');
    for (const [name, a, b] of rows)
      lines.push(
        `| ${name} | ${fmt(a)}${name.includes('req/s') ? '' : ' ms'} | ${fmt(b)}${name.includes('req/s') ? '' : ' ms'} | ${fmt(ratio(b, a), 2)} | ${name.includes('req/s') ? '' : ratio(b, a) <= GOAL_RATIO ? 'yes' : 'no'} |`,
      );
    lines.push('');
  }
  lines.push('Outcomes of the paced messages (new ticket / joined a seeded ticket / failed):', '');
  for (const r of results)
    lines.push(
      `- ${r.db} ${r.seeded.tickets.toLocaleString('en')}: ${KIND_LIST.map((k) => `${k} ${r.outcomes[k].newTickets}/${r.outcomes[k].joined}/${r.outcomes[k].failed}`).join(', ')}; load: ${r.load.ok} acknowledged, ${r.load.non2xx} non-2xx, ${r.load.errors} errors`,
    );
  lines.push('', 'Seed steps (s):', '');
  for (const r of results)
    lines.push(
      `- ${r.db} ${r.seeded.tickets.toLocaleString('en')}: ${Object.entries(r.seeded.steps)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(', ')}; rows ${Object.entries(r.seeded.rows)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}`,
    );
  lines.push('');
  for (const r of KINDS.map((kind) => results.find((x) => x.db === kind && x.seeded.tickets === Math.max(...SIZES))).filter(
    (x): x is Result => x !== undefined,
  )) {
    const flagged = r.plans.filter((p) => p.scans.length > 0);
    lines.push(`### Query plans, ${r.db}, ${r.seeded.tickets.toLocaleString('en')} tickets`, '');
    lines.push(
      `${r.plans.length} distinct SELECT/UPDATE/DELETE statements issued while one message of each kind went through intake and the pipeline (plus the workers' polls in that time). ${flagged.length === 0 ? 'None reads a growing table without an index.' : `${flagged.length} read a growing table without an index (marked **SCAN**).`}`,
      '',
    );
    lines.push('<details><summary>plans</summary>', '');
    for (const p of r.plans) {
      lines.push(
        p.scans.length > 0 ? `**SCAN** (${p.scans.join('; ')}):` : 'index only:',
        '',
        '```sql',
        p.sql.replace(/\s+/g, ' ').slice(0, 600),
        '```',
        '```',
        p.plan,
        '```',
        '',
      );
    }
    lines.push('</details>', '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  warmUpNormalizer();
  const config = loadConfig({ dir: path.join(ROOT, 'config'), env: { DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' } });
  const pool = loadPool(config);
  process.stderr.write(`pool: ${pool.length} texts\n`);
  const results: Result[] = [];
  for (const kind of KINDS) {
    const prepared: Prepared[] = [];
    try {
      for (const size of SIZES) prepared.push(await prepare(kind, size, pool));
      for (let round = 0; round < ROUNDS; round++) {
        for (const p of prepared) {
          process.stderr.write(`  round ${round + 1}: ${kind} ${p.seeded.tickets.toLocaleString('en')}\n`);
          const r = await measure(p, pool);
          results.push(r);
          process.stderr.write(
            `  ${kind} ${p.seeded.tickets}: intake p50/p99 ${fmt(r.load.p50)}/${fmt(r.load.p99)} ms (${fmt(r.load.reqPerSec, 0)} req/s), paced ${fmt(r.pacedIntake.p50)}/${fmt(r.pacedIntake.p99)} ms, pipeline ${r.pipeline.all.p50}/${r.pipeline.all.p99} ms; ${r.plans.filter((x) => x.scans.length).length} scanning plans\n`,
          );
        }
      }
    } finally {
      for (const p of prepared) await p.database.drop();
    }
  }
  const section = report(results, (performance.now() - t0) / 1000);
  console.log(section);
  if (args.write) writeResultsSpan('scale', section);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'scale-bench-'));
  writeFileSync(path.join(tmp, 'results.json'), JSON.stringify(results, null, 2));
  process.stderr.write(`raw results: ${path.join(tmp, 'results.json')}\n`);
  void rmSync;
}

await main();
