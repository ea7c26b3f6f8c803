import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { SseClient } from '../support/sse-client.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`console live stream (SSE) on ${db}`, function () {
    let gw: TestGateway;
    let stream: SseClient | undefined;

    beforeEach(async function () {
      gw = await startTestGateway({ db, adapters: [new FakeAdapter('sms')] });
    });

    afterEach(async function () {
      stream?.close();
      stream = undefined;
      await gw?.stop();
    });

    async function openStream(token = TEST_ADMIN_TOKEN): Promise<SseClient> {
      const client = await SseClient.open(`${gw.url}/api/v1/stream`, { authorization: `Bearer ${token}` });
      expect(client.response.status).to.equal(200);
      expect(client.response.headers.get('content-type')).to.match(/^text\/event-stream/);
      // The retry hint comes first: the stream is live from here.
      const hello = await client.waitFor((m) => m.retry !== undefined);
      expect(hello.retry).to.be.greaterThan(0);
      return client;
    }

    it('shows a message posted to /api/v1/messages within 1 s, and a follow-up on the same ticket', async function () {
      stream = await openStream();
      const postedAt = Date.now();
      const posted = await gw.api('POST', '/api/v1/messages', {
        channel: 'sms',
        externalId: 'live-1',
        from: { address: '+8613800138000' },
        text: '我买的电水壶用了两天就不加热了，要求退货。',
      });
      expect(posted.status).to.equal(202);

      const created = await stream.waitFor((m) => m.event === 'ticket.created', 1_000);
      expect(created.at - postedAt, 'ms from POST to the event on the stream').to.be.lessThan(1_000);
      const event = JSON.parse(created.data!);
      expect(event).to.include({ type: 'ticket.created', reason: 'created', status: 'new' });
      expect(event).to.have.all.keys('type', 'id', 'number', 'status', 'queue', 'assignee', 'updatedAt', 'reason');
      // Announced after the commit: the ticket can be read at once.
      const detail = await gw.api('GET', `/api/v1/tickets/${event.id}`);
      expect(detail.status).to.equal(200);
      expect(detail.body.number).to.equal(event.number);

      const followUpAt = Date.now();
      await gw.api('POST', '/api/v1/messages', {
        channel: 'sms',
        externalId: 'live-2',
        from: { address: '+8613800138000' },
        text: `${event.number} 请问什么时候能到？`,
      });
      const updated = await stream.waitFor((m) => m.event === 'ticket.updated', 1_000);
      expect(updated.at - followUpAt).to.be.lessThan(1_000);
      expect(JSON.parse(updated.data!)).to.include({ id: event.id, reason: 'message' });
    });

    it('announces changes, replies and notes made through the API', async function () {
      await gw.api('POST', '/api/v1/messages', {
        channel: 'sms',
        externalId: 'live-3',
        from: { address: '+8613800138001' },
        text: '收到的手机屏幕是碎的，包装也破了',
      });
      await gw.settle();
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      stream = await openStream();
      const updates = () => stream!.events('ticket.updated').map((e) => e.data);

      const patchedAt = Date.now();
      expect((await gw.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' })).status).to.equal(200);
      const statusEvent = await stream.waitFor((m) => m.event === 'ticket.updated', 1_000);
      expect(statusEvent.at - patchedAt).to.be.lessThan(1_000);
      expect(JSON.parse(statusEvent.data!)).to.include({ id: ticket.id, number: ticket.number, status: 'open', reason: 'status' });

      await gw.api('PATCH', `/api/v1/tickets/${ticket.id}`, { queue: 'logistics', priority: 'high' });
      await stream.waitFor(() => updates().length >= 2, 1_000);
      expect(updates()[1]).to.deep.include({ queue: 'logistics', reason: 'queue', changes: ['queue', 'priority'] });

      // Nothing changed: nothing announced.
      await gw.api('PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'high' });
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '您好，我们马上为您换新。' });
      await stream.waitFor(() => updates().length >= 3, 1_000);
      expect(updates()[2]).to.include({ reason: 'reply' });

      await gw.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text: 'customer called twice' });
      await stream.waitFor(() => updates().length >= 4, 1_000);
      expect(updates()[3]).to.include({ reason: 'note' });
      expect(JSON.stringify(updates()[3]), 'the stream carries no note text').to.not.include('called twice');
      expect(updates()).to.have.length(4);
    });

    it('lets agents, leads, finance and admins listen, and stops following a client that goes away', async function () {
      for (const role of ['agent', 'lead', 'finance'] as const) {
        const { token } = await gw.gateway.tokens.create(`${role}-1`, role);
        const client = await openStream(token);
        client.close();
      }
      const integration = await gw.gateway.tokens.create('crm', 'integration');
      expect((await fetch(`${gw.url}/api/v1/stream`, { headers: { authorization: `Bearer ${integration.token}` } })).status).to.equal(403);
      expect((await fetch(`${gw.url}/api/v1/stream`)).status).to.equal(401);

      const settled = async (count: number) => {
        const deadline = Date.now() + 2_000;
        while (gw.gateway.ticketEvents.subscriberCount !== count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        return gw.gateway.ticketEvents.subscriberCount;
      };
      expect(await settled(0)).to.equal(0);
      stream = await openStream();
      const second = await openStream();
      expect(await settled(2)).to.equal(2);
      second.close();
      expect(await settled(1), 'a closed client is unsubscribed').to.equal(1);
    });

    it('tells everyone on the stream who has a ticket open and who is typing on it', async function () {
      await gw.api('POST', '/api/v1/messages', { channel: 'sms', externalId: 'live-p', from: { address: '+8613800138002' }, text: '快递一直没送到' });
      await gw.settle();
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      const { token: li } = await gw.gateway.tokens.create('li.lei', 'agent');
      const { token: han } = await gw.gateway.tokens.create('han.mei', 'lead');
      stream = await openStream();
      const presenceOf = () => stream!.events('ticket.presence').map((e) => e.data);

      const first = await gw.api('POST', `/api/v1/tickets/${ticket.number}/presence`, { state: 'viewing' }, li);
      expect(first.status).to.equal(200);
      expect(first.body.people.map((p: { name: string; state: string }) => `${p.name}:${p.state}`)).to.deep.equal(['li.lei:viewing']);
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/presence`, { state: 'typing' }, han);
      await stream.waitFor((m) => m.event === 'ticket.presence' && m.data!.includes('"typing"'));
      expect(presenceOf().at(-1)).to.deep.include({ type: 'ticket.presence', id: ticket.id });
      expect(
        presenceOf()
          .at(-1)
          .people.map((p: { name: string; state: string }) => `${p.name}:${p.state}`),
      ).to.deep.equal(['li.lei:viewing', 'han.mei:typing']);

      const before = stream.messages.length;
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/presence`, { state: 'left' }, han);
      const left = await stream.waitFor((m) => stream!.messages.indexOf(m) >= before && m.event === 'ticket.presence');
      expect(JSON.parse(left.data!).people.map((p: { name: string }) => p.name)).to.deep.equal(['li.lei']);

      const { token: fin } = await gw.gateway.tokens.create('fin', 'finance');
      expect((await gw.api('POST', `/api/v1/tickets/${ticket.id}/presence`, { state: 'viewing' }, fin)).status).to.equal(200);
      expect((await gw.api('POST', `/api/v1/tickets/${ticket.id}/presence`, { state: 'typing' }, fin)).status).to.equal(403);
      expect((await gw.api('POST', '/api/v1/tickets/999999/presence', { state: 'viewing' }, li)).status).to.equal(404);
      const bad = await gw.api('POST', `/api/v1/tickets/${ticket.id}/presence`, { state: 'sleeping' }, li);
      expect(bad.status).to.equal(400);
      expect(bad.body.error.message).to.match(/state/);
    });
  });
}
