import { expect } from 'chai';
import { migrate, openDatabase, type Db } from '../../storage/db.js';
import { insertReturningId, rowById } from '../../storage/fixed-statements.js';
import { CustomerStore } from '../../storage/customer.store.js';
import { TicketStore } from '../../storage/ticket.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';

for (const kind of TEST_DATABASES) {
  describe(`rows written and read by fixed statements (storage/fixed-statements.ts) on ${kind}`, function () {
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

    it('returns the id of the row it wrote, and reads back every value as written, nulls and text included', async function () {
      const ids = [];
      for (const name of ['王芳', null, 'O’Brien "quoted"']) {
        ids.push(await insertReturningId(db, 'customers', { display_name: name, language: name ? 'zh-Hans' : null, created_at: 1_000, updated_at: 2_000 }));
      }
      expect(new Set(ids).size).to.equal(3);
      expect((await rowById(db, 'customers', ids[0]!))?.display_name).to.equal('王芳');
      expect(await rowById(db, 'customers', ids[1]!)).to.deep.include({ id: ids[1], display_name: null, language: null, created_at: 1_000, updated_at: 2_000 });
      expect((await rowById(db, 'customers', ids[2]!))?.display_name).to.equal('O’Brien "quoted"');
      expect(await rowById(db, 'customers', 999_999)).to.equal(undefined);
    });

    it('creates a customer with their identities, leaving an identity another customer owns with that customer', async function () {
      const customers = new CustomerStore();
      const first = await customers.create(
        db,
        { displayName: '张伟', language: 'zh-Hans', identities: [{ kind: 'phone', value: '+8613800138000', verified: true }] },
        7_000,
      );
      const second = await customers.create(db, {
        identities: [
          { kind: 'email', value: 'zw@example.test' },
          { kind: 'phone', value: '+8613800138000' },
        ],
      });
      expect(second).to.not.equal(first);
      expect(await rowById(db, 'customers', first)).to.deep.include({ display_name: '张伟', language: 'zh-Hans', created_at: 7_000, updated_at: 7_000 });
      const identities = await db('customer_identities')
        .whereIn('customer_id', [first, second])
        .orderBy('id')
        .select('customer_id', 'kind', 'value', 'verified');
      expect(identities.map((i) => [Number(i.customer_id), i.kind, i.value, Boolean(i.verified)])).to.deep.equal([
        [first, 'phone', '+8613800138000', true],
        [second, 'email', 'zw@example.test', false],
      ]);
    });

    it('writes a ticket and its messages that the stores read back whole, and nothing when the transaction rolls back', async function () {
      const tickets = new TicketStore();
      const customerId = await new CustomerStore().create(db, { displayName: 'Li Lei', identities: [{ kind: 'email', value: 'li@example.test' }] });
      const ticketId = await tickets.create(
        db,
        { number: 'C-20261205-0001', queue: 'general', customerId, channel: 'email', subject: 'Refund', tags: ['vip'] },
        5_000,
      );
      const messageId = await tickets.addMessage(db, {
        ticketId,
        direction: 'in',
        author: 'customer',
        channel: 'email',
        fromAddress: 'li@example.test',
        text: '退款还没到账',
        meta: { threadKey: 'abc' },
        createdAt: 6_000,
      });
      const ticket = (await tickets.get(db, ticketId))!;
      expect(ticket).to.deep.include({
        id: ticketId,
        number: 'C-20261205-0001',
        queue: 'general',
        customerId,
        subject: 'Refund',
        tags: ['vip'],
        messageCount: 1,
      });
      const [message] = await tickets.messages(db, ticketId);
      expect(message).to.deep.include({ id: messageId, text: '退款还没到账', fromAddress: 'li@example.test', meta: { threadKey: 'abc' }, toAddress: null });

      const outcome = await db
        .transaction(async (trx) => {
          await tickets.addMessage(trx, { ticketId, direction: 'out', author: 'agent', channel: 'email', text: 'never sent', createdAt: 7_000 });
          await tickets.create(trx, { number: 'C-20261205-0002', queue: 'general', customerId, channel: 'email' }, 7_000);
          throw new Error('cancelled');
        })
        .catch((err: Error) => err.message);
      expect(outcome).to.equal('cancelled');
      expect((await tickets.messages(db, ticketId)).map((m) => m.text)).to.deep.equal(['退款还没到账']);
      expect(await tickets.getByNumber(db, 'C-20261205-0002')).to.equal(undefined);
    });
  });
}
