/**
 * Inbox at scale (issue 18): the console's first page — GET /api/v1/tickets in its default SLA order,
 * with the usual filters and in recency order — and GET /api/v1/queues, with N tickets in the store.
 * Goal: first page ≤ 300 ms p95 server time with 1M tickets, on SQLite and PostgreSQL.
 *
 *   node --import tsx bench/console/inbox.bench.ts [--sizes 1000000] [--db sqlite,postgres] [--requests 40] [--write]
 *
 * Per database and size:
 *   1. A fresh database, migrated by the gateway's own migrations, seeded by bulk SQL (a recursive CTE
 *      on SQLite, generate_series on PostgreSQL): 0.6 customers per ticket with a phone identity, N
 *      tickets over 90 days with one customer message each. About 5 % are open (the last 40,000
 *      created, and 1 in 100 older ones left open), spread over the routing.yaml queues; 4 in 5 open
 *      tickets are assigned to one of 20 agents; open tickets not waiting on the customer have an SLA
 *      due time 4 h (new) or 48 h after creation, so old open ones are breached and a few are due soon.
 *      Then ANALYZE (VACUUM ANALYZE on PostgreSQL, as autovacuum would after such a load).
 *   2. The real Gateway (workers off) on a free port; every scenario is requested `--requests` times
 *      after 3 warm-up requests, one at a time. The time is measured by the client on localhost (an
 *      upper bound of the server's time).
 *   3. The plan of every statement a scenario runs (EXPLAIN QUERY PLAN / EXPLAIN with its bindings);
 *      a plan that reads the tickets table without an index is flagged.
 */
import { parseArgs } from 'node:util';
import type { Knex } from 'knex';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { dialectOf, migrate, openDatabase, type Db } from '../../storage/db.js';
import { createTestDatabase, type TestDatabaseKind } from '../../test/support/databases.js';
import { writeResultsSpan } from '../results-file.js';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000' },
    db: { type: 'string', default: 'sqlite,postgres' },
    requests: { type: 'string', default: '40' },
    write: { type: 'boolean', default: false },
  },
});
const SIZES = args.sizes!.split(',').map((s) => Number(s.trim()));
const KINDS = args.db!.split(',').map((s) => s.trim()) as TestDatabaseKind[];
const REQUESTS = Number(args.requests);
const ADMIN_TOKEN = 'inbox-bench-admin-token-0123456789';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const RECENT_OPEN = 40_000;
const GOAL_MS = 300;

interface Scenario {
  name: string;
  path: string;
  agent?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'default page (SLA order)', path: '/api/v1/tickets' },
  { name: 'open tickets (SLA order)', path: '/api/v1/tickets?status=new,open,pending_customer,reopened' },
  { name: 'one queue', path: '/api/v1/tickets?queue=logistics&status=new,open,pending_customer,reopened' },
  { name: 'assigned to me', path: '/api/v1/tickets?assignee=me', agent: true },
  { name: 'unassigned', path: '/api/v1/tickets?assignee=none&status=new,open,reopened' },
  { name: 'SLA breached', path: '/api/v1/tickets?sla=breached' },
  { name: 'SLA due soon', path: '/api/v1/tickets?sla=due_soon' },
  { name: 'recently updated', path: '/api/v1/tickets?sort=updated' },
  { name: 'page 2 (SLA order)', path: 'PAGE2' },
  { name: 'queue counts', path: '/api/v1/queues' },
  { name: 'search: phone', path: '/api/v1/tickets?q=13910000777' },
];

/** The rows source of a bulk insert: 1..n as `seq(i)`. */
function sequence(db: Db, n: number): { with: string; from: string } {
  return dialectOf(db) === 'sqlite'
    ? { with: `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`, from: 'seq' }
    : { with: '', from: `generate_series(1::bigint, ${n}) AS seq(i)` };
}

async function seed(db: Db, n: number, now: number, queues: string[]): Promise<void> {
  const customers = Math.max(1, Math.round(n * 0.6));
  const c = sequence(db, customers);
  await db.raw(`${c.with} INSERT INTO customers (id, display_name, tier, created_at, updated_at) SELECT i, 'Customer ' || i, 'standard', ${now}, ${now} FROM ${c.from}`);
  await db.raw(`${c.with} INSERT INTO customer_identities (id, customer_id, kind, value, verified, created_at) SELECT i, i, 'phone', '+86139' || (10000000 + i), false, ${now} FROM ${c.from}`);

  const start = now - 90 * DAY_MS;
  const step = Math.floor((90 * DAY_MS) / n);
  const t = sequence(db, n);
  const open = `(i > ${n - RECENT_OPEN} OR i % 100 = 0)`;
  const created = `(${start} + i * ${step})`;
  const status = `CASE WHEN ${open} THEN (CASE i % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending_customer' ELSE 'reopened' END) WHEN i % 3 = 0 THEN 'resolved' ELSE 'closed' END`;
  const queue = `CASE i % ${queues.length} ${queues.map((q, k) => `WHEN ${k} THEN '${q}'`).join(' ')} END`;
  const due = `CASE WHEN ${open} AND i % 4 <> 2 THEN ${created} + (CASE i % 4 WHEN 0 THEN ${4 * HOUR_MS} ELSE ${48 * HOUR_MS} END) ELSE NULL END`;
  await db.raw(`${t.with} INSERT INTO tickets (id, number, status, category, severity, priority, queue, assignee, customer_id, channels, last_channel, subject, tags, message_count, status_token,
      first_response_due_at, resolution_due_at, sla_due_at, created_at, updated_at, last_message_at)
    SELECT i, 'C-B-' || i, ${status}, CASE i % 6 WHEN 0 THEN 'PQ' WHEN 1 THEN 'LG' WHEN 2 THEN 'SP' WHEN 3 THEN 'TD' WHEN 4 THEN 'INQ' ELSE 'RL' END, 1 + i % 4, 'normal',
      ${queue}, CASE WHEN i % 5 = 0 THEN NULL ELSE 'agent-' || (i % 20) END, 1 + (i * 7919) % ${customers}, ',sms,', 'sms', NULL, '[]', 1, 'tok-' || i,
      ${created} + ${4 * HOUR_MS}, ${created} + ${48 * HOUR_MS}, ${due}, ${created}, ${created} + (i % 3600) * 1000, ${created}
    FROM ${t.from}`);
  await db.raw(`${t.with} INSERT INTO messages (id, ticket_id, direction, author, channel, from_address, text, attachments, meta, created_at)
    SELECT i, i, 'in', 'customer', 'sms', '+86139' || (10000000 + 1 + (i * 7919) % ${customers}), 'Parcel ' || i || ' has not arrived, the courier says it was delivered but nothing came', '[]', '{}', ${created} FROM ${t.from}`);
  if (dialectOf(db) === 'postgres') {
    for (const table of ['customers', 'customer_identities', 'tickets', 'messages']) await db.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
    await db.raw('VACUUM ANALYZE');
  } else {
    await db.raw('ANALYZE');
  }
}

async function explain(db: Db, sql: string, bindings: readonly unknown[]): Promise<string> {
  if (dialectOf(db) === 'sqlite') {
    const rows = await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as Knex.RawBinding[]);
    return (rows as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  }
  // knex reports PostgreSQL statements with $1, $2… (in order); raw() takes ?.
  const { rows } = await db.raw(`EXPLAIN ${sql.replace(/\$\d+/g, '?')}`, bindings as Knex.RawBinding[]);
  return (rows as Array<{ 'QUERY PLAN': string }>).map((r) => r['QUERY PLAN'].trim()).join(' | ');
}

/** A plan that reads the whole tickets table: SQLite "SCAN t" without an index, PostgreSQL "Seq Scan on tickets". */
function scansTickets(plan: string): boolean {
  return /SCAN (t|tickets)(?! USING)/.test(plan) || /Seq Scan on tickets/.test(plan);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(kind: TestDatabaseKind, n: number): Promise<string[]> {
  const database = await createTestDatabase(kind);
  const lines: string[] = [];
  try {
    const config = loadConfig({ env: { DATABASE_URL: database.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent' } });
    const db = openDatabase(database.url);
    await migrate(db);
    const now = Date.now();
    const seedStart = Date.now();
    await seed(db, n, now, config.routing.queues.map((q) => q.id));
    await db.destroy();
    console.error(`${kind} ${n}: seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);

    const gateway = await Gateway.create({ config, workers: false, watchConfig: false, logger: createLogger('silent') });
    await gateway.start(0, '127.0.0.1');
    try {
      const agent = await gateway.tokens.create('agent-7', 'agent');
      const get = async (path: string, token = ADMIN_TOKEN) => {
        const started = performance.now();
        const res = await fetch(gateway.url + path, { headers: { authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { items: unknown[]; nextCursor?: string };
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
        return { ms: performance.now() - started, body };
      };
      const page2 = `/api/v1/tickets?cursor=${(await get('/api/v1/tickets')).body.nextCursor}`;
      lines.push(`| ${kind} | ${n.toLocaleString('en')} | scenario | items | p50 ms | p95 ms | full scan of tickets |`, '|---|---|---|---|---|---|---|');
      for (const s of SCENARIOS) {
        const path = s.path === 'PAGE2' ? page2 : s.path;
        const token = s.agent ? agent.token : ADMIN_TOKEN;
        const statements: Array<{ sql: string; bindings: readonly unknown[] }> = [];
        const record = (q: { sql: string; bindings?: readonly unknown[] }) => {
          if (/^\s*select/i.test(q.sql)) statements.push({ sql: q.sql, bindings: q.bindings ?? [] });
        };
        gateway.db.on('query', record);
        const first = await get(path, token);
        gateway.db.off('query', record);
        for (let i = 0; i < 2; i++) await get(path, token);
        const times: number[] = [];
        for (let i = 0; i < REQUESTS; i++) times.push((await get(path, token)).ms);
        times.sort((a, b) => a - b);
        const plans = await Promise.all(statements.map((st) => explain(gateway.db, st.sql, st.bindings)));
        const scanning = plans.filter(scansTickets);
        for (const [i, plan] of plans.entries()) console.error(`  ${s.name} #${i + 1}: ${plan}`);
        const p95 = percentile(times, 95);
        lines.push(`| | | ${s.name} | ${first.body.items.length} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)}${p95 > GOAL_MS ? ' ⚠' : ''} | ${scanning.length > 0 ? `yes: ${scanning.join(' / ')}` : 'no'} |`);
      }
    } finally {
      await gateway.stop();
    }
  } finally {
    await database.drop();
  }
  return lines;
}

const output: string[] = [
  `Inbox with N tickets (bench/console/inbox.bench.ts, ${new Date().toISOString().slice(0, 10)}, ${REQUESTS} requests per scenario after warm-up, one at a time; time measured by the client on localhost). Goal: first page ≤ ${GOAL_MS} ms p95.`,
  '',
];
for (const kind of KINDS) {
  for (const n of SIZES) {
    const lines = await run(kind, n);
    output.push(...lines, '');
    console.log(lines.join('\n'));
  }
}
output.push('`search: phone` is not a first page: `q` looks for its words in every message text (LIKE, no index), so it grows with the store; a full-text index (SQLite FTS5, PostgreSQL pg_trgm) is the next step.');
if (args.write) writeResultsSpan('console-inbox', output.join('\n').trimEnd());
