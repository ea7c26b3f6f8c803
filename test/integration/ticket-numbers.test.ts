import { expect } from 'chai';
import { migrate, openDatabase, type Db } from '../../storage/db.js';
import { TicketNumberSequence } from '../../storage/ticket-numbers.js';
import { TicketStore } from '../../storage/ticket.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';

if (TEST_DATABASES.includes('postgres')) {
  // On PostgreSQL the pipeline draws ticket numbers outside its transactions (storage/ticket-numbers.ts).
  describe('ticket numbers drawn outside the transaction on PostgreSQL', function () {
    let database: TestDatabase;
    let db: Db;
    before(async function () {
      database = await createTestDatabase('postgres');
      db = openDatabase(database.url);
      await migrate(db);
    });
    after(async function () {
      await db?.destroy();
      await database?.drop();
    });

    it('numbers a ticket while another transaction that numbered one is still open', async function () {
      const store = new TicketStore();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inside!: string;
      const first = db.transaction(async (trx) => {
        inside = await new TicketNumberSequence(store, db).next(trx, 'C', '20261207');
        await held;
      });
      while (!inside) await new Promise((r) => setTimeout(r, 5));
      // The first transaction is open and waits; a second one numbers its ticket meanwhile.
      const second = await db.transaction((trx) => new TicketNumberSequence(store, db).next(trx, 'C', '20261207'));
      release();
      await first;
      expect([inside, second]).to.deep.equal(['C-20261207-0001', 'C-20261207-0002']);
    });

    it('gives up on a counter row another transaction keeps locked, instead of waiting for ever', async function () {
      const store = new TicketStore();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked = false;
      // A transaction that numbers inside itself (as a process of an earlier version did) keeps the row to its commit.
      const holder = db.transaction(async (trx) => {
        await store.incrementCounter(trx, 'ticket:C:20261208');
        locked = true;
        await held;
      });
      while (!locked) await new Promise((r) => setTimeout(r, 5));
      const started = Date.now();
      let error: unknown;
      try {
        await new TicketNumberSequence(store, db, 300).next(db, 'C', '20261208');
      } catch (err) {
        error = err;
      }
      expect(error, 'the draw is cancelled').to.be.instanceOf(Error);
      expect(Date.now() - started).to.be.lessThan(5_000);
      release();
      await holder;
      // Once the holder committed, numbers are drawn again, after its own.
      expect(await new TicketNumberSequence(store, db, 300).next(db, 'C', '20261208')).to.equal('C-20261208-0002');
    });
  });
}
