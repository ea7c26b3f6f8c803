import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

export type TestDatabaseKind = 'sqlite' | 'postgres';

const KNOWN_DATABASES: readonly TestDatabaseKind[] = ['sqlite', 'postgres'];

/**
 * Reads a TEST_DATABASES value ("sqlite,postgres"). Unset means both: CI has PostgreSQL and a
 * missing server fails the suite rather than skipping it. A name it does not know is refused,
 * not dropped: "postgress" would otherwise run the suite on SQLite alone and still look green.
 */
export function parseTestDatabases(value: string | undefined): TestDatabaseKind[] {
  if (value === undefined) return [...KNOWN_DATABASES];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(KNOWN_DATABASES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`TEST_DATABASES names unknown database(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')}; known: ${KNOWN_DATABASES.join(', ')}`);
  }
  if (names.length === 0) throw new Error(`TEST_DATABASES is empty; name one or more of: ${KNOWN_DATABASES.join(', ')} (or leave it unset for all)`);
  return [...new Set(names as TestDatabaseKind[])];
}

/** Which databases the integration suite runs on (see parseTestDatabases). */
export const TEST_DATABASES: TestDatabaseKind[] = parseTestDatabases(process.env.TEST_DATABASES);

/** Server used to create throwaway PostgreSQL databases for tests. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: TestDatabaseKind;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temp SQLite file, or a new PostgreSQL database. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-test-'));
    return { kind, url: `sqlite:${path.join(dir, 'gateway.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `gw_test_${randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: TEST_POSTGRES_URL, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE ${name}`);
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for the integration suite (${TEST_POSTGRES_URL}): ${(err as Error).message}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
      { cause: err },
    );
  } finally {
    await admin.destroy();
  }
  const url = TEST_POSTGRES_URL.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
  return {
    kind,
    url,
    async drop() {
      const a = knexFactory({ client: 'pg', connection: TEST_POSTGRES_URL, pool: { min: 0, max: 1 } });
      try {
        await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.destroy();
      }
    },
  };
}
