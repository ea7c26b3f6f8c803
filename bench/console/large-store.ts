import type { Knex } from 'knex';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { dialectOf, migrate, openDatabase, type Db } from '../../storage/db.js';
import { createTestDatabase, type TestDatabaseKind } from '../../test/support/databases.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const RECENT_OPEN = 40_000;

/** The rows source of a bulk insert: 1..n as `seq(i)`. */
function sequence(db: Db, n: number): { with: string; from: string } {
  return dialectOf(db) === 'sqlite'
    ? { with: `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})`, from: 'seq' }
    : { with: '', from: `generate_series(1::bigint, ${n}) AS seq(i)` };
}

/**
 * A store of n tickets for the console benchmarks, by bulk SQL (a recursive CTE on SQLite,
 * generate_series on PostgreSQL): 0.6 customers per ticket with a phone identity, n tickets over
 * 90 days on five channels with one customer message each. About 5 % are open (the last 40,000
 * created, and 1 in 100 older ones), spread over `queues`; 4 in 5 are assigned to one of 20 agents;
 * open tickets not waiting on the customer have an SLA due time 4 h (new) or 48 h after creation.
 * Then ANALYZE (VACUUM ANALYZE on PostgreSQL, as autovacuum would after such a load).
 */
export async function seedLargeStore(db: Db, n: number, now: number, queues: string[]): Promise<void> {
  const customers = Math.max(1, Math.round(n * 0.6));
  const c = sequence(db, customers);
  await db.raw(
    `${c.with} INSERT INTO customers (id, display_name, tier, created_at, updated_at) SELECT i, 'Customer ' || i, CASE WHEN i % 10 = 0 THEN 'vip' ELSE 'standard' END, ${now}, ${now} FROM ${c.from}`,
  );
  await db.raw(
    `${c.with} INSERT INTO customer_identities (id, customer_id, kind, value, verified, created_at) SELECT i, i, 'phone', '+86139' || (10000000 + i), false, ${now} FROM ${c.from}`,
  );

  const start = now - 90 * DAY_MS;
  const step = Math.floor((90 * DAY_MS) / n);
  const t = sequence(db, n);
  const open = `(i > ${n - RECENT_OPEN} OR i % 100 = 0)`;
  const created = `(${start} + i * ${step})`;
  const status = `CASE WHEN ${open} THEN (CASE i % 4 WHEN 0 THEN 'new' WHEN 1 THEN 'open' WHEN 2 THEN 'pending_customer' ELSE 'reopened' END) WHEN i % 3 = 0 THEN 'resolved' ELSE 'closed' END`;
  const queue = `CASE i % ${queues.length} ${queues.map((q, k) => `WHEN ${k} THEN '${q}'`).join(' ')} END`;
  const due = `CASE WHEN ${open} AND i % 4 <> 2 THEN ${created} + (CASE i % 4 WHEN 0 THEN ${4 * HOUR_MS} ELSE ${48 * HOUR_MS} END) ELSE NULL END`;
  const channel = `CASE i % 5 WHEN 0 THEN 'email' WHEN 1 THEN 'sms' WHEN 2 THEN 'wechat' WHEN 3 THEN 'webchat' ELSE 'webform' END`;
  await db.raw(`${t.with} INSERT INTO tickets (id, number, status, category, severity, priority, queue, assignee, customer_id, channels, first_channel, last_channel, subject, tags, message_count, status_token,
      first_response_due_at, resolution_due_at, sla_due_at, customer_tier, created_at, updated_at, last_message_at)
    SELECT i, 'C-B-' || i, ${status}, CASE i % 6 WHEN 0 THEN 'PQ' WHEN 1 THEN 'LG' WHEN 2 THEN 'SP' WHEN 3 THEN 'TD' WHEN 4 THEN 'INQ' ELSE 'RL' END, 1 + i % 4, 'normal',
      ${queue}, CASE WHEN i % 5 = 0 THEN NULL ELSE 'agent-' || (i % 20) END, 1 + (i * 7919) % ${customers}, ',' || ${channel} || ',', ${channel}, ${channel}, NULL, '[]', 1, 'tok-' || i,
      ${created} + ${4 * HOUR_MS}, ${created} + ${48 * HOUR_MS}, ${due}, CASE WHEN (1 + (i * 7919) % ${customers}) % 10 = 0 THEN 'vip' ELSE 'standard' END, ${created}, ${created} + (i % 3600) * 1000, ${created}
    FROM ${t.from}`);
  await db.raw(`${t.with} INSERT INTO messages (id, ticket_id, direction, author, channel, from_address, text, attachments, meta, created_at)
    SELECT i, i, 'in', 'customer', ${channel}, '+86139' || (10000000 + 1 + (i * 7919) % ${customers}), 'Parcel ' || i || ' has not arrived, the courier says it was delivered but nothing came', '[]', '{}', ${created} FROM ${t.from}`);
  if (dialectOf(db) === 'postgres') {
    for (const table of ['customers', 'customer_identities', 'tickets', 'messages'])
      await db.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
    await db.raw('VACUUM ANALYZE');
  } else {
    await db.raw('ANALYZE');
  }
}

export async function explain(db: Db, sql: string, bindings: readonly unknown[]): Promise<string> {
  if (dialectOf(db) === 'sqlite') {
    const rows = await db.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings as Knex.RawBinding[]);
    return (rows as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
  }
  // knex reports PostgreSQL statements with $1, $2… (in order); raw() takes ?.
  const { rows } = await db.raw(`EXPLAIN ${sql.replace(/\$\d+/g, '?')}`, bindings as Knex.RawBinding[]);
  return (rows as Array<{ 'QUERY PLAN': string }>).map((r) => r['QUERY PLAN'].trim()).join(' | ');
}

/** A plan that reads the whole tickets table: SQLite "SCAN t" without an index, PostgreSQL "Seq Scan on tickets". */
export function scansTickets(plan: string): boolean {
  return /SCAN (t|tickets)(?! USING)/.test(plan) || /Seq Scan on tickets/.test(plan);
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * A fresh database of `kind`, migrated and seeded with `n` tickets (seedLargeStore), and the real
 * Gateway on it (workers off, on a free port) for `use`; everything is dropped afterwards.
 */
export async function withLargeStoreGateway<T>(
  kind: TestDatabaseKind,
  n: number,
  adminToken: string,
  use: (gateway: Gateway, now: number) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase(kind);
  try {
    const config = loadConfig({ env: { DATABASE_URL: database.url, GATEWAY_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'silent' } });
    const db = openDatabase(database.url);
    await migrate(db);
    const now = Date.now();
    const seedStart = Date.now();
    await seedLargeStore(
      db,
      n,
      now,
      config.routing.queues.map((q) => q.id),
    );
    await db.destroy();
    console.error(`${kind} ${n}: seeded in ${((Date.now() - seedStart) / 1000).toFixed(0)} s`);
    const gateway = await Gateway.create({ config, workers: false, watchConfig: false, logger: createLogger('silent') });
    await gateway.start(0, '127.0.0.1');
    try {
      return await use(gateway, now);
    } finally {
      await gateway.stop();
    }
  } finally {
    await database.drop();
  }
}
