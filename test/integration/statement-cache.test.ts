import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import sqlite3 from 'sqlite3';
import { dialectOf, migrate, openDatabase, type Db } from '../../storage/db.js';
import { cacheStatements, statementCacheStats } from '../../storage/sqlite-statement-cache.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';

/** The SQLite connection's statement cache figures (undefined on PostgreSQL). */
async function cacheStats(db: Db) {
  if (dialectOf(db) !== 'sqlite') return undefined;
  const conn = await db.client.acquireConnection();
  try {
    return statementCacheStats(conn);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

const INSERT = 'INSERT INTO kept_rows (name, n) VALUES (?, ?)';

for (const kind of TEST_DATABASES) {
  describe(`statements kept prepared (storage/sqlite-statement-cache.ts) on ${kind}`, function () {
    let database: TestDatabase;
    let db: Db;
    before(async function () {
      database = await createTestDatabase(kind);
      db = openDatabase(database.url);
      await migrate(db);
      await db.schema.createTable('kept_rows', (t) => {
        t.increments('id');
        t.string('name').unique();
        t.integer('n');
      });
    });
    after(async function () {
      await db?.destroy();
      await database?.drop();
    });
    beforeEach(async function () {
      await db('kept_rows').del();
    });

    it('writes nothing when the transaction that ran a kept statement rolls back, and everything when it commits', async function () {
      // Warm the statements outside any transaction, so the transaction's writes reuse them.
      for (let i = 0; i < 5; i++) await db.raw(INSERT, [`warm-${i}`, i]);
      await db('kept_rows').where({ name: 'warm-0' }).update({ n: 100 });
      await db('kept_rows').del();
      const before = await cacheStats(db);

      const failed = await db
        .transaction(async (trx) => {
          await trx.raw(INSERT, ['lost-1', 1]);
          await trx('kept_rows').insert({ name: 'lost-2', n: 2 });
          await trx('kept_rows').where({ name: 'lost-1' }).update({ n: 100 });
          expect(Number((await trx('kept_rows').count({ c: '*' }).first())?.c)).to.equal(2);
          throw new Error('agent cancelled');
        })
        .catch((err: Error) => err.message);
      expect(failed).to.equal('agent cancelled');
      expect(await db('kept_rows').select()).to.deep.equal([]);
      if (before) expect((await cacheStats(db))!.hits, 'the rolled-back writes ran kept statements').to.be.greaterThan(before.hits + 1);

      await db.transaction(async (trx) => {
        await trx.raw(INSERT, ['kept-1', 1]);
        await trx('kept_rows').insert({ name: 'kept-2', n: 2 });
        await trx('kept_rows').where({ name: 'kept-1' }).update({ n: 100 });
      });
      expect(await db('kept_rows').orderBy('name').select('name', 'n')).to.deep.equal([
        { name: 'kept-1', n: 100 },
        { name: 'kept-2', n: 2 },
      ]);
    });

    it('rolls back the whole transaction when a kept statement fails in it, and the statement still works after', async function () {
      await db.raw(INSERT, ['taken', 0]);
      const failed = await db
        .transaction(async (trx) => {
          await trx.raw(INSERT, ['first', 1]);
          await trx.raw(INSERT, ['taken', 2]); // UNIQUE(name)
        })
        .then(
          () => 'committed',
          () => 'rolled back',
        );
      expect(failed).to.equal('rolled back');
      expect(await db('kept_rows').orderBy('name').pluck('name')).to.deep.equal(['taken']);
      await db.raw(INSERT, ['after', 3]);
      expect(await db('kept_rows').orderBy('name').pluck('name')).to.deep.equal(['after', 'taken']);
    });

    it('gives each of many overlapping uses of one statement its own rows, ids and change counts', async function () {
      const ids = await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          db('kept_rows')
            .insert({ name: `c-${i}`, n: i })
            .returning('id')
            .then((r) => Number(typeof r[0] === 'object' ? r[0].id : r[0])),
        ),
      );
      const rows = await db('kept_rows').select('id', 'name', 'n');
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      ids.forEach((id, i) => expect(byId.get(id), `row ${i}`).to.deep.include({ name: `c-${i}`, n: i }));

      const found = await Promise.all(ids.map((id) => db('kept_rows').where({ id }).first('name')));
      expect(found.map((r) => r?.name)).to.deep.equal(ids.map((_, i) => `c-${i}`));
      const changed = await Promise.all(
        ids.map((id, i) =>
          db('kept_rows')
            .where({ id })
            .where('n', '<', 60)
            .update({ n: i + 1000 }),
        ),
      );
      expect(changed).to.deep.equal(ids.map((_, i) => (i < 60 ? 1 : 0)));
      const stats = await cacheStats(db);
      if (stats) expect(stats.hits).to.be.greaterThan(300);
    });

    it('sees a column added after a statement was kept', async function () {
      await db.raw(INSERT, ['before', 1]);
      const first = await db('kept_rows').select('*');
      expect(Object.keys(first[0]!)).to.not.include('note');
      await db.schema.alterTable('kept_rows', (t) => t.string('note'));
      await db('kept_rows').update({ note: 'added' });
      expect((await db('kept_rows').select('*'))[0]).to.deep.include({ name: 'before', note: 'added' });
      await db.schema.alterTable('kept_rows', (t) => t.dropColumn('note'));
    });
  });
}

describe('the SQLite statement cache on a plain node-sqlite3 connection', function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'gw-stmt-'));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (file: string) =>
    new Promise<sqlite3.Database>((resolve, reject) => {
      const conn = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(conn)));
    });
  const call = <T>(conn: sqlite3.Database, method: 'run' | 'all', sql: string, bindings?: unknown[]) =>
    new Promise<{ rows: T; lastID?: number; changes?: number }>((resolve, reject) =>
      (conn[method] as (sql: string, b: unknown, cb: (this: sqlite3.RunResult, err: Error | null, rows: T) => void) => void)(
        sql,
        bindings,
        function (err, rows) {
          if (err) reject(err);
          else resolve({ rows, lastID: this.lastID, changes: this.changes });
        },
      ),
    );
  const close = (conn: sqlite3.Database) => new Promise<void>((resolve, reject) => conn.close((err) => (err ? reject(err) : resolve())));

  it('keeps at most its capacity, answers right after evicting, and closes with statements kept', async function () {
    const file = path.join(dir, 'a.sqlite');
    const conn = await open(file);
    cacheStatements(conn, 2);
    await call(conn, 'run', 'CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const inserted = [];
    for (let i = 0; i < 30; i++) {
      inserted.push((await call(conn, 'run', 'INSERT INTO t (v) VALUES (?)', [`v${i}`])).lastID);
      expect((await call<Array<{ v: string }>>(conn, 'all', 'SELECT v FROM t WHERE id = ?', [inserted[i]])).rows).to.deep.equal([{ v: `v${i}` }]);
      expect((await call<Array<{ n: number }>>(conn, 'all', 'SELECT count(*) AS n FROM t')).rows).to.deep.equal([{ n: i + 1 }]);
      expect(statementCacheStats(conn)!.kept).to.be.at.most(2);
    }
    expect(inserted).to.deep.equal(Array.from({ length: 30 }, (_, i) => i + 1));
    expect((await call(conn, 'run', 'UPDATE t SET v = ? WHERE id > ?', ['x', 25])).changes).to.equal(5);
    await close(conn);

    // What was committed through kept statements is in the file after they were finalized and the connection closed.
    const again = await open(file);
    expect((await call<Array<{ n: number }>>(again, 'all', "SELECT count(*) AS n FROM t WHERE v = 'x'")).rows).to.deep.equal([{ n: 5 }]);
    await close(again);
  });

  it('reports a statement that cannot be prepared to its caller, every time', async function () {
    const conn = await open(path.join(dir, 'b.sqlite'));
    cacheStatements(conn);
    for (let i = 0; i < 3; i++) {
      const err = await call(conn, 'all', 'SELECT * FROM missing_table WHERE id = ?', [i]).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.match(/no such table: missing_table/);
    }
    await call(conn, 'run', 'CREATE TABLE missing_table (id INTEGER PRIMARY KEY)');
    expect((await call(conn, 'all', 'SELECT * FROM missing_table WHERE id = ?', [1])).rows).to.deep.equal([]);
    await close(conn);
  });
});
