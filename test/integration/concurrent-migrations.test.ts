import { expect } from 'chai';
import { migrate, openDatabase } from '../../storage/db.js';
import { migrationSource } from '../../storage/migrations.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';

/**
 * Several gateway processes started together on a fresh PostgreSQL database (`gateway start --processes N`, or a
 * deployment bringing up its replicas at once) each bring the schema up to date at start. All of them must start.
 */
if (TEST_DATABASES.includes('postgres')) {
  describe('gateways migrating one fresh PostgreSQL database at once', function () {
    this.timeout(120_000);
    const databases: TestDatabase[] = [];
    after(async () => {
      for (const d of databases) await d.drop();
    });

    it('all start: one migrates, the others find the schema up to date', async function () {
      // Several rounds, each on a fresh database: the race on knex's bookkeeping tables lost one start in a few.
      for (let round = 0; round < 4; round++) {
        const database = await createTestDatabase('postgres');
        databases.push(database);
        const processes = Array.from({ length: 6 }, () => openDatabase(database.url));
        try {
          const outcomes = await Promise.allSettled(processes.map((db) => migrate(db)));
          const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as Error).message)] : []));
          expect(failed, `round ${round}`).to.deep.equal([]);
          const [done, pending] = await processes[0]!.migrate.list({ migrationSource });
          expect(pending).to.deep.equal([]);
          expect(done.length).to.be.above(0);
          // Each migration ran once.
          const rows = await processes[0]!('knex_migrations').select('name');
          expect(new Set(rows.map((r) => r.name)).size).to.equal(rows.length);
        } finally {
          await Promise.all(processes.map((db) => db.destroy()));
        }
      }
    });
  });
}
