import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The outbox records a claimed batch's results together (one transaction, set-based for the sends that went
 * through): each item must still end with its own outcome. Workers are off; the batch is claimed by hand.
 */
const LEASE_SECONDS = 30;

for (const db of TEST_DATABASES) {
  describe(`the outbox records a batch of sends together on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let sms: FakeAdapter;

    beforeEach(async function () {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({
        db,
        adapters: [sms],
        workers: false,
        tweak: (c) => {
          c.gateway.customerUpdates.quietHours = null;
          c.gateway.outbox.leaseSeconds = LEASE_SECONDS;
        },
      });
    });
    afterEach(async function () {
      await gw?.stop();
    });

    /** Complaints from new numbers, drained and acknowledged; their ticket ids in order. */
    async function complaints(n: number): Promise<number[]> {
      const ids: number[] = [];
      for (let i = 0; i < n; i++) {
        const { id } = await sms.receive({ from: { address: `+86139001${String(i).padStart(5, '0')}` }, text: '我买的电水壶用了两天就漏水了，要求换货。' });
        ids.push(Number(id));
      }
      await gw.gateway.pipeline.drain();
      while ((await gw.gateway.sender.processBatch()) > 0);
      const rows = await gw.gateway.db('messages').whereIn('journal_id', ids).orderBy('journal_id').select('ticket_id');
      return rows.map((r) => Number(r.ticket_id));
    }
    const reply = async (ticketId: number, text: string) => (await gw.gateway.service.reply(String(ticketId), { text }, 'li.lei')).messageId;
    const ticket = async (id: number) => (await gw.api('GET', `/api/v1/tickets/${id}`)).body;
    const outboxOf = (messageId: number) => gw.gateway.db('outbox').where({ message_id: messageId }).first();

    it('marks each item of one batch by its own outcome: refused, to retry, sent (with its own id), and a ticket reached again leaves the unreachable view', async function () {
      const [a, b, c, d, e] = await complaints(5);
      // A's first reply is refused: A is a customer we cannot reach.
      sms.failNext('permanent');
      await reply(a!, '第一次答复');
      expect(await gw.gateway.sender.processBatch()).to.equal(1);
      expect((await ticket(a!)).tags).to.include('unreachable');

      // One batch: B refused for good, E's provider down for now, A, C and D sent.
      const refused = await reply(b!, '给 B 的答复');
      const later = await reply(e!, '给 E 的答复');
      const sent = [await reply(a!, '给 A 的第二次答复'), await reply(c!, '给 C 的答复'), await reply(d!, '给 D 的答复')];
      sms.failNext('permanent');
      sms.failNext('transient');
      expect(await gw.gateway.sender.processBatch()).to.equal(5);

      const tb = await ticket(b!);
      expect(tb.messages.find((m: { id: number }) => m.id === refused).deliveryStatus).to.equal('failed');
      expect(tb.events.some((ev: { type: string }) => ev.type === 'delivery_failed')).to.equal(true);
      expect(tb.tags).to.include('unreachable');
      expect(tb.firstRespondedAt, 'a refused reply is no first response').to.equal(null);
      expect(await outboxOf(refused)).to.include({ status: 'failed', last_error: 'fake sms: recipient refused' });

      const te = await ticket(e!);
      expect(te.messages.find((m: { id: number }) => m.id === later).deliveryStatus).to.equal('queued');
      expect(await outboxOf(later)).to.include({ status: 'pending', last_error: 'fake sms: provider unavailable' });
      expect(te.tags).to.not.include('unreachable');

      const externalIds = new Set<string>();
      for (const messageId of sent) {
        const row = await outboxOf(messageId);
        expect(row.status).to.equal('sent');
        expect(row.external_id).to.equal(`fake-out-${row.id}`);
        const message = await gw.gateway.db('messages').where({ id: messageId }).first();
        expect(message).to.include({ delivery_status: 'sent', external_id: row.external_id });
        externalIds.add(row.external_id);
      }
      expect(externalIds.size).to.equal(3);
      expect((await ticket(a!)).tags, 'A was reached after all').to.not.include('unreachable');
      const view = (await gw.api('GET', '/api/v1/tickets?reach=unreachable')).body.items.map((i: { id: number }) => i.id);
      expect(view).to.deep.equal([b]);
    });

    it('still records the rest of a batch when one item cannot be recorded; that one stays claimed and is sent again', async function () {
      const [a, b, c] = await complaints(3);
      const messages = [await reply(a!, '给 A 的答复'), await reply(b!, '给 B 的答复'), await reply(c!, '给 C 的答复')];
      sms.failNext('permanent'); // A's reply is refused, and recording that refusal fails below
      const tickets = gw.gateway.tickets;
      const addEvent = tickets.addEvent.bind(tickets);
      tickets.addEvent = async (conn, event, now) => {
        if (event.type === 'delivery_failed') throw new Error('the events table is unavailable');
        return addEvent(conn, event, now);
      };
      try {
        let error: unknown;
        await gw.gateway.sender.processBatch().catch((err) => (error = err));
        expect((error as Error)?.message).to.equal('the events table is unavailable');
      } finally {
        tickets.addEvent = addEvent;
      }
      expect((await outboxOf(messages[0]!)).status, 'not recorded: claimed until its lease ends').to.equal('processing');
      for (const m of messages.slice(1)) expect((await outboxOf(m)).status).to.equal('sent');
      const [sentB, sentC] = await Promise.all(messages.slice(1).map((m) => gw.gateway.db('messages').where({ id: m }).first()));
      expect([sentB.delivery_status, sentC.delivery_status]).to.deep.equal(['sent', 'sent']);

      // After the lease the refused reply is tried again (at least once), and this time recorded.
      sms.failNext('permanent');
      expect(await gw.gateway.sender.processBatch(Date.now() + LEASE_SECONDS * 1000 + 1000)).to.equal(1);
      expect((await outboxOf(messages[0]!)).status).to.equal('failed');
      expect((await ticket(a!)).tags).to.include('unreachable');
    });
  });
}
