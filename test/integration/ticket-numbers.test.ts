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

    it('numbers a burst of tickets in order with blocks drawn ahead, and a quiet gateway one number per draw', async function () {
      const store = new TicketStore();
      const draws: number[] = [];
      const count = (q: { sql: string; bindings?: readonly unknown[] }) => {
        if (/INSERT INTO counters/.test(q.sql) && q.bindings?.[0] === 'ticket:B:20261209') draws.push(Number(q.bindings[1]));
      };
      db.on('query', count);
      const counter = async () => Number((await db('counters').where({ name: 'ticket:B:20261209' }).first())?.value);
      try {
        // Forty tickets, each in a transaction of its own, one after another.
        const numbers: string[] = [];
        for (let i = 0; i < 40; i++) numbers.push(await db.transaction((trx) => new TicketNumberSequence(store, db).next(trx, 'B', '20261209')));
        expect(numbers).to.deep.equal(Array.from({ length: 40 }, (_, i) => `B-20261209-${String(i + 1).padStart(4, '0')}`));
        // Blocks of 1, 2, 4, 8, 16, 16: six statements for forty numbers, and 7 reserved ahead.
        expect(draws).to.deep.equal([1, 2, 4, 8, 16, 16]);
        expect(await counter()).to.equal(47);
        // The reserved numbers are handed out first; then, a second after the last draw, one number is drawn at a time.
        for (let i = 0; i < 7; i++) await new TicketNumberSequence(store, db).next(db, 'B', '20261209');
        await new Promise((r) => setTimeout(r, 1_100));
        expect(await new TicketNumberSequence(store, db).next(db, 'B', '20261209')).to.equal('B-20261209-0048');
        expect(await counter()).to.equal(48);
      } finally {
        db.removeListener('query', count);
      }
    });

    it('never gives one number twice, with two processes numbering at once', async function () {
      const other = openDatabase(database.url);
      try {
        const store = new TicketStore();
        // Per process three transactions at a time (as lanes: each holds a connection, its draws take another).
        const numberAll = async (conn: Db) =>
          (
            await Promise.all(
              [0, 1, 2].map(async () => {
                const numbers: string[] = [];
                for (let i = 0; i < 10; i++) numbers.push(await conn.transaction((trx) => new TicketNumberSequence(store, conn).next(trx, 'D', '20261209')));
                return numbers;
              }),
            )
          ).flat();
        const [mine, theirs] = await Promise.all([numberAll(db), numberAll(other)]);
        expect(new Set([...mine, ...theirs]).size).to.equal(60);
      } finally {
        await other.destroy();
      }
    });
  });
}
