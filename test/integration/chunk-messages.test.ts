import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { insertReturningId } from '../../storage/fixed-statements.js';
import { TicketStore } from '../../storage/ticket.store.js';
import { TEST_DATABASES, type TestDatabaseKind } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The messages a pipeline transaction writes (customers' messages, acknowledgements) are inserted together
 * just before its commit, by one statement, with their ids known at once: on SQLite (the transaction is the
 * one writer) counted on from the table's own counter, on PostgreSQL drawn from its sequence. The events and
 * outbox items that name a message must name the row that was written. On SQLite, if anything else writes a
 * message in the same transaction the ids collide; the chunk is then redone message by message and nothing
 * is lost.
 */
for (const kind of TEST_DATABASES) describeChunkMessages(kind);

function describeChunkMessages(kind: TestDatabaseKind): void {
  describe(`a pipeline transaction’s messages in one statement (${kind})`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let sms: FakeAdapter;
    let messageInserts = 0;
    const create = TicketStore.prototype.create;
    const countInserts = (q: { sql?: string }) => {
      if (/^\s*insert into "?messages"?/i.test(q.sql ?? '')) messageInserts++;
    };

    beforeEach(async function () {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({
        db: kind,
        adapters: [sms],
        workers: false,
        tweak: (c) => {
          // The whole backlog in one transaction.
          c.gateway.pipeline.sqliteTransactionMaxMs = 60_000;
          c.gateway.pipeline.transactionSize = 20;
        },
      });
      messageInserts = 0;
      gw.gateway.db.on('query', countInserts);
    });
    afterEach(async function () {
      TicketStore.prototype.create = create;
      gw?.gateway.db.off('query', countInserts);
      await gw?.stop();
    });

    const phones = ['+8613900002201', '+8613900002202', '+8613900002203'];
    const first = (n: number) => `第${n}号订单的快递一直没送到，已经等了五天了`;
    const again = (n: number) => `第${n}号订单的快递一直没送到，已经等了五天了，请尽快处理`;
    const backlog = async () => {
      for (const [n, phone] of phones.entries()) await sms.receive({ from: { address: phone }, text: first(n + 1) });
      for (const [n, phone] of phones.entries()) await sms.receive({ from: { address: phone }, text: again(n + 1) });
    };
    const rows = async () => ({
      messages: await gw.gateway.db('messages').orderBy('id').select('id', 'ticket_id', 'journal_id', 'direction', 'text'),
      events: await gw.gateway.db('ticket_events').where({ type: 'message_attached' }).select('ticket_id', 'after'),
      outbox: await gw.gateway.db('outbox').select('ticket_id', 'message_id'),
    });

    it('writes them by one statement, and every event and outbox item names its own message', async function () {
      await backlog();
      expect(await gw.gateway.pipeline.drain()).to.equal(6);
      expect(messageInserts).to.equal(1);

      const { messages, events, outbox } = await rows();
      const inbound = messages.filter((m) => m.direction === 'in');
      // Every customer message once, in the order they were received (ids follow the journal).
      expect(inbound.map((m) => m.text)).to.deep.equal([first(1), first(2), first(3), again(1), again(2), again(3)]);
      expect(inbound.map((m) => Number(m.journal_id))).to.deep.equal([...inbound.map((m) => Number(m.journal_id))].sort((a, b) => a - b));
      // Each follow-up's event points at that follow-up, on its own ticket.
      expect(events).to.have.length(3);
      for (const e of events) {
        const named = messages.find((m) => Number(m.id) === JSON.parse(e.after).messageId);
        expect(named?.direction).to.equal('in');
        expect(Number(named?.ticket_id)).to.equal(Number(e.ticket_id));
        expect(named?.text).to.match(/请尽快处理/);
      }
      // Each acknowledgement to send is the outbound message of the same ticket.
      expect(outbox).to.have.length(3);
      for (const item of outbox) {
        const named = messages.find((m) => Number(m.id) === Number(item.message_id));
        expect(named?.direction).to.equal('out');
        expect(Number(named?.ticket_id)).to.equal(Number(item.ticket_id));
      }

      // A message written afterwards, outside the pipeline, takes an id of its own after theirs.
      const ticketId = Number(inbound[0]!.ticket_id);
      const id = await new TicketStore().addMessage(gw.gateway.db, {
        ticketId,
        direction: 'out',
        author: 'agent',
        channel: 'sms',
        text: '您好，我们正在处理',
        createdAt: Date.now(),
      });
      const last = Math.max(...messages.map((m) => Number(m.id)));
      // On PostgreSQL the ids the transaction drew and did not use are gaps.
      if (kind === 'sqlite') expect(id).to.equal(last + 1);
      else expect(id).to.be.greaterThan(last);
    });

    if (kind === 'sqlite')
      it('counts on from the largest id when the table’s counter is behind it', async function () {
        await backlog();
        await gw.gateway.pipeline.drain();
        const last = Number((await gw.gateway.db('messages').max({ id: 'id' }).first())?.id);
        // A counter row lost (a table copied by hand, say): the ids in use are still never given again.
        await gw.gateway.db.raw(`DELETE FROM sqlite_sequence WHERE name = 'messages'`);
        messageInserts = 0;
        await sms.receive({ from: { address: phones[0]! }, text: again(1) });
        expect(await gw.gateway.pipeline.drain()).to.equal(1);
        // One INSERT: the transaction was not redone message by message.
        expect(messageInserts).to.equal(1);
        expect((await gw.gateway.db('messages').where('id', '>', last).select('text')).map((m) => m.text)).to.deep.equal([again(1)]);
      });

    if (kind === 'sqlite')
      it('redoes the chunk message by message when something else wrote a message in its transaction, and keeps every message once', async function () {
        await backlog();
        let created = 0;
        // The second new ticket: a message written straight into the transaction takes the id counted for a deferred one.
        TicketStore.prototype.create = async function (this: TicketStore, ...args: Parameters<TicketStore['create']>) {
          const id = await create.apply(this, args);
          if (++created === 2) {
            await insertReturningId(args[0], 'messages', {
              ticket_id: id,
              direction: 'out',
              author: 'system',
              channel: 'sms',
              text: 'written outside the deferral',
              attachments: '[]',
              meta: '{}',
              created_at: Date.now(),
            });
          }
          return id;
        };
        expect(await gw.gateway.pipeline.drain()).to.equal(6);

        const { messages, events, outbox } = await rows();
        // The first transaction failed and was rolled back (the message written behind the deferral's back with it)…
        expect(messages.map((m) => m.text)).to.not.include('written outside the deferral');
        // …and redone message by message: six customer messages and three acknowledgements, each once.
        expect(messages).to.have.length(9);
        const inbound = messages.filter((m) => m.direction === 'in');
        expect(inbound.map((m) => m.text).sort()).to.deep.equal([first(1), first(2), first(3), again(1), again(2), again(3)].sort());
        expect(Number((await gw.gateway.db('intake_journal').where({ status: 'done' }).count({ n: '*' }).first())?.n)).to.equal(6);
        expect(Number((await gw.gateway.db('tickets').count({ n: '*' }).first())?.n)).to.equal(3);
        expect(events).to.have.length(3);
        for (const e of events) {
          const named = messages.find((m) => Number(m.id) === JSON.parse(e.after).messageId);
          expect(named?.direction).to.equal('in');
          expect(Number(named?.ticket_id)).to.equal(Number(e.ticket_id));
        }
        expect(outbox).to.have.length(3);
        for (const item of outbox) {
          const named = messages.find((m) => Number(m.id) === Number(item.message_id));
          expect(named?.direction).to.equal('out');
          expect(Number(named?.ticket_id)).to.equal(Number(item.ticket_id));
        }
      });
  });
}
