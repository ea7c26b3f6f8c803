import { expect } from 'chai';
import { migrate, openDatabase, type Db } from '../../storage/db.js';
import { JournalStore } from '../../storage/journal.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';

for (const kind of TEST_DATABASES) {
  describe(`intake journal store on ${kind}`, function () {
    let database: TestDatabase;
    let db: Db;
    before(async function () {
      database = await createTestDatabase(kind);
      db = openDatabase(database.url);
      await migrate(db);
    });
    after(async function () {
      await db?.destroy();
      await database?.drop();
    });

    it('appends a group commit larger than SQLite’s 500-term insert limit, flagging repeats', async function () {
      const journal = new JournalStore(db);
      const entry = (i: number) => ({ channel: 'api', externalId: `big-${i}`, receivedAt: Date.now(), payload: { i } });
      const first = await journal.appendMany(Array.from({ length: 1200 }, (_, i) => entry(i)));
      expect(first.every((r) => !r.duplicate)).to.equal(true);
      expect(new Set(first.map((r) => r.id)).size).to.equal(1200);

      // 600 already stored + 600 new + one repeated within the batch.
      const again = await journal.appendMany([...Array.from({ length: 1200 }, (_, i) => entry(i + 600)), entry(1799)]);
      expect(again.slice(0, 600).every((r, i) => r.duplicate && r.id === first[i + 600]!.id)).to.equal(true);
      expect(again.slice(600, 1200).every((r) => !r.duplicate)).to.equal(true);
      expect(again[1200]).to.deep.equal({ id: again[1199]!.id, duplicate: true });
      const count = await db('intake_journal').count({ n: '*' }).first();
      expect(Number(count?.n)).to.equal(1800);
    });

    it('tells a worker whether another one is processing rows (the pipeline then runs its transactions side by side)', async function () {
      const journal = new JournalStore(db);
      expect(await journal.othersProcessing('worker-b')).to.equal(false);
      const claimed = await journal.claim('worker-a', 5, 30_000, 5);
      expect(claimed).to.have.length(5);
      expect(await journal.othersProcessing('worker-b')).to.equal(true);
      expect(await journal.othersProcessing('worker-a')).to.equal(false);
      expect(await journal.releaseClaims('worker-a')).to.equal(5);
      expect(await journal.othersProcessing('worker-b')).to.equal(false);
    });
  });
}
