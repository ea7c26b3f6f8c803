import type { Database, Statement } from 'sqlite3';

/** What knex's sqlite3 client calls on a connection: `run` for writes, `all` for everything else. */
type Callback = (this: any, err: Error | null, rows?: unknown[]) => void;
type RunOrAll = (sql: string, bindings: unknown, callback: Callback) => unknown;

/** Statements longer than this (multi-row inserts of a varying number of rows) are not kept. */
const MAX_CACHED_SQL_LENGTH = 4_000;

/** Row-writing statements `run` can use a kept statement for: one step and they are done. */
const WRITE = /^\s*(insert|update|delete|replace)\b/i;
/** Statements `all` may keep: reads and writes, and the transaction's own BEGIN/COMMIT/ROLLBACK. */
const KEEPABLE = /^\s*(select|with|insert|update|delete|replace|begin|commit|rollback|savepoint|release)\b/i;

interface Cache {
  statements: Map<string, Statement>;
  capacity: number;
  hits: number;
  prepared: number;
}

const caches = new WeakMap<Database, Cache>();

/**
 * Keeps the connection's prepared statements for reuse, by SQL text (up to `capacity`, the least
 * recently used one finalized first). node-sqlite3's `Database#run` and `#all` prepare every
 * statement anew and finalize it afterwards: three trips through libuv's pool and a new Statement
 * object per query, about half of what a short statement costs. With the cache, `run` and `all`
 * bind and step a kept statement: one trip. They run on the same connection as before, so a
 * statement inside a knex transaction is part of it (BEGIN … COMMIT are statements on this
 * connection too) and rolls back with it.
 *
 * A kept statement never stays open between uses: `all` steps it to the end, and `run` keeps only
 * INSERT/UPDATE/DELETE without RETURNING, which finish in one step (a statement left mid-result
 * would hold the connection's read snapshot). SQLite prepares a kept statement again by itself
 * after a schema change; one that fails otherwise than on a constraint (a duplicate the caller
 * expects) is finalized and forgotten, and one that cannot be prepared is never kept. `close`
 * finalizes them all first (SQLite refuses to close a connection with unfinalized statements).
 */
export function cacheStatements(conn: Database, capacity = 200): void {
  if (caches.has(conn)) return;
  const cache: Cache = { statements: new Map(), capacity, hits: 0, prepared: 0 };
  caches.set(conn, cache);
  const target = conn as unknown as { run: RunOrAll; all: RunOrAll; close: Database['close'] };
  const plainRun = target.run;
  const plainAll = target.all;
  const plainClose = target.close;
  target.run = function (sql, bindings, callback) {
    if (typeof callback !== 'function' || !WRITE.test(sql) || /\breturning\b/i.test(sql) || sql.length > MAX_CACHED_SQL_LENGTH)
      return plainRun.call(conn, sql, bindings, callback);
    run(conn, cache, 'run', sql, bindings, callback);
    return conn;
  };
  target.all = function (sql, bindings, callback) {
    if (typeof callback !== 'function' || !KEEPABLE.test(sql) || sql.length > MAX_CACHED_SQL_LENGTH) return plainAll.call(conn, sql, bindings, callback);
    run(conn, cache, 'all', sql, bindings, callback);
    return conn;
  };
  target.close = function (callback?: (err: Error | null) => void) {
    const kept = [...cache.statements.values()];
    cache.statements.clear();
    void Promise.all(kept.map((s) => new Promise<void>((resolve) => s.finalize(() => resolve())))).then(() => plainClose.call(conn, callback));
  };
}

/** How many statements the connection keeps, how often one was reused, and how many were prepared. */
export function statementCacheStats(conn: Database): { kept: number; hits: number; prepared: number } | undefined {
  const cache = caches.get(conn);
  return cache && { kept: cache.statements.size, hits: cache.hits, prepared: cache.prepared };
}

function run(conn: Database, cache: Cache, method: 'run' | 'all', sql: string, bindings: unknown, callback: Callback): void {
  const kept = cache.statements.get(sql);
  if (kept) {
    cache.hits++;
    // Most recently used last: a Map iterates in insertion order, so the first entry is the one to finalize.
    cache.statements.delete(sql);
    cache.statements.set(sql, kept);
    step(cache, kept, method, sql, bindings, callback);
    return;
  }
  // Kept only once prepared: node-sqlite3 drops a failed statement's queued runs without calling them back.
  const statement = conn.prepare(sql, (err: Error | null) => {
    if (err) return callback.call(undefined, err); // node-sqlite3 has finalized it
    cache.prepared++;
    if (!cache.statements.has(sql)) {
      cache.statements.set(sql, statement);
      if (cache.statements.size > cache.capacity) {
        const [oldestSql, oldest] = cache.statements.entries().next().value!;
        cache.statements.delete(oldestSql);
        oldest.finalize();
      }
    }
    step(cache, statement, method, sql, bindings, callback);
    // Two first uses at once each prepare one: the one not kept is finalized after its run.
    if (cache.statements.get(sql) !== statement) statement.finalize();
  });
}

function step(cache: Cache, statement: Statement, method: 'run' | 'all', sql: string, bindings: unknown, callback: Callback): void {
  (statement[method] as (params: unknown, cb: Callback) => void)(bindings, function (this: { lastID?: number; changes?: number }, err, rows) {
    // A constraint failure (a duplicate the caller expects) leaves the statement as good as before.
    if (err) {
      if ((err as { code?: unknown }).code !== 'SQLITE_CONSTRAINT' && cache.statements.get(sql) === statement) {
        cache.statements.delete(sql);
        statement.finalize();
      }
      callback.call(this, err);
      return;
    }
    // The statement object is shared: hand knex this run's lastID and changes, not a reference that the next run overwrites.
    callback.call({ lastID: this.lastID, changes: this.changes }, null, rows);
  });
}
