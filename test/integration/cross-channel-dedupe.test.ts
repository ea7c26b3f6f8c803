import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { OUTAGE_REPORTS } from '../support/outage-reports.js';

for (const db of TEST_DATABASES) {
  describe(`one customer, one problem, one ticket on ${db}`, function () {
    let gw: TestGateway;
    const adapters = { email: new FakeAdapter('email'), sms: new FakeAdapter('sms'), webchat: new FakeAdapter('webchat') };

    beforeEach(async function () {
      gw = await startTestGateway({ db, adapters: Object.values(adapters) });
    });
    afterEach(async function () {
      await gw?.stop();
    });

    const tickets = async () => (await gw.api('GET', '/api/v1/tickets?limit=200')).body.items as any[];
    const detail = async (id: number) => (await gw.api('GET', `/api/v1/tickets/${id}`)).body;

    it('merges an e-mail, an SMS and a chat naming one order number into one ticket, and keeps another problem apart', async function () {
      await adapters.email.receive({
        from: { address: 'li.na@example.com', name: 'Li Na' },
        subject: 'Order DD20261124001 not delivered',
        text: 'My order DD20261124001 was due on Monday and has still not arrived.',
      });
      await gw.settle();
      await adapters.sms.receive({ from: { address: '+8613912345678' }, text: '订单DD20261124001到现在还没送到，怎么回事？' });
      await gw.settle();
      await adapters.webchat.receive({
        from: { address: 'visitor-7f3a' },
        threadKey: 'conv-1',
        text: 'Hi, still waiting for DD20261124001, I already emailed and texted you.',
      });
      await gw.settle();

      let list = await tickets();
      expect(list).to.have.length(1);
      const one = await detail(list[0].id);
      expect(one.messages.filter((m: any) => m.direction === 'in').map((m: any) => m.channel)).to.deep.equal(['email', 'sms', 'webchat']);
      expect(one.messageCount).to.equal(3);
      expect(one.customer.identities.map((i: any) => `${i.kind}:${i.value}`)).to.include.members([
        'email:li.na@example.com',
        'phone:+8613912345678',
        'webchat:visitor-7f3a',
        'order:DD20261124001',
      ]);
      expect(one.events.filter((e: any) => e.type === 'message_attached').map((e: any) => e.after.reason)).to.satisfy((r: string[]) =>
        r.every((x) => /order number DD20261124001/.test(x)),
      );

      // Another problem from the same person: a new ticket for the same customer.
      await adapters.email.receive({
        from: { address: 'li.na@example.com' },
        subject: 'Wrong invoice title',
        text: 'The invoice you issued has the wrong company name on it, please reissue it.',
      });
      await gw.settle();
      list = await tickets();
      expect(list).to.have.length(2);
      expect(new Set(list.map((t) => t.customerId)).size).to.equal(1);

      // Someone quoting the ticket number from an unknown address joins that ticket.
      await adapters.email.receive({
        from: { address: 'assistant@li-family.example' },
        subject: `About ${one.number}`,
        text: 'Writing for my mother about this complaint.',
      });
      await gw.settle();
      expect(await tickets()).to.have.length(2);
      const again = await detail(one.id);
      expect(again.messageCount).to.equal(4);
      // …but agent replies still go to the customer, not to the unverified sender.
      const reply = await gw.api('POST', `/api/v1/tickets/${one.id}/replies`, { text: 'Your parcel arrives tomorrow.' });
      expect(reply.body.to).to.equal('visitor-7f3a');
      expect(again.events.map((e: any) => e.type)).to.include('unverified_sender');
    });

    it('counts follow-ups that share one pipeline transaction on each of their tickets', async function () {
      // Workers off: the follow-ups below are processed by one drain, in one transaction.
      await gw.stop();
      gw = await startTestGateway({ db, adapters: Object.values(adapters), workers: false });
      const post = (externalId: string, channel: string, address: string, text: string, receivedAt: string) =>
        gw.api('POST', '/api/v1/messages', { channel, externalId, from: { address }, text, receivedAt });
      await post('a1', 'email', 'li.na@example.com', 'My order DD20261124001 was due on Monday and has still not arrived.', '2026-11-24T08:00:00Z');
      await post('b1', 'email', 'chen@example.com', 'The kettle I bought leaks water from the bottom as soon as I fill it.', '2026-11-24T08:01:00Z');
      expect(await gw.gateway.pipeline.drain()).to.equal(2);

      await post('a2', 'sms', '+8613912345678', '订单DD20261124001到现在还没送到，怎么回事？', '2026-11-24T09:00:00Z');
      await post('b2', 'email', 'chen@example.com', 'The kettle still leaks water from the bottom, it is not safe.', '2026-11-24T09:01:00Z');
      await post('a3', 'webchat', 'visitor-7f3a', 'Still waiting for DD20261124001.', '2026-11-24T09:02:00Z');
      expect(await gw.gateway.pipeline.drain()).to.equal(3);

      const list = (await tickets()).sort((x, y) => x.id - y.id);
      expect(list).to.have.length(2);
      const [a, b] = list;
      expect(a).to.include({ messageCount: 3, lastMessageAt: '2026-11-24T09:02:00.000Z' });
      expect(a.channels).to.deep.equal(['email', 'sms', 'webchat']);
      expect(b).to.include({ messageCount: 2, lastMessageAt: '2026-11-24T09:01:00.000Z' });
      expect(b.channels).to.deep.equal(['email']);
      expect((await detail(a.id)).messages.filter((m: any) => m.direction === 'in')).to.have.length(3);
    });

    it('sees what earlier messages of the same transaction wrote: a new customer, a new ticket, a reopened one', async function () {
      await gw.stop();
      gw = await startTestGateway({ db, adapters: Object.values(adapters), workers: false });
      const post = (externalId: string, address: string, text: string) =>
        gw.api('POST', '/api/v1/messages', { channel: 'email', externalId, from: { address }, text });
      await post('a1', 'chen@example.com', 'The kettle I bought leaks water from the bottom as soon as I fill it.');
      expect(await gw.gateway.pipeline.drain()).to.equal(1);
      const [kettle] = await tickets();
      expect((await gw.api('PATCH', `/api/v1/tickets/${kettle.id}`, { status: 'resolved' })).status).to.equal(200);

      // One drain, one transaction: each message must see what the ones before it wrote.
      await post('n1', 'new.customer@example.com', 'The blender motor smells burnt and stops after ten seconds.');
      await post('n2', 'new.customer@example.com', 'The blender motor still smells burnt and stops after ten seconds.');
      await post('a3', 'chen@example.com', 'The invoice has the wrong company name on it, please reissue the invoice.');
      await post('a4', 'chen@example.com', 'The invoice still has the wrong company name, please reissue the invoice.');
      await post('a2', 'chen@example.com', 'The kettle still leaks water from the bottom when I fill it.');
      expect(await gw.gateway.pipeline.drain()).to.equal(5);

      const list = (await tickets()).sort((x, y) => x.id - y.id);
      expect(list.map((t) => t.messageCount)).to.deep.equal([2, 2, 2]);
      expect(list[0].status).to.equal('reopened');
      expect(list[2].customerId).to.equal(list[0].customerId);
      expect(list[1].customerId).to.not.equal(list[0].customerId);
    });

    it('joins a similar follow-up from the same customer without an order number, and lets an agent undo a merge', async function () {
      await adapters.sms.receive({ from: { address: '+8613800001111' }, text: '我买的电饭煲用了三天就坏了，按键完全没反应。' });
      await gw.settle();
      await adapters.sms.receive({ from: { address: '+8613800001111' }, text: '电饭煲的按键还是没反应，坏了，请尽快处理。' });
      await gw.settle();
      let list = await tickets();
      expect(list).to.have.length(1);
      expect(list[0].messageCount).to.equal(2);

      // A different customer is linked by an agent, then unlinked.
      await adapters.email.receive({ from: { address: 'someone.else@example.com' }, text: 'Where is my refund for the blender?' });
      await gw.settle();
      list = await tickets();
      const [a, b] = [list[0].customerId, list[1].customerId];
      const merged = await gw.api('POST', '/api/v1/customers/merge', { customerIds: [a, b], reason: 'same household account' });
      expect(merged.status).to.equal(201);
      expect(new Set((await tickets()).map((t) => t.customerId)).size).to.equal(1);
      const undo = await gw.api('POST', `/api/v1/customers/merges/${merged.body.mergeId}/undo`);
      expect(undo.status).to.equal(200);
      expect(new Set((await tickets()).map((t) => t.customerId))).to.deep.equal(new Set([a, b]));
      const customer = (await gw.api('GET', `/api/v1/customers/${Math.max(a, b)}`)).body;
      expect(customer.merges[0].undoneAt).to.be.a('string');
      expect((await gw.api('POST', `/api/v1/customers/merges/${merged.body.mergeId}/undo`)).status).to.equal(404);
    });

    it('undoes a merge made from evidence in a message', async function () {
      await adapters.email.receive({ from: { address: 'wei@example.com' }, text: 'Order DD20261124777 arrived broken.' });
      await gw.settle();
      await adapters.sms.receive({ from: { address: '+8613700002222' }, text: 'DD20261124777 的包裹破损了' });
      await gw.settle();
      const [t] = await tickets();
      const customer = (await gw.api('GET', `/api/v1/customers/${t.customerId}`)).body;
      const merge = customer.merges.find((m: any) => m.reason.includes('DD20261124777'));
      expect(merge).to.not.equal(undefined);
      const undo = await gw.api('POST', `/api/v1/customers/merges/${merge.id}/undo`);
      expect(undo.status).to.equal(200);
      const restored = (await gw.api('GET', `/api/v1/customers/${merge.sourceId}`)).body;
      expect(restored.identities.map((i: any) => i.value)).to.include('+8613700002222');
    });
  });

  describe(`surges become incidents on ${db}`, function () {
    let gw: TestGateway;
    const sms = new FakeAdapter('sms');
    before(async function () {
      gw = await startTestGateway({ db, adapters: [sms] });
    });
    after(async function () {
      await gw?.stop();
    });

    it('links twelve customers reporting one outage in different words into one incident, and leaves unrelated complaints out', async function () {
      const unrelated = ['My parcel is two weeks late.', '发票抬头开错了，请重新开。', 'The blender I received is missing its lid.'];
      let i = 0;
      for (const text of [...OUTAGE_REPORTS.slice(0, 6), ...unrelated, ...OUTAGE_REPORTS.slice(6)]) {
        await gw.api('POST', '/api/v1/messages', {
          channel: 'sms',
          externalId: `surge-${i}`,
          from: { address: `+86139000${String(10000 + i++).slice(1)}` },
          text,
        });
      }
      await gw.settle(30_000);

      const incidents = (await gw.api('GET', '/api/v1/incidents')).body.items;
      expect(incidents).to.have.length(1);
      const incident = incidents[0];
      expect(incident).to.include.keys('id', 'title', 'category', 'severity', 'ticketCount', 'firstSeenAt', 'lastSeenAt', 'status');
      expect(incident.status).to.equal('open');
      expect(incident.ticketCount).to.equal(12);
      const detail = (await gw.api('GET', `/api/v1/incidents/${incident.id}`)).body;
      expect(detail.tickets).to.have.length(12);
      expect(detail.tickets.every((t: any) => t.queue === 'crisis' && t.severity === 1)).to.equal(true);
      const all = (await gw.api('GET', '/api/v1/tickets?limit=100')).body.items;
      const outsiders = all.filter((t: any) => t.incidentId === null);
      expect(outsiders).to.have.length(3);

      // Resolving the incident tells every customer on their own channel.
      const before = sms.sent.length;
      const resolved = await gw.api('POST', `/api/v1/incidents/${incident.id}/resolve`, { notifyCustomers: true });
      expect(resolved.status).to.equal(200);
      expect(resolved.body).to.include({ status: 'resolved', notified: 12 });
      await sms.waitForSent(before + 12);
      const notices = sms.sent.slice(before);
      expect(new Set(notices.map((n) => n.to)).size).to.equal(12);
      expect(notices.every((n) => n.text.includes(n.ticketNumber))).to.equal(true);
    });
  });
}
