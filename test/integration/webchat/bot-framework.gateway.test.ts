import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import nock from 'nock';
import { TEST_DATABASES } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';

/** A local stand-in for the Bot Connector service the activity's serviceUrl names. */
async function startConnector() {
  const posts: Array<{ path: string; body: any }> = [];
  const waiters: Array<{ match: (b: any) => boolean; resolve: (b: any) => void }> = [];
  const app = express();
  app.use(express.json());
  app.post(/^\/v3\/conversations\/.+\/activities(\/.+)?$/, (req, res) => {
    posts.push({ path: decodeURIComponent(req.path), body: req.body });
    for (const w of [...waiters]) if (w.match(req.body)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(req.body));
    res.json({ id: `sent-${posts.length}` });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    posts,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    next(match: (b: any) => boolean, timeoutMs = 10_000): Promise<any> {
      const seen = posts.find((p) => match(p.body));
      if (seen) return Promise.resolve(seen.body);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`connector: nothing matching in ${timeoutMs} ms; got ${JSON.stringify(posts.map((p) => p.body.text ?? p.body.type))}`)),
          timeoutMs,
        );
        waiters.push({ match, resolve: (b) => (clearTimeout(t), resolve(b)) });
      });
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

const activity = (serviceUrl: string, overrides: Record<string, unknown> = {}) => ({
  ...JSON.parse(readFileSync(path.resolve('test/fixtures/webchat/emulator-message.json'), 'utf8')),
  serviceUrl,
  ...overrides,
});

for (const db of TEST_DATABASES) {
  describe(`web chat Bot Framework endpoint through the gateway on ${db}`, function () {
    let gw: TestGateway;
    let connector: Awaited<ReturnType<typeof startConnector>>;

    beforeEach(async function () {
      connector = await startConnector();
      // The stand-in connector listens on 127.0.0.1 (as the Emulator does on localhost): a host the operator adds.
      gw = await startTestGateway({ db, env: { WEBCHAT_BOT_SERVICE_HOSTS: 'http://127.0.0.1:*' } });
    });
    afterEach(async function () {
      await gw?.stop();
      await connector?.close();
    });

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${gw.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    it('makes a ticket from an activity, acknowledges it and delivers the agent reply as proactive messages', async function () {
      const res = await post(activity(connector.url));
      expect(res.status).to.equal(200);
      const ack = await connector.next((b) => b.type === 'message' && /C-\d{8}-\d{4}/.test(b.text));
      const number = ack.text.match(/C-\d{8}-\d{4}/)[0];
      expect(ack.conversation.id).to.equal('0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat');
      expect(ack.recipient.id).to.equal('5e1b7c2a-3d84-4c1e-9f2b-6a7d8e9f0a1b');

      const list = await gw.api('GET', `/api/v1/tickets?q=${number}`);
      const ticket = (await gw.api('GET', `/api/v1/tickets/${list.body.items[0].id}`)).body;
      expect(ticket.channels).to.deep.equal(['webchat']);
      expect(ticket.messages[0]).to.include({
        direction: 'in',
        text: '我昨天买的电水壶一插电就跳闸，订单号 SO-20261124-77，要求退货。',
        from: 'emulator:5e1b7c2a-3d84-4c1e-9f2b-6a7d8e9f0a1b',
      });

      await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '您好，已为您安排退货，快递员明天上门取件。' });
      const reply = await connector.next((b) => b.text === '您好，已为您安排退货，快递员明天上门取件。');
      expect(reply.conversation.id).to.equal('0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat');

      // The same activity delivered again (a channel retry) is not a second message.
      expect((await post(activity(connector.url))).status).to.equal(200);
      await gw.settle();
      const after = (await gw.api('GET', `/api/v1/tickets/${ticket.id}`)).body;
      expect(after.messages.filter((m: any) => m.direction === 'in')).to.have.length(1);
    });

    it('returns the acknowledgement in the response body when the channel asks for expectReplies', async function () {
      const res = await post(activity(connector.url, { id: 'expect-1', deliveryMode: 'expectReplies' }));
      expect(res.status).to.equal(200);
      const body = await res.json();
      expect(body.activities.length).to.be.greaterThan(0);
      expect(body.activities[0].text).to.match(/C-\d{8}-\d{4}/);
      await gw.settle();
      expect(
        connector.posts.filter((p) => p.body.type === 'message'),
        'nothing went out as a separate call',
      ).to.deep.equal([]);
    });
  });

  describe(`web chat Bot Framework endpoint with the default service hosts on ${db} (issue 16)`, function () {
    let gw: TestGateway;
    const reached: string[] = [];
    const record = (req: { hostname?: string; host?: string; port?: string | number; path?: string }) =>
      reached.push(`${req.hostname ?? req.host}:${req.port ?? ''}${req.path ?? ''}`);

    beforeEach(async function () {
      reached.length = 0;
      nock.disableNetConnect();
      nock.emitter.on('no match', record);
      gw = await startTestGateway({ db });
    });
    afterEach(async function () {
      await gw?.stop();
      nock.emitter.removeListener('no match', record);
      nock.cleanAll();
      nock.enableNetConnect();
    });

    const post = (body: unknown) =>
      fetch(`${gw.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('refuses activities whose serviceUrl points into the network, journals nothing and sends nothing there', async function () {
      const traps = ['http://127.0.0.1:5432', 'http://169.254.169.254', 'http://10.0.0.1'].map((origin) => nock(origin).post(/.*/).reply(200, { id: 'x' }));
      for (const [i, serviceUrl] of ['http://127.0.0.1:5432/', 'http://169.254.169.254/', 'http://10.0.0.1'].entries()) {
        const res = await post(activity(serviceUrl, { id: `ssrf-${i}` }));
        expect(res.status, serviceUrl).to.be.within(400, 499);
      }
      await gw.settle();
      const row = await gw.gateway.db('intake_journal').count({ n: '*' }).first();
      expect(Number(row?.n), 'journal rows').to.equal(0);
      expect(
        traps.filter((t) => t.isDone()),
        'internal addresses reached',
      ).to.deep.equal([]);
      expect(reached, 'other requests').to.deep.equal([]);
    });

    it('acknowledges a Teams message through smba.trafficmanager.net, a default host', async function () {
      const texts: string[] = [];
      const teams = nock('https://smba.trafficmanager.net')
        .persist()
        .post(/^\/apac\/v3\/conversations\/.+\/activities/)
        .reply(200, (_uri, body: any) => (texts.push(body.text ?? body.type), { id: `sent-${texts.length}` }));
      const res = await post({ ...JSON.parse(readFileSync(path.resolve('test/fixtures/webchat/teams-message.json'), 'utf8')) });
      expect(res.status).to.equal(200);
      await gw.settle();
      expect(teams.isDone()).to.equal(true);
      expect(
        texts.some((t) => /C-\d{8}-\d{4}/.test(t)),
        `acknowledgement among ${JSON.stringify(texts)}`,
      ).to.equal(true);
      expect(reached).to.deep.equal([]);
    });
  });
}

describe('web chat Bot Framework endpoint with an app id', function () {
  let gw: TestGateway;
  afterEach(async () => gw?.stop());

  it('refuses requests without a Bot Connector token and journals nothing', async function () {
    gw = await startTestGateway({
      db: 'sqlite',
      env: { MICROSOFT_APP_ID: '7c3f0a12-8b4e-4d2a-a1c9-0e5f6d7c8b9a', MICROSOFT_APP_PASSWORD: 'offline-test-password' },
    });
    const res = await fetch(`${gw.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity('http://127.0.0.1:9')),
    });
    expect(res.status).to.equal(401);
    await gw.settle();
    const row = await gw.gateway.db('intake_journal').count({ n: '*' }).first();
    expect(Number(row?.n)).to.equal(0);
  });

  it('answers a forged token with 401 and one warn line naming the reason, never a stack trace', async function () {
    const logLines: string[] = [];
    const consoleErrors: unknown[][] = [];
    const realConsoleError = console.error;
    console.error = (...args: unknown[]) => void consoleErrors.push(args);
    try {
      gw = await startTestGateway({
        db: 'sqlite',
        logLines,
        env: { MICROSOFT_APP_ID: '7c3f0a12-8b4e-4d2a-a1c9-0e5f6d7c8b9a', MICROSOFT_APP_PASSWORD: 'offline-test-password' },
      });
      const res = await fetch(`${gw.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer forged.token.value' },
        body: JSON.stringify(activity('https://smba.trafficmanager.net/apac/')),
      });
      expect(res.status).to.equal(401);
      expect(await res.text()).to.not.match(/\bat \w|stack|node_modules/);
    } finally {
      console.error = realConsoleError;
    }
    const lines = logLines.map((l) => JSON.parse(l)).filter((l) => /botframework/.test(l.module ?? ''));
    expect(lines.map((l) => [l.level, l.msg, l.status])).to.deep.equal([[40, 'Bot Framework request refused', 401]]);
    expect(lines[0].reason).to.match(/Unauthorized/);
    expect(logLines.join('\n')).to.not.match(/"stack"|\n\s+at /);
    expect(consoleErrors, 'console.error calls').to.deep.equal([]);
  });
});
