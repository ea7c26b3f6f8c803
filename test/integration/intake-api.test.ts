import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

for (const db of TEST_DATABASES) {
  describe(`intake and queue API on ${db}`, function () {
    let gw: TestGateway;
    let sms: FakeAdapter;
    let email: FakeAdapter;

    beforeEach(async function () {
      sms = new FakeAdapter('sms');
      email = new FakeAdapter('email');
      gw = await startTestGateway({ db, adapters: [sms, email] });
    });

    afterEach(async function () {
      await gw?.stop();
    });

    const complaint = (externalId: string, extra: Record<string, unknown> = {}) => ({
      channel: 'sms',
      externalId,
      from: { address: '+8613800138000', name: '王芳' },
      text: '我买的电水壶用了两天就不加热了，要求退货。',
      ...extra,
    });

    it('turns the same message posted three times at once into one ticket with one message', async function () {
      const responses = await Promise.all([1, 2, 3].map(() => gw.api('POST', '/api/v1/messages', complaint('SM-dup-1'))));
      expect(responses.map((r) => r.status)).to.deep.equal([202, 202, 202]);
      expect(new Set(responses.map((r) => r.body.id)).size, 'all three name the same journal entry').to.equal(1);
      expect(responses.filter((r) => r.body.duplicate === false)).to.have.length(1);

      await gw.settle();
      const list = await gw.api('GET', '/api/v1/tickets');
      expect(list.body.items).to.have.length(1);
      expect(list.body.items[0].messageCount).to.equal(1);
      const detail = await gw.api('GET', `/api/v1/tickets/${list.body.items[0].id}`);
      expect(detail.body.messages.filter((m: any) => m.direction === 'in')).to.have.length(1);
    });

    it('treats a redelivery after processing as a no-op', async function () {
      const first = await gw.api('POST', '/api/v1/messages', complaint('SM-late-dup'));
      await gw.settle();
      const again = await gw.api('POST', '/api/v1/messages', complaint('SM-late-dup'));
      expect(again.status).to.equal(202);
      expect(again.body).to.deep.equal({ id: first.body.id, duplicate: true });
      await gw.settle();
      const list = await gw.api('GET', '/api/v1/tickets');
      expect(list.body.items).to.have.length(1);
      expect(list.body.items[0].messageCount).to.equal(1);
    });

    it('answers a missing token with 401, a wrong role with 403, a bad body with 400 and an unknown route with 404', async function () {
      const noToken = await gw.api('POST', '/api/v1/messages', complaint('x1'), '');
      expect(noToken.status).to.equal(401);
      expect(noToken.body.error).to.include({ code: 'unauthorized' });
      expect(noToken.body.error.message).to.match(/Bearer/);

      const badToken = await gw.api('GET', '/api/v1/tickets', undefined, 'not-a-token');
      expect(badToken.status).to.equal(401);

      const agent = await gw.api('POST', '/api/v1/tokens', { name: 'alice', role: 'agent' });
      expect(agent.status).to.equal(201);
      const forbidden = await gw.api('POST', '/api/v1/messages', complaint('x2'), agent.body.token);
      expect(forbidden.status).to.equal(403);
      expect(forbidden.body.error.code).to.equal('forbidden');
      // …but the agent can read the queue.
      expect((await gw.api('GET', '/api/v1/tickets', undefined, agent.body.token)).status).to.equal(200);

      const malformed = await gw.api('POST', '/api/v1/messages', '{"channel": "sms", ');
      expect(malformed.status).to.equal(400);
      expect(malformed.body.error.code).to.equal('bad_request');
      expect(malformed.body.error.message).to.match(/malformed JSON/);

      const missingField = await gw.api('POST', '/api/v1/messages', { externalId: 'x3', text: 'hello' });
      expect(missingField.status).to.equal(400);
      expect(missingField.body.error.message).to.match(/from/);

      const badChannel = await gw.api('POST', '/api/v1/messages', complaint('x4', { channel: 'fax' }));
      expect(badChannel.status).to.equal(400);
      expect(badChannel.body.error.message).to.match(/channel/);

      const unknown = await gw.api('GET', '/api/v1/nothing-here');
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('not_found');

      const huge = await gw.api('POST', '/api/v1/messages', complaint('x5', { text: 'a'.repeat(1_100_000) }));
      expect(huge.status).to.equal(413);
      expect(huge.body.error.code).to.equal('payload_too_large');

      await gw.settle();
      expect((await gw.api('GET', '/api/v1/tickets')).body.items, 'no rejected request created a ticket').to.have.length(0);
    });

    it('acknowledges a new ticket on the customer channel with the ticket number', async function () {
      await gw.api('POST', '/api/v1/messages', complaint('SM-ack'));
      const [ack] = await sms.waitForSent(1);
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      expect(ticket.number).to.match(/^C-\d{8}-\d{4}$/);
      expect(ack!.to).to.equal('+8613800138000');
      expect(ack!.text).to.include(ticket.number);
      expect(ack!.text).to.match(/工单号/); // Chinese complaint, Chinese acknowledgement
    });

    it('shows messages from different channels on one timeline when the customer quotes the ticket number', async function () {
      await gw.api('POST', '/api/v1/messages', complaint('SM-tl-1'));
      await gw.settle();
      const number = (await gw.api('GET', '/api/v1/tickets')).body.items[0].number;
      await email.receive({
        externalId: '<m1@mail.example>',
        from: { address: 'Wang.Fang@Example.com' },
        subject: `Re: ${number}`,
        text: 'Any news on my kettle? I also sent an SMS.',
      });
      await gw.settle();

      const list = await gw.api('GET', '/api/v1/tickets');
      expect(list.body.items).to.have.length(1);
      const detail = await gw.api('GET', `/api/v1/tickets/${number}`);
      const inbound = detail.body.messages.filter((m: any) => m.direction === 'in');
      expect(inbound.map((m: any) => m.channel)).to.deep.equal(['sms', 'email']);
      expect(detail.body.channels).to.have.members(['sms', 'email']);
      expect(detail.body.messageCount).to.equal(2);
      expect(detail.body.events.map((e: any) => e.type)).to.include('message_attached');
    });

    it('sends an agent reply through the channel the customer last used and records it', async function () {
      await gw.api('POST', '/api/v1/messages', complaint('SM-reply'));
      await sms.waitForSent(1); // the acknowledgement
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      const agent = (await gw.api('POST', '/api/v1/tokens', { name: 'li.lei', role: 'agent' })).body.token;

      const reply = await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '您好，我们已安排换货，请留意快递。' }, agent);
      expect(reply.status).to.equal(202);
      const sent = await sms.waitForSent(2);
      expect(sent[1]).to.include({ channel: 'sms', to: '+8613800138000', text: '您好，我们已安排换货，请留意快递。', ticketNumber: ticket.number });

      await gw.settle();
      const detail = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
      expect(detail.status).to.equal('open');
      expect(detail.firstRespondedAt).to.be.a('string');
      const out = detail.messages.find((m: any) => m.author === 'agent');
      expect(out).to.include({ direction: 'out', channel: 'sms', deliveryStatus: 'sent' });
      const replied = detail.events.find((e: any) => e.type === 'replied');
      expect(replied.actor).to.equal('agent:li.lei');
    });

    it('records each field change as an event and refuses impossible status changes', async function () {
      await gw.api('POST', '/api/v1/messages', complaint('SM-patch'));
      await gw.settle();
      const { id, queue: routedQueue } = (await gw.api('GET', '/api/v1/tickets')).body.items[0];

      // Tickets are assigned only to known agents: li.lei is a console user.
      await gw.gateway.users.create({ username: 'li.lei', displayName: 'Li Lei', role: 'agent', passwordHash: 'unused' });
      const patched = await gw.api('PATCH', `/api/v1/tickets/${id}`, { status: 'open', assignee: 'li.lei', queue: 'logistics', priority: 'high' });
      expect(patched.status).to.equal(200);
      expect(patched.body).to.include({ status: 'open', assignee: 'li.lei', queue: 'logistics', priority: 'high' });

      const resolved = await gw.api('PATCH', `/api/v1/tickets/${id}`, { status: 'resolved' });
      expect(resolved.body.status).to.equal('resolved');
      const bad = await gw.api('PATCH', `/api/v1/tickets/${id}`, { status: 'pending_customer' });
      expect(bad.status).to.equal(409);
      expect(bad.body.error.message).to.match(/resolved ticket cannot become pending_customer/);
      const unknownField = await gw.api('PATCH', `/api/v1/tickets/${id}`, { colour: 'red' });
      expect(unknownField.status).to.equal(400);

      const events = (await gw.api('GET', `/api/v1/tickets/${id}`)).body.events;
      const queueEvent = events.find((e: any) => e.type === 'queue_changed');
      expect(queueEvent.before).to.deep.equal({ queue: routedQueue });
      expect(queueEvent.after).to.deep.equal({ queue: 'logistics' });
      expect(queueEvent.actor).to.equal('agent:admin');
      expect(events.filter((e: any) => e.type === 'status_changed').map((e: any) => e.after.status)).to.deep.equal(['open', 'resolved']);
    });

    it('filters, searches and pages the queue', async function () {
      for (let i = 0; i < 5; i++) {
        await gw.api('POST', '/api/v1/messages', {
          channel: 'sms',
          externalId: `SM-list-${i}`,
          from: { address: `+861390000000${i}` },
          text: `parcel number ${i} is late`,
        });
      }
      await email.receive({ from: { address: 'someone@example.com' }, subject: 'Broken screen', text: 'The screen of my new phone cracked by itself.' });
      await gw.settle();

      const emailOnly = await gw.api('GET', '/api/v1/tickets?channel=email');
      expect(emailOnly.body.items.map((t: any) => t.subject)).to.deep.equal(['Broken screen']);
      const search = await gw.api('GET', '/api/v1/tickets?q=CRACKED');
      expect(search.body.items).to.have.length(1);
      expect((await gw.api('GET', '/api/v1/tickets?status=closed')).body.items).to.have.length(0);

      const page1 = await gw.api('GET', '/api/v1/tickets?limit=4');
      expect(page1.body.items).to.have.length(4);
      const page2 = await gw.api('GET', `/api/v1/tickets?limit=4&cursor=${page1.body.nextCursor}`);
      expect(page2.body.items).to.have.length(2);
      expect(page2.body.nextCursor).to.equal(null);
      const all = [...page1.body.items, ...page2.body.items].map((t: any) => t.id);
      expect(new Set(all).size).to.equal(6);

      const badFilter = await gw.api('GET', '/api/v1/tickets?severity=9');
      expect(badFilter.status).to.equal(400);
    });

    it('retries a transient delivery failure and records a permanent one on the ticket', async function () {
      gw.gateway['config'].gateway.outbox.backoffSeconds = [0];
      sms.failNext('transient');
      await gw.api('POST', '/api/v1/messages', complaint('SM-retry'));
      await sms.waitForSent(1);
      await gw.settle();
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      let detail = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
      expect(detail.messages.find((m: any) => m.direction === 'out').deliveryStatus).to.equal('sent');

      sms.failNext('permanent');
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: 'We are on it.' });
      await gw.settle();
      detail = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
      const failed = detail.events.find((e: any) => e.type === 'delivery_failed');
      expect(failed.after).to.include({ permanent: true, code: 'fake_refused', channel: 'sms' });
      expect(detail.messages.find((m: any) => m.text === 'We are on it.').deliveryStatus).to.equal('failed');
      expect(sms.sent).to.have.length(1);
    });

    it('reports readiness from the database and every adapter', async function () {
      expect((await gw.api('GET', '/readyz')).status).to.equal(200);
      email.setHealth({ status: 'down', detail: 'IMAP login failed' });
      const down = await gw.api('GET', '/readyz');
      expect(down.status).to.equal(503);
      expect(down.body.checks['adapter:email']).to.deep.equal({ status: 'down', detail: 'IMAP login failed' });
      // Without a token: up or down, nothing about hosts, mailboxes or the database.
      const anonymous = await gw.api('GET', '/readyz', undefined, '');
      expect(anonymous.status).to.equal(503);
      expect(anonymous.body).to.deep.equal({ status: 'down' });
      expect((await gw.api('GET', '/healthz')).status).to.equal(200);
    });

    it('exposes intake and ticket metrics for Prometheus', async function () {
      await gw.api('POST', '/api/v1/messages', complaint('SM-metrics'));
      await gw.api('POST', '/api/v1/messages', complaint('SM-metrics'));
      await gw.settle();
      const res = await fetch(`${gw.url}/metrics`);
      const text = await res.text();
      expect(text).to.match(/gateway_messages_received_total\{channel="sms"\} 1\b/);
      expect(text).to.match(/gateway_messages_duplicate_total\{channel="sms"\} 1\b/);
      expect(text).to.match(/gateway_tickets\{status="new"\} 1\b/);
      expect(text).to.match(/gateway_journal_pending 0\b/);
      expect(text).to.match(/gateway_pipeline_latency_seconds_count 1\b/);
    });
  });
}
