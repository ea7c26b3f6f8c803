import { expect } from 'chai';
import { SessionSigner } from '../../../adapters/webchat/session-token.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';
import { WidgetClient } from './widget-client.js';

for (const db of TEST_DATABASES) {
  describe(`web chat widget socket on ${db}`, function () {
    let gw: TestGateway;
    const clients: WidgetClient[] = [];
    const open = async (headers?: Record<string, string>) => {
      const c = await WidgetClient.open(gw.url, headers);
      clients.push(c);
      return c;
    };

    beforeEach(async function () {
      gw = await startTestGateway({ db });
    });

    afterEach(async function () {
      for (const c of clients.splice(0)) c.close();
      await gw?.stop();
    });

    async function ticketOf(number: string) {
      const list = await gw.api('GET', `/api/v1/tickets?q=${number}`);
      expect(list.body.items, `ticket ${number}`).to.have.length(1);
      return (await gw.api('GET', `/api/v1/tickets/${list.body.items[0].id}`)).body;
    }

    it('turns a visitor message into a ticket, shows the acknowledgement with the ticket number, then the agent reply live', async function () {
      const visitor = await open();
      const { token, history } = await visitor.hello();
      expect(token).to.match(/^[\w-]+\.[\w-]+$/);
      expect(history.entries).to.deep.equal([]);

      visitor.send({
        type: 'message',
        clientId: 'c-0000000001',
        text: 'The kettle I bought stopped heating after two days.',
        profile: { name: 'Li Na', contact: '138 0013 8000', order: 'SO-20261124-77' },
      });
      await visitor.next((e) => e.type === 'accepted' && e.clientId === 'c-0000000001');
      await visitor.next((e) => e.type === 'typing' && e.on === true);
      const ack = await visitor.next((e) => e.type === 'message' && e.role === 'system');
      expect(ack.ticketNumber).to.match(/^C-\d{8}-\d{4}$/);
      expect(ack.text).to.include(ack.ticketNumber);

      const ticket = await ticketOf(ack.ticketNumber);
      expect(ticket.channels).to.deep.equal(['webchat']);
      expect(ticket.customer.name).to.equal('Li Na');
      const [inbound] = await gw.gateway.db('messages').where({ ticket_id: ticket.id, direction: 'in' });
      const meta = JSON.parse(inbound.meta);
      expect(meta).to.include({ via: 'widget', orderNumber: 'SO-20261124-77' });
      expect(meta.contact).to.deep.equal({ phone: '+8613800138000' });
      expect(inbound.from_address).to.match(/^visitor:/);

      const reply = await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: 'Sorry about that, Li Na. A replacement kettle ships today.' });
      expect(reply.status).to.equal(202);
      const agent = await visitor.next((e) => e.type === 'message' && e.role === 'agent');
      expect(agent.text).to.equal('Sorry about that, Li Na. A replacement kettle ships today.');
      expect(agent.ticketNumber).to.equal(ack.ticketNumber);
    });

    it('resumes the conversation with the stored token after a reload: history, ticket number and status link; follow-ups join the same ticket', async function () {
      const first = await open();
      const { token } = await first.hello();
      first.send({ type: 'message', clientId: 'c-0000000002', text: '收到的耳机左边没有声音，订单号 88812，请帮我处理一下。' });
      const ack = await first.next((e) => e.type === 'message' && e.role === 'system');
      await gw.settle();
      first.close();

      // The agent answers while the visitor is away: the reply is kept and shown on return.
      const ticket = await ticketOf(ack.ticketNumber);
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '已为您催促快递公司，今天会更新。' });
      await gw.settle();

      const again = await open();
      const resumed = await again.hello(token, 'zh');
      expect(resumed.history.ticketNumber).to.equal(ack.ticketNumber);
      expect(resumed.history.statusToken).to.be.a('string');
      const entries = resumed.history.entries.map((e: any) => [e.role, e.text]);
      // Out of business hours the routing rules may add a bot auto-reply; the rest is exact.
      expect(entries.filter(([role]: string[]) => role !== 'bot')).to.deep.equal([
        ['visitor', '收到的耳机左边没有声音，订单号 88812，请帮我处理一下。'],
        ['system', ack.text],
        ['agent', '已为您催促快递公司，今天会更新。'],
      ]);

      again.send({ type: 'message', clientId: 'c-0000000003', text: '谢谢，收到了。' });
      await again.next((e) => e.type === 'accepted');
      await gw.settle();
      const after = await ticketOf(ack.ticketNumber);
      expect(after.messages.filter((m: any) => m.direction === 'in')).to.have.length(2);

      const status = await fetch(`${gw.url}/t/${resumed.history.statusToken}`);
      expect(status.status).to.equal(200);
      expect(await status.text())
        .to.include(ack.ticketNumber)
        .and.include('已为您催促快递公司');
    });

    it('never shows one visitor another visitor’s conversation: new, forged and foreign-signed tokens all start empty', async function () {
      const alice = await open();
      const { token } = await alice.hello();
      alice.send({ type: 'message', clientId: 'c-0000000004', text: 'My card was charged twice for order 4411, account alice@example.com' });
      await alice.next((e) => e.type === 'message' && e.role === 'system');

      const bob = await open();
      expect((await bob.hello()).history.entries).to.deep.equal([]);

      const [body, mac] = token.split('.');
      const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
      const forgedBody = Buffer.from(JSON.stringify({ ...claims, v: 'someone-else-000000' })).toString('base64url');
      const mallory = await open();
      const forged = await mallory.hello(`${forgedBody}.${mac}`);
      expect(forged.history.entries, 'altered claims with the old signature').to.deep.equal([]);
      expect(forged.token).to.not.equal(token);

      const otherSecret = new SessionSigner('x'.repeat(40), 86_400_000).issue({ visitorId: claims.v, conversationId: claims.c });
      const eve = await open();
      expect((await eve.hello(otherSecret)).history.entries, 'signed with another secret').to.deep.equal([]);

      // Bob's messages and replies never reach Alice's socket.
      const aliceSeen = alice.events.length;
      bob.send({ type: 'message', clientId: 'c-0000000005', text: 'The parcel arrived with the box crushed and a cup broken.' });
      await bob.next((e) => e.type === 'message' && e.role === 'system');
      await gw.settle();
      expect(alice.events.slice(aliceSeen).filter((e) => e.type === 'message')).to.deep.equal([]);
    });

    it('makes a resent message (same clientId after a reconnect) one journal entry', async function () {
      const c = await open();
      const { token } = await c.hello();
      c.send({ type: 'message', clientId: 'c-0000000006', text: 'The screen arrived cracked.' });
      await c.next((e) => e.type === 'accepted');
      c.close();
      const again = await open();
      await again.hello(token);
      again.send({ type: 'message', clientId: 'c-0000000006', text: 'The screen arrived cracked.' });
      await again.next((e) => e.type === 'accepted');
      await gw.settle();
      const rows = await gw.gateway.db('messages').where({ channel: 'webchat', direction: 'in' });
      expect(rows).to.have.length(1);
    });

    it('rejects empty and oversized messages and a message before hello, with the clientId so the widget can mark it', async function () {
      const c = await open();
      c.send({ type: 'message', clientId: 'c-0000000007', text: 'hello' });
      expect(await c.next((e) => e.type === 'error')).to.include({ code: 'no_session', clientId: 'c-0000000007' });
      await c.hello();
      c.send({ type: 'message', clientId: 'c-0000000008', text: '   ' });
      expect(await c.next((e) => e.type === 'error' && e.clientId === 'c-0000000008')).to.include({ code: 'invalid' });
      c.send({ type: 'message', clientId: 'c-0000000009', text: 'x'.repeat(4001) });
      expect(await c.next((e) => e.type === 'error' && e.clientId === 'c-0000000009')).to.include({ code: 'invalid' });
      c.send('not json');
      expect(await c.next((e) => e.type === 'error' && e.message === 'not JSON')).to.include({ code: 'invalid' });
      await gw.settle();
      expect(await gw.gateway.db('messages').where({ channel: 'webchat' })).to.have.length(0);
    });
  });
}

describe('web chat widget socket: allowed origins', function () {
  let gw: TestGateway;
  afterEach(async () => gw?.stop());

  it('refuses the socket to a site that is not in WEBCHAT_ALLOWED_ORIGINS and accepts a listed one', async function () {
    gw = await startTestGateway({ db: 'sqlite', env: { WEBCHAT_ALLOWED_ORIGINS: 'https://shop.example.com' } });
    let refused: Error | undefined;
    await WidgetClient.open(gw.url, { origin: 'https://evil.example.net' }).catch((err) => (refused = err));
    expect(refused?.message).to.match(/403/);
    const ok = await WidgetClient.open(gw.url, { origin: 'https://shop.example.com' });
    expect((await ok.hello()).token).to.be.a('string');
    ok.close();
  });
});

describe('web chat widget socket: hostile frames', function () {
  let gw: TestGateway;
  const clients: WidgetClient[] = [];
  beforeEach(async () => (gw = await startTestGateway({ db: 'sqlite' })));
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await gw?.stop();
  });
  const open = async () => {
    const c = await WidgetClient.open(gw.url);
    clients.push(c);
    return c;
  };

  it('answers JSON that is not an object (null, a number, a string, an array) with an error and keeps serving', async function () {
    const c = await open();
    for (const frame of ['null', '42', '"hello"', '[]', 'true', '{"type":null}']) {
      const before = c.events.length;
      c.send(frame);
      expect(await c.next((e) => e.type === 'error', 5_000, before), frame).to.include({ code: 'invalid' });
    }
    // The same socket and the gateway still work.
    await c.hello();
    c.send({ type: 'message', clientId: 'c-hostile-01', text: 'The parcel never arrived.' });
    await c.next((e) => e.type === 'accepted' && e.clientId === 'c-hostile-01');
    expect((await gw.api('GET', '/healthz')).status).to.equal(200);
  });

  it('keeps counting a visitor’s messages across reconnects: closing the socket does not reset the rate limit', async function () {
    let c = await open();
    const { token } = await c.hello();
    const sendOne = async (client: WidgetClient, i: number) => {
      const clientId = `c-rate-${String(i).padStart(4, '0')}`;
      client.send({ type: 'message', clientId, text: `message number ${i}` });
      return client.next((e) => (e.type === 'accepted' || e.type === 'error') && e.clientId === clientId);
    };
    for (let i = 0; i < 20; i++) {
      if (i % 5 === 4) {
        c.close();
        c = await open();
        await c.hello(token);
      }
      expect(await sendOne(c, i)).to.include({ type: 'accepted' });
    }
    c.close();
    c = await open();
    await c.hello(token);
    expect(await sendOne(c, 20)).to.include({ type: 'error', code: 'rate_limited' });
  });
});
