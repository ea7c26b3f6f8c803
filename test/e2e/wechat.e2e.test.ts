import { expect } from 'chai';
import nock from 'nock';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { AdapterStateStore } from '../../contracts/adapter-state.js';
import { WechatAdapter } from '../../adapters/wechat/wechat.adapter.js';
import { WechatOfficialAdapter } from '../../adapters/wechat/wechat-official.adapter.js';
import { WechatyAdapter } from '../../adapters/wechat/wechaty.adapter.js';
import { DEFAULT_COMPLAINT_CUES, type WechatOfficialConfig } from '../../config/channels/wechat.schema.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { fixture, nowSeconds, sha1Sorted, silentLogger } from '../integration/wechat/wechat-harness.js';

const API = 'https://api.weixin.qq.com';
const APP_ID = 'wx1234567890abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';
const OPENID = 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB';
const official: WechatOfficialConfig = { token: 'gatewayToken2024', appId: APP_ID, appSecret: SECRET, apiBase: API, complaintMenuKeys: ['COMPLAINT'] };
const PUBLIC_BASE_URL = 'https://support.example.com';
const TEMPLATE_ID = 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY';
const HOUR = 3_600_000;

function signedQuery(): string {
  const timestamp = nowSeconds();
  const nonce = '884512337';
  return new URLSearchParams({ signature: sha1Sorted(official.token, timestamp, nonce), timestamp, nonce, openid: OPENID }).toString();
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const db of TEST_DATABASES) {
  describe(`WeChat end to end on ${db}: push → ticket → agent reply → WeChat`, function () {
    this.timeout(30_000);
    let gw: TestGateway;
    let webhook: { url: string; close: () => Promise<void> };
    let mocker: mock.Mocker;
    /** The Official Account adapter's settings (a test may add the template) and how far its clock runs ahead. */
    let officialConfig: WechatOfficialConfig;
    let ahead = 0;

    beforeEach(async () => {
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
      // The gateway's durable adapter state, reached lazily because the gateway is built after the adapter.
      const state: AdapterStateStore = {
        get: (k) => gw.gateway.state.scoped('wechat').get(k),
        set: (k, v) => gw.gateway.state.scoped('wechat').set(k, v),
      };
      mocker = new mock.Mocker();
      officialConfig = { ...official, publicBaseUrl: PUBLIC_BASE_URL };
      ahead = 0;
      const wechat = new WechatAdapter(
        {
          official: new WechatOfficialAdapter({ config: officialConfig, state, logger: silentLogger, now: () => Date.now() + ahead }),
          wechaty: new WechatyAdapter({
            config: { puppet: 'wechaty-puppet-mock', name: 'wechat-e2e', groupReply: 'room', complaintCues: [...DEFAULT_COMPLAINT_CUES] },
            logger: silentLogger,
            puppet: new PuppetMock({ mocker }),
          }),
        },
        silentLogger,
      );
      // The gateway mounts the Official Account webhook itself from the environment; the
      // adapter passed in (with the mock puppet) carries the replies.
      gw = await startTestGateway({
        db,
        adapters: [wechat],
        env: { WECHAT_TOKEN: official.token, WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: SECRET, WECHAT_API_BASE: API, PUBLIC_BASE_URL },
        // The wall clock must not hold progress messages back: quiet hours have a test of their own.
        tweak: (c) => void (c.gateway.customerUpdates.quietHours = null),
      });
      webhook = { url: `${gw.url}/webhooks/wechat`, close: async () => {} };
    });

    afterEach(async () => {
      await webhook?.close();
      await gw?.stop();
      nock.cleanAll();
      nock.enableNetConnect();
    });

    /** Intercepts the customer-service API; every posted body is recorded. */
    function customerServiceApi(answer: object = { errcode: 0, errmsg: 'ok' }) {
      const posted: unknown[] = [];
      const token = nock(API)
        .get('/cgi-bin/token')
        .query({ grant_type: 'client_credential', appid: APP_ID, secret: SECRET })
        .reply(200, { access_token: 'TOKEN_E2E', expires_in: 7200 });
      nock(API)
        .persist()
        .post('/cgi-bin/message/custom/send', (body) => {
          posted.push(body);
          return true;
        })
        .query({ access_token: 'TOKEN_E2E' })
        .reply(200, answer);
      return { posted, token };
    }

    it('an Official Account complaint becomes a ticket and the agent reply goes out through the customer-service API', async () => {
      const api = customerServiceApi();
      for (let i = 0; i < 3; i++) {
        // WeChat's retries of the same push: one ticket, one message.
        const res = await fetch(`${webhook.url}?${signedQuery()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: fixture('text.xml') });
        expect(await res.text()).to.equal('success');
      }
      await gw.settle();
      const list = await gw.api('GET', '/api/v1/tickets');
      expect(list.body.items).to.have.length(1);
      const ticket = list.body.items[0];
      expect(ticket.channels).to.include('wechat');
      expect(ticket.messageCount).to.equal(1);

      const replyText = `您好，工单 ${ticket.number} 已登记，电饭煲将为您免费换新。`;
      const queued = await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: replyText });
      expect(queued.status).to.equal(202);
      await gw.settle();
      expect(api.token.isDone(), 'one token fetch, cached in the gateway state for every later send').to.equal(true);
      expect(api.posted).to.deep.include({ touser: OPENID, msgtype: 'text', text: { content: replyText } });
      const detail = await gw.api('GET', `/api/v1/tickets/${ticket.id}`);
      const out = detail.body.messages.find((m: any) => m.direction === 'out' && m.text === replyText);
      expect(out).to.include({ channel: 'wechat', to: OPENID, deliveryStatus: 'sent' });
    });

    it('outside the 48-hour window (45015) the reply fails for good and the ticket records why', async () => {
      customerServiceApi({ errcode: 45015, errmsg: 'response out of time limit' });
      await fetch(`${webhook.url}?${signedQuery()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: fixture('voice.xml') });
      await gw.settle();
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '您好，快递已催促。' });
      await gw.settle();
      const detail = await gw.api('GET', `/api/v1/tickets/${ticket.id}`);
      const out = detail.body.messages.find((m: any) => m.direction === 'out' && m.text === '您好，快递已催促。');
      expect(out.deliveryStatus).to.equal('failed');
      const failed = detail.body.events.find((e: any) => e.type === 'delivery_failed' && e.after.messageId === out.id);
      expect(failed?.after).to.include({ code: '45015', permanent: true });
      expect(failed?.after.reason).to.match(/48 hours/);
    });

    it('two days after the complaint, progress messages and replies go out as the configured template message (issue 20)', async () => {
      officialConfig.updateTemplate = {
        templateId: TEMPLATE_ID,
        title: '您的工单有新进展',
        fields: [
          { field: 'first', source: 'title', maxChars: 200 },
          { field: 'keyword1', source: 'ticketNumber', maxChars: 200 },
          { field: 'keyword2', source: 'summary', maxChars: 200 },
          { field: 'remark', source: 'rest', maxChars: 200 },
        ],
      };
      const api = customerServiceApi();
      await fetch(`${webhook.url}?${signedQuery()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: fixture('text.xml') });
      await gw.settle();
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      expect(api.posted, 'the acknowledgement, inside the window').to.have.length(1);

      // The adapter's clock 49 hours on: the gateway recorded the push at the real time of receipt.
      ahead = 49 * HOUR;
      nock(API).get('/cgi-bin/token').query(true).reply(200, { access_token: 'TOKEN_LATER', expires_in: 7200 });
      const templates: any[] = [];
      nock(API)
        .persist()
        .post('/cgi-bin/message/template/send', (body) => {
          templates.push(body);
          return true;
        })
        .query({ access_token: 'TOKEN_LATER' })
        .reply(200, () => ({ errcode: 0, errmsg: 'ok', msgid: 9000 + templates.length }));

      const moved = await gw.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'pending_customer' });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
      await gw.settle();
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '您好，请提供电饭煲底部的序列号照片。' });
      await gw.settle();

      expect(api.posted, 'no customer-service message outside the window').to.have.length(1);
      const detail = await gw.api('GET', `/api/v1/tickets/${ticket.id}`);
      const progress = detail.body.messages.find((m: any) => m.direction === 'out' && m.text.includes('需要您补充信息'));
      const statusLink = /https:\/\/support\.example\.com\/t\/[A-Za-z0-9_-]+/.exec(progress.text)?.[0];
      expect(statusLink, progress.text).to.be.a('string');
      expect(templates).to.have.length(2);
      expect(templates[0]).to.deep.include({ touser: OPENID, template_id: TEMPLATE_ID, url: statusLink });
      expect(templates[0].data).to.deep.equal({
        first: { value: '您的工单有新进展' },
        keyword1: { value: ticket.number },
        keyword2: { value: `您的工单 ${ticket.number} 需要您补充信息，请直接回复本消息。` },
      });
      expect(templates[1]).to.deep.include({ touser: OPENID, template_id: TEMPLATE_ID, url: PUBLIC_BASE_URL });
      expect(templates[1].data.keyword2).to.deep.equal({ value: '您好，请提供电饭煲底部的序列号照片。' });
      expect(progress).to.include({ deliveryStatus: 'sent' });
      const reply = detail.body.messages.find((m: any) => m.direction === 'out' && m.text === '您好，请提供电饭煲底部的序列号照片。');
      expect(reply).to.include({ deliveryStatus: 'sent' });
    });

    it('two days after the complaint, without a template, a reply fails for good naming WECHAT_UPDATE_TEMPLATE_ID', async () => {
      customerServiceApi();
      await fetch(`${webhook.url}?${signedQuery()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: fixture('text.xml') });
      await gw.settle();
      const ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
      ahead = 49 * HOUR;
      await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: '您好，退款已原路退回。' });
      await gw.settle();
      const detail = await gw.api('GET', `/api/v1/tickets/${ticket.id}`);
      const out = detail.body.messages.find((m: any) => m.direction === 'out' && m.text === '您好，退款已原路退回。');
      expect(out.deliveryStatus).to.equal('failed');
      const failed = detail.body.events.find((e: any) => e.type === 'delivery_failed' && e.after.messageId === out.id);
      expect(failed?.after).to.include({ code: '45015', permanent: true });
      expect(failed?.after.reason).to.contain('WECHAT_UPDATE_TEMPLATE_ID');
    });

    it("a wechaty contact's private complaint becomes a ticket and the agent's reply arrives at the mocked contact", async () => {
      const bot = mocker.createContact({ name: '客服小美' });
      mocker.login(bot);
      const alice = mocker.createContact({ name: 'Alice', alias: '王女士-VIP' });
      alice.say('我上周买的榴莲到货就坏了，要求退款').to(bot);
      let ticket: any;
      const until = Date.now() + 5000;
      while (!ticket && Date.now() < until) {
        await gw.settle();
        ticket = (await gw.api('GET', '/api/v1/tickets')).body.items[0];
        if (!ticket) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ticket, 'a ticket for the private complaint').to.be.ok;

      const queued = await gw.api('POST', `/api/v1/tickets/${ticket.id}/replies`, { text: `王女士您好，工单 ${ticket.number} 已为您办理退款。` });
      expect(queued.status).to.equal(202);
      await gw.settle();
      const delivered = await waitFor(
        () =>
          [...mocker.cacheMessagePayload.values()].find(
            (p) => p.talkerId === bot.id && p.listenerId === alice.id && p.text === `王女士您好，工单 ${ticket.number} 已为您办理退款。`,
          ),
        'the reply at Alice',
      );
      expect(delivered.roomId).to.equal(undefined);
      expect(nock.pendingMocks()).to.deep.equal([]);
    });
  });
}
