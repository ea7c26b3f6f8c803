import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import knexFactory, { type Knex } from 'knex';
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '../../test/support/databases.js';
import { freePort } from '../../test/support/dovecot.js';
import { startServer, type RunningServer } from '../intake/process-runner.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';

/** A fresh database with `gateway start --processes N` running on it, and a connection of the bench's own to read it. */
export interface GatewayUnderTest {
  database: TestDatabase;
  /** PostgreSQL database name; undefined on SQLite. */
  databaseName?: string;
  server: RunningServer;
  /** The bench's connection to the same database (one connection). */
  db: Knex;
  /** PostgreSQL backend pid of `db`, left out of the server's CPU. */
  benchBackend?: number;
  stop(): Promise<void>;
}

export async function startGateway(kind: 'sqlite' | 'postgres', processes: number): Promise<GatewayUnderTest> {
  const database = await createTestDatabase(kind);
  const port = await freePort();
  let server: RunningServer;
  try {
    server = await startServer({
      command: process.execPath,
      args: [path.join(ROOT, 'gateway/bin.js'), 'start', ...(processes > 1 ? ['--processes', String(processes)] : [])],
      env: { DATABASE_URL: database.url, GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      cwd: ROOT,
      url: `http://127.0.0.1:${port}`,
      readyPath: '/healthz',
      timeoutMs: 90_000,
    });
  } catch (err) {
    await database.drop();
    throw err;
  }
  const db =
    kind === 'sqlite'
      ? knexFactory({ client: 'sqlite3', connection: { filename: database.url.slice('sqlite:'.length) }, useNullAsDefault: true, pool: { min: 1, max: 1 } })
      : knexFactory({ client: 'pg', connection: database.url, pool: { min: 1, max: 1 } });
  const databaseName = kind === 'postgres' ? new URL(database.url).pathname.slice(1) : undefined;
  const stop = async () => {
    await db.destroy();
    const code = await server.stop(30_000);
    if (code !== 0 && code !== null) process.stderr.write(`gateway exited with ${code}\n${server.output()}\n`);
    await database.drop();
  };
  try {
    let benchBackend: number | undefined;
    if (kind === 'postgres') {
      benchBackend = Number((await db.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      // Every process is up once each listens on the cluster bus (the HTTP port answers as soon as the first is).
      const deadline = Date.now() + 90_000;
      for (;;) {
        const r = await db.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ? AND query LIKE 'LISTEN %'`, [databaseName!]);
        if (r.rows[0].n >= processes) break;
        if (Date.now() > deadline) throw new Error(`only ${r.rows[0].n} of ${processes} gateway processes listening after 90 s\n${server.output()}`);
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    return { database, databaseName, server, db, benchBackend, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** An admin connection to the server's maintenance database, for pg_stat_activity. */
export function adminConnection(): Knex {
  return knexFactory({ client: 'pg', connection: TEST_POSTGRES_URL, pool: { min: 1, max: 1 } });
}

/** Resolves when no journal row is pending or being processed; false when `timeoutMs` passed first. */
export async function waitUntilDrained(db: Knex, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db('intake_journal').whereIn('status', ['pending', 'processing']).first('id');
    if (!row) return true;
    if (Date.now() > deadline) return false;
    await new Promise((res) => setTimeout(res, everyMs));
  }
}

/** GET /metrics on a new connection each time (node:cluster hands connections round-robin), until every process answered. */
export async function scrapeEveryProcess(url: string, processes: number): Promise<Map<string, string>> {
  const byProcess = new Map<string, string>();
  for (let attempt = 0; attempt < processes * 20 && byProcess.size < processes; attempt++) {
    const text = await new Promise<string>((resolve, reject) => {
      http
        .get(new URL('/metrics', url), { agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    const name = /process="([^"]+)"/.exec(text)?.[1] ?? 'single';
    byProcess.set(name, text);
  }
  return byProcess;
}
