import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Database as SqliteConnection } from 'sqlite3';
import { migrationSource } from './migrations.js';
import { cacheStatements } from './sqlite-statement-cache.js';

export type Db = Knex;
/** A row as knex returns it: its columns are untyped (stores map rows to their own types). */
export type DbRow = Record<string, any>;
export type Dialect = 'sqlite' | 'postgres';

// PostgreSQL returns BIGINT (int8) as a string; our ids and epoch-millisecond
// timestamps fit safely in a double, so parse them as numbers.
pg.types.setTypeParser(20, (value: string) => Number.parseInt(value, 10));

/** Opens the database named by `DATABASE_URL` (`sqlite:<path>` or `postgres://…`). */
export function openDatabase(url: string): Db {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return knexFactory({
      client: 'sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          // WAL lets readers run beside the writer; synchronous=FULL makes every
          // commit durable before intake answers 202 (the journal promise). secure_delete=FAST zeroes
          // what a delete or update frees within a page (at no extra I/O), so an erased customer's text
          // does not linger in the file's free space (an erasure turns it fully on: storage/personal-data.store.ts).
          // The one connection keeps its prepared statements (storage/sqlite-statement-cache.ts): knex's
          // transactions run on it too, so a kept statement inside one is part of it.
          cacheStatements(conn);
          conn.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA secure_delete=FAST;', (err) =>
            done(err, conn),
          );
        },
      },
    });
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } });
  }
  throw new Error(`DATABASE_URL must be sqlite:<path> or postgres://…, got "${url}"`);
}

export function dialectOf(db: Db): Dialect {
  return db.client.config.client === 'pg' ? 'postgres' : 'sqlite';
}

/**
 * Whether a query or transaction is waiting for one of the pool's connections. SQLite has one, so
 * whatever else the process wants to read or write (an intake append, an agent's page) waits
 * while a transaction holds it.
 */
/**
 * `column` is one of `ids`, as a single parameter however many there are (an array on PostgreSQL, JSON on SQLite):
 * another process may have stored tens of thousands since the last read, and SQLite prepares one statement text.
 */
export function whereIdIn(db: Knex | Knex.Transaction, q: Knex.QueryBuilder, column: string, ids: readonly number[]): Knex.QueryBuilder {
  return dialectOf(db as Db) === 'postgres'
    ? q.whereRaw('?? = any(?::bigint[])', [column, ids as number[]])
    : q.whereRaw('?? in (select value from json_each(?))', [column, JSON.stringify(ids)]);
}

export function connectionWanted(db: Db): boolean {
  const pool = (db.client as { pool?: { numPendingAcquires(): number } }).pool;
  return (pool?.numPendingAcquires() ?? 0) > 0;
}

/** The PostgreSQL advisory lock that gateway processes take in turn to migrate (any number unique to us). */
const MIGRATION_LOCK = 0x6761_7465; // "gate"

/**
 * Brings the schema up to date. Several gateway processes may start together on one PostgreSQL
 * database (`gateway start --processes N`, a deployment rolling out): they take an advisory lock in
 * turn, so one migrates and the others then find nothing pending. knex's own lock does not cover the
 * creation of its bookkeeping tables, and two processes creating them at once failed one start with
 * `duplicate key value violates unique constraint "pg_type_typname_nsp_index"`.
 */
export async function migrate(db: Db): Promise<void> {
  if (dialectOf(db) !== 'postgres') return migrateNow(db);
  // Held by this transaction's connection until it ends; the migrations run on the pool's other connections.
  await db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    await migrateNow(db);
  });
}

async function migrateNow(db: Db): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const [, pending] = await db.migrate.list({ migrationSource });
    if (pending.length === 0) return;
    try {
      await db.migrate.latest({ migrationSource });
      return;
    } catch (err) {
      const locked = /already locked/i.test((err as Error).message ?? '');
      if (!locked || attempt >= 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Error codes that mean "the database cannot be reached or is not accepting work now", not "this query is wrong". */
// prettier-ignore
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // PostgreSQL: connection exceptions (08…), shutdown and recovery (57P0…), too many connections, database not accepting connections.
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300', '55000', '3D000',
  // SQLite: the file is locked past the busy timeout, cannot be opened, or the disk failed or is full.
  'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_READONLY',
]);

/**
 * True when `err` says the database is unavailable (down, restarting, unreachable, out of
 * connections or disk) rather than that a statement failed: callers answer "retry later".
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
    if (e.name === 'KnexTimeoutError') return true;
    if (typeof e.message === 'string' && /Connection terminated|connection error|Timeout acquiring a connection|not queryable|ECONNREFUSED/i.test(e.message))
      return true;
  }
  return false;
}
