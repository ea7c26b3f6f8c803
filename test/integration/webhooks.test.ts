import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { ManualClock } from '../../contracts/clock.js';
import { WEBHOOK_EVENT_TYPES } from '../../contracts/webhook-events.js';
import type { WebhookEvent } from '../../gateway/webhooks/event-feed.js';
import { verifyWebhook } from '../../gateway/webhooks/webhook-signature.js';
import { TEST_DATABASES } from '../support/databases.js';
import { HttpReceiver } from '../support/http-receiver.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const API_SECRET = 'whsec_api_subscription_secret_01';
const CONFIG_SECRET = 'config-subscription-secret-0123456';
const HOUR = 3_600_000;

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const db of TEST_DATABASES) {
  describe(`event webhooks: every event, the admin API, dead letters on ${db}`, function () {
    this.timeout(90_000);
    let gw: TestGateway;
    let receiver: HttpReceiver;
    let sms: FakeAdapter;
    // Starts at the wall clock: the customer outbox claims by the wall clock, so replies queued ahead of it would wait.
    const clock = new ManualClock(Date.now());
    /** Verified events per receiving path. */
    const got = new Map<string, WebhookEvent[]>();
    let badSignatures = 0;
    let failing = true;
    let phone = 0;

    before(async function () {
      receiver = await HttpReceiver.start((req, res) => {
        const secret = req.url === '/config-hook' ? CONFIG_SECRET : API_SECRET;
        if (!verifyWebhook(secret, req.headers['x-gateway-timestamp'] as string, req.headers['x-gateway-signature'] as string, req.body)) {
          badSignatures++;
          return void res.writeHead(401).end();
        }
        if (req.url === '/flaky' && failing) return void res.writeHead(500).end('receiver broken');
        if (req.url === '/down') return void res.writeHead(503).end();
        const event = JSON.parse(req.body) as WebhookEvent;
        expect(req.headers['x-gateway-event-type']).to.equal(event.type);
        got.set(req.url, [...(got.get(req.url) ?? []), event]);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      const dir = mkdtempSync(path.join(tmpdir(), 'gw-webhooks-'));
      cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
      writeFileSync(
        path.join(dir, 'webhooks.yaml'),
        `delivery: { pollIntervalMs: 20, maxAttempts: 2, backoffSeconds: [0] }
subscriptions:
  - id: crm
    description: The order system
    url: ${receiver.url}/config-hook
    secretEnv: CRM_WEBHOOK_SECRET
    events: [ticket.created, ticket.resolved]
`,
      );
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({
        db,
        clock,
        configDir: dir,
        adapters: [sms],
        env: { PUBLIC_BASE_URL: 'https://gw.example.com', CRM_WEBHOOK_SECRET: CONFIG_SECRET },
        tweak: (c) => {
          c.gateway.customerUpdates.quietHours = null;
          c.gateway.incidents.minTickets = 3;
        },
      });
    });
    after(async function () {
      await gw?.stop();
      await receiver?.stop();
    });

    const events = (p = '/all') => got.get(p) ?? [];
    const ofType = (type: string, p = '/all') => events(p).filter((e) => e.type === type);
    const waitFor = (type: string, test: (e: WebhookEvent) => boolean = () => true, p = '/all') =>
      until(`a ${type} event at ${p}`, () => ofType(type, p).find(test));

    async function complaint(text: string): Promise<{ id: number; number: string; address: string }> {
      const address = `+861390077${String(++phone).padStart(4, '0')}`;
      const { id } = await sms.receive({ from: { address }, text });
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${id}`);
      return { id: m.body.ticket.id, number: m.body.ticket.number, address };
    }

    it('takes subscriptions from admins only, checked: events named, an http(s) address, a secret of 16 characters', async function () {
      const token = await gw.api('POST', '/api/v1/tokens', { name: 'li.lei', role: 'lead' });
      const asLead = await gw.api('POST', '/api/v1/webhooks', { url: `${receiver.url}/all`, events: ['ticket.created'] }, token.body.token);
      expect(asLead.status).to.equal(403);
      const bad = await gw.api('POST', '/api/v1/webhooks', { url: 'ftp://x.example', events: ['ticket.exploded'], secret: 'short' });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.message).to.include('url').and.include('events.0').and.include('secret');

      const created = await gw.api('POST', '/api/v1/webhooks', {
        url: `${receiver.url}/all`,
        events: [...WEBHOOK_EVENT_TYPES],
        secret: API_SECRET,
        description: 'everything',
      });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ source: 'api', url: `${receiver.url}/all`, secret: API_SECRET, createdBy: 'admin' });
      expect(created.body.id).to.match(/^wh_[0-9a-f]{16}$/);
      const generated = await gw.api('POST', '/api/v1/webhooks', { url: `${receiver.url}/flaky`, events: ['ticket.resolved'] });
      expect(generated.body.secret).to.match(/^whsec_/);
      // Signed with its own secret, which this receiver does not know: recreate it with ours.
      expect((await gw.api('DELETE', `/api/v1/webhooks/${generated.body.id}`)).status).to.equal(204);
      expect((await gw.api('POST', '/api/v1/webhooks', { url: `${receiver.url}/flaky`, events: ['ticket.resolved'], secret: API_SECRET })).status).to.equal(
        201,
      );

      const list = (await gw.api('GET', '/api/v1/webhooks')).body.items;
      expect(list.map((s: { id: string }) => s.id))
        .to.include('crm')
        .and.have.length(3);
      const crm = list.find((s: { id: string }) => s.id === 'crm');
      expect(crm).to.deep.include({ source: 'config', secretEnv: 'CRM_WEBHOOK_SECRET', events: ['ticket.created', 'ticket.resolved'] });
      expect(crm).to.not.have.property('secret');
      expect(JSON.stringify(list)).to.not.include(API_SECRET).and.not.include(CONFIG_SECRET);
      expect((await gw.api('DELETE', '/api/v1/webhooks/crm')).status).to.equal(409);
      expect((await gw.api('GET', `/api/v1/webhooks/${generated.body.id}`)).status).to.equal(404);
    });

    it('announces a new complaint, the customer message, the acknowledgement, a status change, the resolve and the rating', async function () {
      const t = await complaint('我买的电水壶用了两天就漏水了，订单 DD20261205001，要求换货。');
      const created = await waitFor('ticket.created', (e) => (e.data.ticket as { id: number }).id === t.id);
      expect(created.data.ticket).to.deep.include({
        id: t.id,
        number: t.number,
        status: 'new',
        channel: 'sms',
        url: `https://gw.example.com/console#/tickets/${t.id}`,
      });
      expect(created.occurredAt).to.equal(new Date(clock.now()).toISOString());
      const message = await waitFor('message.received', (e) => (e.data.ticket as { id: number }).id === t.id);
      expect(message.data.message).to.deep.include({ channel: 'sms', text: '我买的电水壶用了两天就漏水了，订单 DD20261205001，要求换货。' });
      const ack = await waitFor('reply.sent', (e) => (e.data.ticket as { id: number }).id === t.id);
      expect(ack.data.message).to.deep.include({ channel: 'sms', author: 'system', kind: 'acknowledgement' });
      // The config subscription (ticket.created, ticket.resolved only) got the creation too, signed with its own secret.
      await waitFor('ticket.created', (e) => (e.data.ticket as { id: number }).id === t.id, '/config-hook');

      const patched = await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'resolved' });
      expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
      const updated = await waitFor('ticket.updated', (e) => (e.data.changes as Record<string, unknown>).status !== undefined);
      expect(updated.data.changes).to.deep.include({ status: { before: 'new', after: 'resolved' } });
      expect(updated.data.actor).to.equal('agent:admin');
      expect((updated.data.changes as { resolvedAt: { after: string } }).resolvedAt.after).to.equal(new Date(clock.now()).toISOString());
      const resolved = await waitFor('ticket.resolved');
      expect(resolved.data.ticket).to.deep.include({ id: t.id, status: 'resolved' });
      await waitFor('ticket.resolved', () => true, '/config-hook');

      await sms.receive({ from: { address: t.address }, text: '5 服务很好，谢谢' });
      await gw.settle();
      const rating = await waitFor('csat.received');
      expect(rating.data).to.deep.include({ score: 5, comment: '服务很好，谢谢', channel: 'sms' });
      expect(events('/config-hook').map((e) => e.type)).to.not.include('csat.received');
    });

    it('announces a reply the channel refused for good', async function () {
      const t = await complaint('The kettle I bought leaks from the bottom.');
      sms.failNext('permanent');
      expect((await gw.api('POST', `/api/v1/tickets/${t.id}/replies`, { text: 'Sorry, a new one is on its way.' })).status).to.be.oneOf([200, 201, 202]);
      const failed = await waitFor('reply.failed', (e) => (e.data.ticket as { id: number }).id === t.id);
      expect(failed.data).to.deep.include({ reason: 'fake sms: recipient refused', permanent: true });
    });

    it('announces SLA warnings and breaches on the gateway clock', async function () {
      const t = await complaint('The blender I received is missing its lid, please send one.');
      const due = (await gw.gateway.tickets.get(gw.gateway.db, t.id))!.firstResponseDueAt!;
      // A second before the due time: past the warning threshold (80 % of the target in business hours).
      clock.set(due - 1000);
      await gw.gateway.slaWorker.runDue();
      const warning = await waitFor('sla.warning', (e) => (e.data.ticket as { id: number }).id === t.id);
      expect(warning.data).to.deep.include({ target: 'firstResponse', dueAt: new Date(due).toISOString() });
      expect(Date.parse(warning.data.at as string)).to.be.lessThan(due);
      clock.set(due + 1);
      await gw.gateway.slaWorker.runDue();
      const breach = await waitFor('sla.breached', (e) => (e.data.ticket as { id: number }).id === t.id);
      expect(breach.data).to.deep.include({ target: 'firstResponse' });
      clock.advance(HOUR);
    });

    it('announces a surge as an incident, and its resolution', async function () {
      for (const text of ['The app crashes every time I open it.', 'Your app keeps crashing on startup.', 'App crashed again right after launch.'])
        await complaint(text);
      const opened = await waitFor('incident.opened');
      const incident = opened.data.incident as { id: number; url: string; severity: number };
      expect(incident.url).to.equal(`https://gw.example.com/console#/incidents?id=${incident.id}`);
      expect((await gw.api('POST', `/api/v1/incidents/${incident.id}/resolve`, {})).status).to.equal(200);
      const resolved = await waitFor('incident.resolved');
      expect(resolved.data.incident).to.deep.include({ id: incident.id, ticketCount: 3 });
      // Its member tickets were resolved too, each announced.
      await until('three more ticket.resolved', () => ofType('ticket.resolved').length >= 4);
    });

    it('signed everything, announced each event once, and keeps a delivery history per subscription', async function () {
      // Once the last answers are recorded (the receiver counts an event before the gateway records its answer).
      const sub = await until('every delivery recorded', async () => {
        const s = (await gw.api('GET', '/api/v1/webhooks')).body.items.find((x: { url: string }) => x.url.endsWith('/all'));
        return s.deliveries.pending === 0 && s.deliveries.delivered === events().length ? s : undefined;
      });
      expect(badSignatures).to.equal(0);
      const ids = events().map((e) => e.id);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(new Set(events().map((e) => e.type))).to.deep.equal(new Set(WEBHOOK_EVENT_TYPES));
      const history = (await gw.api('GET', `/api/v1/webhooks/${sub.id}/deliveries?limit=5`)).body;
      expect(history.items).to.have.length(5);
      expect(history.nextBefore).to.equal(history.items[4].id);
      const detail = (await gw.api('GET', `/api/v1/webhook-deliveries/${history.items[0].id}`)).body;
      expect(detail).to.include({ status: 'delivered', attempts: 1, lastStatusCode: 200, target: sub.id });
      expect(detail.history).to.have.length(1);
      expect(detail.history[0]).to.include({ attempt: 1, statusCode: 200, error: null });
      expect(detail.body.id).to.equal(detail.eventId);
    });

    it('puts deliveries that keep failing in the dead-letter list, and sends them again by hand', async function () {
      const flaky = (await gw.api('GET', '/api/v1/webhooks')).body.items.find((s: { url: string }) => s.url.endsWith('/flaky'));
      const dead = await until('dead letters', async () => {
        const d = (await gw.api('GET', `/api/v1/webhooks/dead-letters?target=${flaky.id}`)).body.items;
        return d.length >= 4 ? d : undefined;
      });
      expect(
        dead.every(
          (d: { eventType: string; attempts: number; lastStatusCode: number }) =>
            d.eventType === 'ticket.resolved' && d.attempts === 2 && d.lastStatusCode === 500,
        ),
      ).to.equal(true);
      expect(dead[0].lastError).to.equal('HTTP 500: receiver broken');
      expect((await gw.api('GET', `/api/v1/webhooks/${flaky.id}`)).body.deliveries).to.deep.include({ dead: dead.length });

      failing = false;
      // The worker paused, so the redelivered one is still pending when it is asked for again.
      await gw.gateway.webhooks.worker.stop();
      const one = await gw.api('POST', `/api/v1/webhook-deliveries/${dead[0].id}/redeliver`);
      expect(one.status).to.equal(202);
      expect(one.body).to.include({ status: 'pending', attempts: 0 });
      const again = await gw.api('POST', `/api/v1/webhook-deliveries/${dead[0].id}/redeliver`);
      expect(again.status).to.equal(409);
      expect(again.body.error.message).to.equal(`delivery ${dead[0].id} is pending: only a delivered or dead delivery can be sent again`);
      gw.gateway.webhooks.worker.start();
      expect((await gw.api('POST', `/api/v1/webhooks/${flaky.id}/dead-letters/redeliver`)).body.redelivered).to.equal(dead.length - 1);
      await until('the flaky receiver got every dead letter', () => events('/flaky').length === dead.length);
      expect(new Set(events('/flaky').map((e) => e.id))).to.deep.equal(new Set(dead.map((d: { eventId: string }) => d.eventId)));
      const detail = (await gw.api('GET', `/api/v1/webhook-deliveries/${dead[0].id}`)).body;
      expect(detail.status).to.equal('delivered');
      expect(detail.history.map((a: { statusCode: number }) => a.statusCode)).to.deep.equal([500, 500, 200]);
      expect((await gw.api('GET', '/api/v1/webhooks/dead-letters')).body.items).to.deep.equal([]);
    });

    it('empties the deliveries of a customer whose data is erased, and never sends the ones still waiting', async function () {
      const down = await gw.api('POST', '/api/v1/webhooks', { url: `${receiver.url}/down`, events: ['message.received'], secret: API_SECRET });
      const t = await complaint('我叫张三丰，住在武当山紫霄宫，快递丢了');
      const sent = await waitFor('message.received', (e) => (e.data.ticket as { id: number }).id === t.id);
      expect(JSON.stringify(sent)).to.include('张三丰');
      const waiting = await until('a failed attempt at the receiver that is down', async () => {
        const d = (await gw.api('GET', `/api/v1/webhooks/${down.body.id}/deliveries`)).body.items[0];
        // Pending a retry, or (two attempts here) already a dead letter: either way not delivered.
        return d?.attempts >= 1 && d.status !== 'processing' ? d : undefined;
      });
      const customerId = (await gw.api('GET', `/api/v1/tickets/${t.id}`)).body.customerId;
      expect((await gw.api('POST', `/api/v1/customers/${customerId}/erase`, { reason: 'the customer asked' })).status).to.equal(200);

      expect((await gw.api('GET', `/api/v1/webhook-deliveries/${waiting.id}`)).body).to.deep.include({ status: 'cancelled', body: { erased: true } });
      const stored = await gw.gateway.db('webhook_deliveries').where({ ticket_id: t.id }).select('payload');
      expect(stored.length).to.be.greaterThan(1);
      expect(stored.every((r) => !r.payload.includes('张三丰'))).to.equal(true);
      const delivered = (await gw.gateway.db('webhook_deliveries').where({ ticket_id: t.id, status: 'delivered' }).first('id'))!;
      const again = await gw.api('POST', `/api/v1/webhook-deliveries/${delivered.id}/redeliver`);
      expect(again.status).to.equal(409);
      expect(again.body.error.message).to.include('erased');
    });
  });
}
