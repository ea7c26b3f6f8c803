import { expect } from 'chai';
import { CustomerStore } from '../../../storage/customer.store.js';
import { migrate, openDatabase, type Db } from '../../../storage/db.js';
import { LabelledExampleStore } from '../../../storage/labelled-example.store.js';
import { TicketStore } from '../../../storage/ticket.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../../support/databases.js';

for (const kind of TEST_DATABASES) {
  describe(`labelled examples store on ${kind}`, function () {
    let database: TestDatabase;
    let db: Db;
    const store = new LabelledExampleStore();

    before(async function () {
      database = await createTestDatabase(kind);
      db = openDatabase(database.url);
      await migrate(db);
    });
    after(async function () {
      await db?.destroy();
      await database?.drop();
    });

    async function ticket(n: number): Promise<number> {
      const customerId = await new CustomerStore().create(db, { identities: [{ kind: 'email', value: `c${n}-${kind}@example.com` }] });
      return new TicketStore().create(db, { number: `C-20261204-${String(n).padStart(4, '0')}`, customerId, channel: 'email', queue: 'general' });
    }

    it('keeps one current example per ticket: a later correction replaces the label, not adds one', async function () {
      const id = await ticket(1);
      const first = await store.record(db, {
        ticketId: id,
        text: 'Subject\nthe gate arm will not lift',
        category: 'SP',
        subcategory: null,
        language: 'en',
        labelledBy: 'agent:li.lei',
        labelledAt: 1000,
      });
      const second = await store.record(db, {
        ticketId: id,
        text: 'Subject\nthe gate arm will not lift',
        category: 'PQ',
        subcategory: 'PQ-05',
        language: 'en',
        labelledBy: 'agent:han.mei',
        labelledAt: 2000,
      });
      expect(second).to.equal(first);
      const stored = await store.forTicket(db, id);
      expect(stored).to.deep.equal({
        id: first,
        ticketId: id,
        text: 'Subject\nthe gate arm will not lift',
        category: 'PQ',
        subcategory: 'PQ-05',
        language: 'en',
        labelledBy: 'agent:han.mei',
        labelledAt: 2000,
        source: 'agent',
      });
    });

    it('lists every ticket’s example for training, and nothing for a ticket nobody relabelled', async function () {
      const other = await ticket(2);
      const untouched = await ticket(3);
      await store.record(db, {
        ticketId: other,
        text: '道闸杆抬不起来',
        category: 'PQ',
        subcategory: null,
        language: 'zh-Hans',
        labelledBy: 'agent:li.lei',
        labelledAt: 3000,
      });
      const all = await store.all(db);
      expect(all.map((e) => [e.category, e.labelledBy])).to.deep.equal([
        ['PQ', 'agent:han.mei'],
        ['PQ', 'agent:li.lei'],
      ]);
      expect(await store.forTicket(db, untouched)).to.equal(undefined);
    });

    it('refuses an example for a ticket that does not exist', async function () {
      let failed = false;
      try {
        await store.record(db, { ticketId: 999_999, text: 'x', category: 'PQ', subcategory: null, language: null, labelledBy: 'agent:x', labelledAt: 1 });
      } catch {
        failed = true;
      }
      expect(failed).to.equal(true);
    });
  });
}
