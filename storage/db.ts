import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from './migrations.js';

export type Db = Knex;
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
          // commit durable before intake answers 202 (the journal promise).
          conn.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;', (err) =>
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

interface SqliteConnection {
  exec(sql: string, cb: (err: Error | null) => void): void;
}

export function dialectOf(db: Db): Dialect {
  return db.client.config.client === 'pg' ? 'postgres' : 'sqlite';
}

export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
