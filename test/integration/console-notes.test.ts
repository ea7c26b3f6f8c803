import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`internal notes on ${db}`, function () {
    let gw: TestGateway;
    let sms: FakeAdapter;

    beforeEach(async function () {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({ db, adapters: [sms] });
    });

    afterEach(async function () {
      await gw?.stop();
    });

    async function oneTicket(): Promise<any> {
      await gw.api('POST', '/api/v1/messages', {
        channel: 'sms',
        externalId: 'note-1',
        from: { address: '+8613800138000' },
        text: '我买的电水壶用了两天就不加热了，要求退货。',
      });
      await gw.settle();
      return (await gw.api('GET', '/api/v1/tickets')).body.items[0];
    }

    it('keeps a note on the timeline with author and time, marked internal, and never sends it', async function () {
      const ticket = await oneTicket();
      const sentBefore = sms.sent.length;
      const outboxBefore = Number((await gw.gateway.db('outbox').count({ n: '*' }).first())!.n);
      const agent = await gw.gateway.tokens.create('li.lei', 'agent');
      const secret = '客户是老用户，上次投诉已补偿过一次 (internal only)';

      const res = await gw.api('POST', `/api/v1/tickets/${ticket.number}/notes`, { text: secret }, agent.token);
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ ticketId: ticket.id, author: 'li.lei', actor: 'agent:li.lei', text: secret, internal: true });
      expect(Date.parse(res.body.createdAt)).to.be.closeTo(Date.now(), 10_000);
      await gw.settle();

      const detail = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
      expect(detail.notes).to.deep.equal([res.body]);
      const event = detail.events.find((e: any) => e.type === 'note');
      expect(event).to.include({ actor: 'agent:li.lei' });
      expect(event.after).to.deep.equal({ text: secret, internal: true });
      expect(
        detail.messages.some((m: any) => m.text.includes('internal only')),
        'a note is not a message',
      ).to.equal(false);
      // Nothing queued, nothing sent, the SLA first response still pending.
      expect(Number((await gw.gateway.db('outbox').count({ n: '*' }).first())!.n)).to.equal(outboxBefore);
      expect(sms.sent).to.have.length(sentBefore);
      expect(sms.sent.some((m) => m.text.includes('internal only'))).to.equal(false);
      expect(detail.firstRespondedAt).to.equal(null);
      expect(detail.status).to.equal(ticket.status);

      // The customer's status page does not show it, even as the latest entry of the ticket.
      const { statusToken } = (await gw.gateway.tickets.get(gw.gateway.db, ticket.id))!;
      const page = await fetch(`${gw.url}/t/${statusToken}`);
      expect(page.status).to.equal(200);
      const html = await page.text();
      expect(html).to.include(ticket.number);
      expect(html).to.not.include('internal only');
      expect(html).to.not.include('老用户');
    });

    it('refuses an empty or too long note, an unknown ticket and a read-only role, in plain words', async function () {
      const ticket = await oneTicket();
      const cases: Array<[string, unknown, number, RegExp]> = [
        [`/api/v1/tickets/${ticket.id}/notes`, { text: '   ' }, 400, /text is required/],
        [`/api/v1/tickets/${ticket.id}/notes`, { text: 'x'.repeat(10_001) }, 400, /at most 10,000 characters/],
        [`/api/v1/tickets/${ticket.id}/notes`, {}, 400, /text/],
        [`/api/v1/tickets/${ticket.id}/notes`, { text: 'hi', to: 'customer' }, 400, /to/],
        ['/api/v1/tickets/999999/notes', { text: 'hi' }, 404, /ticket 999999 does not exist/],
        ['/api/v1/tickets/C-20990101-0001/notes', { text: 'hi' }, 404, /does not exist/],
      ];
      for (const [path, body, status, message] of cases) {
        const res = await gw.api('POST', path, body);
        expect(res.status, path).to.equal(status);
        expect(res.body.error.message, path).to.match(message);
        expect(JSON.stringify(res.body), path).to.not.match(/insert |select |\.ts:\d+/i);
      }
      expect((await gw.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text: 'x'.repeat(10_000) })).status).to.equal(201);
      const finance = await gw.gateway.tokens.create('fin', 'finance');
      expect((await gw.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text: 'hi' }, finance.token)).status).to.equal(403);
    });
  });
}
