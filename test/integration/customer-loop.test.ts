import { expect } from 'chai';
import path from 'node:path';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { loadConfig, type GatewayConfig } from '../../config/loader.js';
import { ManualClock } from '../../contracts/clock.js';
import { Gateway } from '../../gateway/compose.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { WidgetClient } from './webchat/widget-client.js';

for (const db of TEST_DATABASES) {
  describe(`the customer's loop (progress messages, satisfaction) on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let sms: FakeAdapter;
    let phone = 0;

    async function start(tweak: (c: GatewayConfig) => void = () => undefined) {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({
        db,
        adapters: [sms],
        env: { PUBLIC_BASE_URL: 'https://support.example.com' },
        tweak: (c) => {
          // The wall clock must not decide these tests: quiet hours have a test of their own.
          c.gateway.customerUpdates.quietHours = null;
          tweak(c);
        },
      });
    }
    afterEach(async function () {
      await gw?.stop();
    });

    /** A gateway with its workers off (no quiet hours): the loop, the pipeline and the outbox run when the test says. */
    async function startStill(tweak: (c: GatewayConfig) => void = () => undefined) {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({
        db,
        adapters: [sms],
        workers: false,
        env: { PUBLIC_BASE_URL: 'https://support.example.com' },
        tweak: (c) => {
          c.gateway.customerUpdates.quietHours = null;
          tweak(c);
        },
      });
    }
    /** With the workers off: one complaint by SMS from `address`, drained; returns its ticket's id. */
    async function stillComplaint(address: string): Promise<number> {
      await sms.receive({ from: { address }, text: '我买的电水壶用了两天就漏水了，要求换货。' });
      await gw.gateway.pipeline.drain();
      const row = await gw.gateway.db('messages').where({ from_address: address, direction: 'in' }).first('ticket_id');
      return Number(row.ticket_id);
    }

    /** A complaint by SMS from a new number; returns the ticket and the customer's address. */
    async function complaint(text = '我买的电水壶用了两天就漏水了，要求换货。'): Promise<{ id: number; number: string; address: string }> {
      const address = `+861380013${String(++phone).padStart(4, '0')}`;
      const { id } = await sms.receive({ from: { address }, text });
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${id}`);
      return { id: m.body.ticket.id, number: m.body.ticket.number, address };
    }
    const sentTo = (address: string) => sms.sent.filter((s) => s.to === address).map((s) => s.text);
    const patch = async (id: number, body: object, settle = true) => {
      const res = await gw.api('PATCH', `/api/v1/tickets/${id}`, body);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      if (settle) await gw.settle();
    };
    const ticket = async (id: number) => (await gw.api('GET', `/api/v1/tickets/${id}`)).body;

    it('asks for a rating on resolve, records "5 服务很好" with its comment, thanks the customer, and counts it in the stats', async function () {
      await start();
      const t = await complaint();
      await patch(t.id, { status: 'resolved' });
      const survey = sentTo(t.address).at(-1)!;
      expect(survey).to.include(t.number).and.include('请回复 1–5').and.include('https://support.example.com/t/');
      const detail = await ticket(t.id);
      expect(detail.csatRequestedAt).to.be.a('string');
      expect(detail.events.map((e: { type: string }) => e.type)).to.include('customer_notified');
      // Not an agent's answer: the first response clock is not met by it.
      expect(detail.firstRespondedAt).to.equal(null);

      await sms.receive({ from: { address: t.address }, text: '5 服务很好，谢谢' });
      await gw.settle();
      const rated = await ticket(t.id);
      expect(rated).to.include({ status: 'resolved', csat: 5, csatComment: '服务很好，谢谢' });
      expect(sentTo(t.address).at(-1)).to.equal('感谢您的评价！');
      expect((await gw.api('GET', '/api/v1/tickets')).body.items, 'no new ticket for the rating').to.have.length(1);

      const stats = (await gw.api('GET', '/api/v1/csat/stats?by=channel')).body;
      expect(stats.items).to.deep.equal([
        { key: 'sms', answers: 1, average: 5, scores: [0, 0, 0, 0, 1], low: 0 },
        { key: 'all', answers: 1, average: 5, scores: [0, 0, 0, 0, 1], low: 0 },
      ]);
    });

    it('reopens a ticket rated low and sends it to the supervisors with the comment on the timeline', async function () {
      await start();
      const t = await complaint();
      await patch(t.id, { status: 'resolved' });
      await sms.receive({ from: { address: t.address }, text: '不满意，问题根本没解决' });
      await gw.settle();
      const d = await ticket(t.id);
      expect(d).to.include({ status: 'reopened', queue: 'supervisors', csat: 2, csatComment: '问题根本没解决' });
      const escalated = d.events.find((e: { type: string }) => e.type === 'escalated');
      expect(escalated.after).to.include({ reason: 'low satisfaction score', score: 2, comment: '问题根本没解决' });
      expect(sentTo(t.address).at(-1)).to.include('主管会尽快联系您').and.include(t.number);
    });

    it('treats a reply that is no rating as a new message on the ticket, as before', async function () {
      await start();
      const t = await complaint();
      await patch(t.id, { status: 'resolved' });
      await sms.receive({ from: { address: t.address }, text: `${t.number} 换的新水壶还是漏水` });
      await gw.settle();
      const d = await ticket(t.id);
      expect(d).to.include({ status: 'reopened', csat: null });
      expect(d.messages.map((m: { text: string }) => m.text)).to.include(`${t.number} 换的新水壶还是漏水`);
    });

    it('tells the customer when the ticket is being handled, waits for them or is reopened, with the status link', async function () {
      await start();
      const t = await complaint();
      await patch(t.id, { status: 'open' });
      await patch(t.id, { status: 'pending_customer' });
      const texts = sentTo(t.address);
      expect(texts.at(-2)).to.equal(
        `您的工单 ${t.number} 正在处理中。https://support.example.com/t/${(await gw.gateway.tickets.get(gw.gateway.db, t.id))!.statusToken}`,
      );
      expect(texts.at(-1)).to.include('需要您补充信息');
    });

    it('records the change with its events without reading the customer, and tells it in a batch that reads three times', async function () {
      await start();
      const t = await complaint();
      await patch(t.id, { status: 'open' });
      // The statements of each transaction with their values (knex tags them with its id; the workers run theirs meanwhile).
      const byTransaction = new Map<string, string[]>();
      const record = (q: { sql: string; bindings?: unknown[]; __knexTxId?: string }) => {
        const statement = `${q.sql.replace(/\s+/g, ' ').trim()} -- ${JSON.stringify(q.bindings ?? [])}`;
        if (q.__knexTxId) byTransaction.set(q.__knexTxId, [...(byTransaction.get(q.__knexTxId) ?? []), statement]);
      };
      gw.gateway.db.on('query', record);
      try {
        await patch(t.id, { status: 'pending_customer', priority: 'high' });
      } finally {
        gw.gateway.db.removeListener('query', record);
      }
      const transactions = [...byTransaction.values()];
      // The change writes its due event with its other events, in one statement, and reads nothing of the customer.
      const change = transactions.find((qs) => qs.some((q) => /^insert into ticket_events .*customer_update_due/i.test(q)))!;
      expect(change.filter((q) => /^insert into ticket_events/i.test(q))).to.have.length(1);
      expect(change.filter((q) => /^select/i.test(q)).join('\n'), 'the change reads no customer and no message').not.to.match(/customers|messages/);
      // The batch that tells it: the tickets with their customers, their inbound messages, and the customers' messages this hour.
      const batch = transactions.find((qs) => qs.some((q) => /^insert into messages/i.test(q)))!;
      // (Besides the cursor and, on SQLite where one transaction does both, the due events it reads.)
      expect(batch.filter((q) => /^select/i.test(q) && !/kv_state|from ticket_events/i.test(q))).to.have.length(3);
      // The events still say what the ticket was before the change.
      const events = await gw.gateway.db('ticket_events').where({ ticket_id: t.id }).whereIn('type', ['status_changed', 'priority_changed']).orderBy('id');
      expect(events.map((e) => [e.type, JSON.parse(e.before), JSON.parse(e.after)]).sort()).to.deep.equal([
        ['priority_changed', { priority: 'normal' }, { priority: 'high' }],
        ['status_changed', { status: 'new' }, { status: 'open' }],
        ['status_changed', { status: 'open' }, { status: 'pending_customer' }],
      ]);
      expect(sentTo(t.address).filter((text) => text.includes('需要您补充信息'))).to.have.length(1);
    });

    if (db === 'postgres') {
      it('tells each change once when two gateway processes on one database run their batches at the same time', async function () {
        await startStill();
        const config = loadConfig({
          dir: path.resolve('config'),
          env: { DATABASE_URL: gw.database.url, LOG_LEVEL: 'silent', GATEWAY_ADMIN_TOKEN: 'second-process-token-0123456789' },
        });
        config.gateway.customerUpdates.quietHours = null;
        const second = await Gateway.create({ config, adapters: [new FakeAdapter('sms')], workers: false, watchConfig: false });
        try {
          const ids: number[] = [];
          for (let i = 0; i < 30; i++) ids.push(await stillComplaint(`+86138001${String(i).padStart(5, '0')}`));
          expect(ids).to.have.length(30);
          // Changes on both processes, told by batches on both, racing.
          const told = (g: Gateway) =>
            (async () => {
              while ((await g.customerUpdates.processBatch()) > 0);
            })();
          const changes = ids.map((id, i) => (i % 2 ? second : gw.gateway).service.patch(String(id), { status: 'open' }, 'li.lei'));
          await Promise.all([...changes, told(gw.gateway), told(second)]);
          await Promise.all([told(gw.gateway), told(second)]);
          const messages = await gw.gateway
            .db('messages')
            .where({ direction: 'out', author: 'system' })
            .whereLike('meta', '%"kind":"progress"%')
            .select('ticket_id');
          expect(messages.map((m) => Number(m.ticket_id)).sort((a, b) => a - b)).to.deep.equal([...ids].sort((a, b) => a - b));
          const notified = await gw.gateway.db('ticket_events').where({ type: 'customer_notified' }).count({ n: '*' }).first();
          expect(Number(notified!.n)).to.equal(30);
        } finally {
          await second.stop();
        }
      });
    }

    it('keeps a change the customer must hear about until it is told, even while nothing tells it, and tells it once', async function () {
      // Workers off: as if the gateway stopped right after the agent's change committed.
      await startStill();
      const address = '+8613800139999';
      const id = await stillComplaint(address);
      await patch(id, { status: 'resolved' }, false);
      expect(await gw.gateway.customerUpdates.waiting(), 'recorded with the change').to.equal(1);
      expect((await ticket(id)).csatRequestedAt, 'not asked yet').to.equal(null);
      expect(await gw.gateway.customerUpdates.processBatch()).to.equal(1);
      expect(await gw.gateway.customerUpdates.processBatch(), 'told once').to.equal(0);
      while ((await gw.gateway.sender.processBatch()) > 0);
      const surveys = sms.sent.filter((s) => s.to === address && s.text.includes('请回复 1–5'));
      expect(surveys).to.have.length(1);
      expect((await ticket(id)).csatRequestedAt).to.be.a('string');
    });

    it('tells the others when one change cannot be told, and after three tries records that one on its ticket as not told', async function () {
      await startStill();
      const [a, b, c] = [await stillComplaint('+8613800139901'), await stillComplaint('+8613800139902'), await stillComplaint('+8613800139903')];
      // An unforeseen fault in composing B's message (a bug, a broken row): every attempt at B throws.
      const updates = gw.gateway.customerUpdates as unknown as { decide: (context: { ticket: { id: number } }, ...rest: unknown[]) => unknown };
      const decide = updates.decide;
      updates.decide = function (this: unknown, context, ...rest) {
        if (context.ticket.id === b) throw new Error('composing failed');
        return decide.call(this, context, ...rest);
      };
      for (const id of [a, b, c]) await patch(id, { status: 'resolved' }, false);

      // The batch fails; one by one, A is told, then B fails alone and the loop tries again later.
      await gw.gateway.customerUpdates.processBatch().catch(() => undefined);
      expect(await gw.gateway.customerUpdates.waiting(), 'B and C wait').to.equal(2);
      await gw.gateway.customerUpdates.processBatch().catch(() => undefined);
      // The third failure in a row: B is recorded and passed, C is told.
      expect(await gw.gateway.customerUpdates.processBatch()).to.equal(2);
      expect(await gw.gateway.customerUpdates.waiting()).to.equal(0);
      while ((await gw.gateway.sender.processBatch()) > 0);

      const asked = (address: string) => sms.sent.filter((m) => m.to === address && m.text.includes('请回复 1–5')).length;
      expect([asked('+8613800139901'), asked('+8613800139902'), asked('+8613800139903')]).to.deep.equal([1, 0, 1]);
      const events = (await ticket(b)).events.filter((e: { type: string }) => e.type === 'customer_not_notified');
      expect(events.map((e: { after: object }) => e.after)).to.deep.equal([{ update: 'resolved', reason: 'failed', error: 'composing failed' }]);
    });

    it('stops progress messages after "退订" on every later change, without opening a ticket for it', async function () {
      await start();
      const t = await complaint();
      await sms.receive({ from: { address: t.address }, text: '退订' });
      await gw.settle();
      const before = sentTo(t.address).length;
      await patch(t.id, { status: 'open' });
      await patch(t.id, { status: 'resolved' });
      expect(sentTo(t.address)).to.have.length(before);
      const d = await ticket(t.id);
      expect(
        d.events.filter((e: { type: string }) => e.type === 'customer_not_notified').map((e: { after: { reason: string } }) => e.after.reason),
      ).to.deep.equal(['opted-out', 'opted-out']);
      expect(d.events.map((e: { type: string }) => e.type)).to.include('updates_opted_out');
      expect((await gw.api('GET', '/api/v1/tickets')).body.items).to.have.length(1);
    });

    it('tells the changes of one batch in their order, the hourly limit counted within the batch', async function () {
      await startStill((c) => (c.gateway.customerUpdates.maxPerCustomerPerHour = 2));
      const address = '+8613800139998';
      const id = await stillComplaint(address);
      for (const status of ['open', 'pending_customer', 'resolved']) await patch(id, { status }, false);
      expect(await gw.gateway.customerUpdates.processBatch(), 'all three in one batch').to.equal(3);
      while ((await gw.gateway.sender.processBatch()) > 0);
      const progress = sms.sent.filter((s) => s.to === address && ['progress', 'csat_survey'].includes(s.meta.kind as string)).map((s) => s.text);
      expect(progress).to.have.length(2);
      expect(progress[0]).to.include('正在处理中');
      expect(progress[1]).to.include('需要您补充信息');
      const skipped = (await ticket(id)).events.filter((e: { type: string }) => e.type === 'customer_not_notified');
      expect(skipped.map((e: { after: { reason: string; update: string } }) => `${e.after.update}:${e.after.reason}`)).to.deep.equal(['resolved:rate-limit']);
    });

    it('sends one customer at most the configured number of progress messages an hour', async function () {
      await start((c) => {
        c.gateway.customerUpdates.maxPerCustomerPerHour = 2;
      });
      const t = await complaint();
      const before = sentTo(t.address).length;
      await patch(t.id, { status: 'open' });
      await patch(t.id, { status: 'pending_customer' });
      await patch(t.id, { status: 'resolved' });
      expect(sentTo(t.address).length - before).to.equal(2);
      const skipped = (await ticket(t.id)).events.filter((e: { type: string }) => e.type === 'customer_not_notified');
      expect(skipped.map((e: { after: { reason: string; update: string } }) => `${e.after.update}:${e.after.reason}`)).to.deep.equal(['resolved:rate-limit']);
    });

    it('leaves a conversation only the bot handled alone', async function () {
      await start();
      const t = await complaint('退款多久能到账？');
      const d0 = await ticket(t.id);
      expect(d0.tags).to.include('bot-answered');
      const before = sentTo(t.address).length;
      await patch(t.id, { status: 'resolved' });
      expect(sentTo(t.address)).to.have.length(before);
    });

    it('holds a message that falls in quiet hours in the outbox until they end', async function () {
      const now = Date.now();
      // The customer's number (+86) puts them in China time (no daylight saving: UTC+8).
      const hhmm = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(11, 16);
      await start((c) => {
        c.gateway.customerUpdates.quietHours = { start: hhmm(now - 3_600_000), end: hhmm(now + 3_600_000), timeZone: 'UTC' };
      });
      const t = await complaint();
      const before = sentTo(t.address).length;
      await patch(t.id, { status: 'open' });
      expect(sentTo(t.address), 'nothing sent during quiet hours').to.have.length(before);
      const row = await gw.gateway.db('outbox').where({ ticket_id: t.id, status: 'pending' }).first('next_attempt_at');
      const end = Math.floor((now + 3_600_000) / 60_000) * 60_000;
      expect(Number(row.next_attempt_at)).to.be.within(end - 60_000, end + 60_000);
      const event = (await ticket(t.id)).events.find((e: { type: string }) => e.type === 'customer_notified');
      expect(event.after.after).to.be.a('string');
    });

    it('holds a message for a customer whose night it is and sends one to a customer whose day it is, at the same instant (quiet hours in their own zone)', async function () {
      // Tomorrow 15:00 UTC: 23:00 in Shanghai, 15:00 or 16:00 in London, 10:00 or 11:00 in New York.
      const at = Math.ceil(Date.now() / 86_400_000) * 86_400_000 + 15 * 3_600_000;
      const clock = new ManualClock(at);
      sms = new FakeAdapter('sms');
      // Workers off: the pipeline and the outbox run when the test says, on the gateway's clock (the default quiet hours,
      // 21:00–08:00 with Asia/Shanghai as the zone for customers whose own is unknown).
      gw = await startTestGateway({ db, adapters: [sms], clock, workers: false, env: { PUBLIC_BASE_URL: 'https://support.example.com' } });
      const text = '我买的电水壶用了两天就漏水了，要求换货。';
      const numbers = { shanghai: '+8613800138888', london: '+447700900123', newYorkByPhone: '+12025550123' };
      for (const address of Object.values(numbers)) await sms.receive({ from: { address }, text });
      // A web chat visitor whose browser reports New York (the widget sends its zone with each message).
      const visitor = await WidgetClient.open(gw.url);
      await visitor.hello(undefined, 'zh');
      visitor.send({ type: 'message', clientId: 'c-zone-000001', text, timeZone: 'America/New_York' });
      await visitor.next((e) => e.type === 'accepted');
      await gw.gateway.pipeline.drain();
      const tickets = (await gw.gateway.db('tickets').select('id', 'number')) as Array<{ id: number; number: string }>;
      expect(tickets).to.have.length(4);
      for (const t of tickets) await patch(t.id, { status: 'open' }, false);
      const sendDue = async () => {
        while ((await gw.gateway.customerUpdates.processBatch()) > 0);
        while ((await gw.gateway.sender.processBatch(clock.now())) > 0);
      };
      await sendDue();
      const handled = (address: string) => sentTo(address).filter((t) => t.includes('正在处理中'));
      expect(handled(numbers.london), 'London: 15:00, sent').to.have.length(1);
      expect(handled(numbers.shanghai), 'Shanghai: 23:00, held').to.deep.equal([]);
      expect(handled(numbers.newYorkByPhone), '+1 says no zone: the configured one (Shanghai) holds it').to.deep.equal([]);
      const chat = await visitor.next((e) => e.type === 'message' && typeof e.text === 'string' && e.text.includes('正在处理中'));
      expect(chat.text, 'New York (reported by the browser): 10:00, sent').to.include('正在处理中');
      visitor.close();

      const deferred = await gw.gateway
        .db('tickets as t')
        .join('ticket_events as e', 'e.ticket_id', 't.id')
        .where('e.type', 'customer_notified')
        .select('e.after');
      const held = deferred.map((r) => JSON.parse(r.after)).filter((a) => a.after);
      // 08:00 in Shanghai is midnight UTC.
      expect(held.map((a) => [a.after, a.timeZone])).to.deep.equal([
        [new Date(at + 9 * 3_600_000).toISOString(), 'Asia/Shanghai'],
        [new Date(at + 9 * 3_600_000).toISOString(), 'Asia/Shanghai'],
      ]);
      clock.set(at + 9 * 3_600_000);
      await sendDue();
      expect(handled(numbers.shanghai), 'sent when their morning comes').to.have.length(1);
      expect(handled(numbers.newYorkByPhone)).to.have.length(1);
    });

    it('asks a caller by SMS when voiceSurvey is call but no Twilio voice is configured, and texts nobody whose number was withheld', async function () {
      await start((c) => {
        c.gateway.customerUpdates.voiceSurvey = 'call';
      });
      const call = async (address: string, externalId: string) => {
        const posted = await gw.api('POST', '/api/v1/messages', {
          channel: 'voice',
          externalId,
          from: { address },
          text: '我买的电水壶用了两天就漏水了，要求换货。',
        });
        expect(posted.status, JSON.stringify(posted.body)).to.equal(202);
        await gw.settle();
        return (await gw.api('GET', `/api/v1/messages/${posted.body.id}`)).body.ticket.id as number;
      };
      const known = await call('+8613800139999', 'CA-known');
      await patch(known, { status: 'resolved' });
      expect(sentTo('+8613800139999').at(-1)).to.include('请回复 1–5');
      const withheld = await call('anonymous:CA0000000000000000000000000000000a', 'CA-withheld');
      await patch(withheld, { status: 'resolved' });
      const d = await ticket(withheld);
      expect(d.events.find((e: { type: string }) => e.type === 'customer_not_notified').after).to.deep.equal({ update: 'resolved', reason: 'no-contact' });
      expect(d.tags, 'not "cannot reach": there was never a number to reach').to.not.include('unreachable');
    });

    it('takes back the first response when the agent’s reply could not reach the customer, and lists the ticket as unreachable', async function () {
      await start();
      const t = await complaint();
      sms.failNext('permanent');
      const reply = await gw.api('POST', `/api/v1/tickets/${t.id}/replies`, { text: '您好，我们明天上门更换。' });
      expect(reply.status).to.equal(202);
      await gw.settle();
      const d = await ticket(t.id);
      expect(d.firstRespondedAt, 'an undelivered reply is no first response').to.equal(null);
      expect(d.tags).to.include('unreachable');
      expect(d.messages.find((m: { text: string }) => m.text === '您好，我们明天上门更换。').deliveryStatus).to.equal('failed');
      expect(d.events.find((e: { type: string }) => e.type === 'customer_unreachable').after).to.include({ firstResponseTakenBack: true });
      const view = (await gw.api('GET', '/api/v1/tickets?reach=unreachable')).body.items.map((i: { id: number }) => i.id);
      expect(view).to.deep.equal([t.id]);

      // The next reply gets through: the first response counts from it, and the ticket leaves the view.
      await gw.api('POST', `/api/v1/tickets/${t.id}/replies`, { text: '已改为电话联系您。' });
      await gw.settle();
      const after = await ticket(t.id);
      expect(after.firstRespondedAt).to.be.a('string');
      expect(after.tags).to.not.include('unreachable');
      expect((await gw.api('GET', '/api/v1/tickets?reach=unreachable')).body.items).to.deep.equal([]);
    });
  });
}
