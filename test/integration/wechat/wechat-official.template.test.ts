import { expect } from 'chai';
import nock from 'nock';
import { wechatConfigFromEnv, type WechatOfficialConfig, type WechatTemplateConfig } from '../../../config/channels/wechat.schema.js';
import { PermanentDeliveryError, type OutboundMessage } from '../../../adapters/types.js';
import type { AdapterStateStore } from '../../../contracts/adapter-state.js';
import { WechatOfficialAdapter, type CachedAccessToken } from '../../../adapters/wechat/wechat-official.adapter.js';
import { createWechatRouter } from '../../../adapters/wechat/wechat-official.router.js';
import { lastInteractionKey } from '../../../adapters/wechat/wechat-service-window.js';
import { TEST_ACCOUNT, fixture, journalLikeSink, nowSeconds, postPush, pushXml, serve, signedPushQuery, silentLogger } from './wechat-harness.js';

const API = 'https://api.weixin.qq.com';
const APP_ID = 'wx1234567890abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';
const OPENID = 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB';
const TOKEN_KEY = `wechat:official:${APP_ID}:access_token`;
const TEMPLATE_ID = 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY';
const BASE = 'https://support.example.com';
const STATUS_LINK = `${BASE}/t/Zk3vQ9xW2mL7pR4s`;
const HOUR = 3_600_000;

/** The defaults wechatConfigFromEnv gives for WECHAT_UPDATE_TEMPLATE_ID alone: first / keyword1 / keyword2 / remark. */
const template: WechatTemplateConfig = wechatConfigFromEnv({
  WECHAT_TOKEN: 'gatewayToken2024',
  WECHAT_APP_ID: APP_ID,
  WECHAT_APP_SECRET: SECRET,
  WECHAT_UPDATE_TEMPLATE_ID: TEMPLATE_ID,
})!.officialAccount!.updateTemplate!;

const withoutTemplate: WechatOfficialConfig = {
  token: 'gatewayToken2024',
  appId: APP_ID,
  appSecret: SECRET,
  apiBase: API,
  complaintMenuKeys: [],
  publicBaseUrl: BASE,
};
const withTemplate: WechatOfficialConfig = { ...withoutTemplate, updateTemplate: template };

class MemoryState implements AdapterStateStore {
  readonly data = new Map<string, unknown>();
  async get<T>(key: string) {
    return this.data.get(key) as T | undefined;
  }
  async set<T>(key: string, value: T) {
    this.data.set(key, structuredClone(value));
  }
}

/** A customer update as gateway/customer-updates.ts queues it: the status link in the text and in meta. */
const update = (id = 'ob-7'): OutboundMessage => ({
  id,
  channel: 'wechat',
  to: OPENID,
  ticketNumber: 'C-20261124-0042',
  subject: '电饭煲内胆裂痕',
  text: `您的工单 C-20261124-0042 已解决。请回复 1–5 为本次服务打分（5 = 非常满意），也可以附上意见。${STATUS_LINK}`,
  meta: { via: 'official', kind: 'csat_survey', statusLink: STATUS_LINK },
});

/** An agent's reply: no status link. */
const agentReply = (text = '您好，快递已催促，预计明天送达。'): OutboundMessage => ({
  id: 'ob-9',
  channel: 'wechat',
  to: OPENID,
  ticketNumber: 'C-20261124-0042',
  text,
  meta: { via: 'official' },
});

/** Intercepts template/send once; the posted body is recorded. */
function templateCall(token: string, answer: object = { errcode: 0, errmsg: 'ok', msgid: 200228332 }) {
  const posted: unknown[] = [];
  const scope = nock(API)
    .post('/cgi-bin/message/template/send', (body) => {
      posted.push(body);
      return true;
    })
    .query({ access_token: token })
    .reply(200, answer);
  return { posted, scope };
}

function customServiceCall(token: string, content: string, answer: object = { errcode: 0, errmsg: 'ok' }) {
  return nock(API)
    .post('/cgi-bin/message/custom/send', { touser: OPENID, msgtype: 'text', text: { content } })
    .query({ access_token: token })
    .reply(200, answer);
}

describe('WechatOfficialAdapter: the 48-hour customer-service window and template messages (nock at the WeChat edge)', () => {
  let state: MemoryState;
  let clock: number;
  const adapter = (config: WechatOfficialConfig) => new WechatOfficialAdapter({ config, state, logger: silentLogger, now: () => clock });

  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  beforeEach(async () => {
    state = new MemoryState();
    clock = Date.UTC(2026, 10, 24, 2, 0, 0);
    await state.set<CachedAccessToken>(TOKEN_KEY, { token: 'TOKEN_A', expiresAt: clock + 2 * HOUR });
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every expected WeChat call was made').to.deep.equal([]);
  });

  it('inside the window (last message 47 h ago) sends a customer-service message, even with a template configured', async () => {
    await state.set(lastInteractionKey(OPENID), clock - 47 * HOUR);
    customServiceCall('TOKEN_A', update().text);
    const result = await adapter(withTemplate).send(update());
    expect(result.externalId).to.equal('wechat-cs:ob-7');
  });

  it('outside the window (last message 49 h ago) sends the template message instead: template_id, touser, status link and fields', async () => {
    await state.set(lastInteractionKey(OPENID), clock - 49 * HOUR);
    const api = templateCall('TOKEN_A');
    // No custom/send interceptor: with net connect disabled, trying one would fail the send.
    const result = await adapter(withTemplate).send(update());
    expect(result.externalId).to.equal('wechat-tpl:200228332');
    expect(api.posted).to.deep.equal([
      {
        touser: OPENID,
        template_id: TEMPLATE_ID,
        url: STATUS_LINK,
        client_msg_id: 'outbox-ob-7',
        data: {
          first: { value: '您的工单有新进展' },
          keyword1: { value: 'C-20261124-0042' },
          keyword2: { value: '您的工单 C-20261124-0042 已解决。' },
          remark: { value: '请回复 1–5 为本次服务打分（5 = 非常满意），也可以附上意见。' },
        },
      },
    ]);
  });

  it('the status link in the text is found without meta.statusLink (an acknowledgement), and taken out of the fields', async () => {
    await state.set(lastInteractionKey(OPENID), clock - 72 * HOUR);
    const api = templateCall('TOKEN_A');
    const ack = { ...update('ob-8'), text: `您好，我们已收到您的投诉，工单号 C-20261124-0042。我们会尽快处理。\n${STATUS_LINK}`, meta: { via: 'official' } };
    await adapter(withTemplate).send(ack);
    const body = api.posted[0] as { url: string; data: Record<string, { value: string }> };
    expect(body.url).to.equal(STATUS_LINK);
    expect(body.data.keyword2).to.deep.equal({ value: '您好，我们已收到您的投诉，工单号 C-20261124-0042。' });
    expect(body.data.remark).to.deep.equal({ value: '我们会尽快处理。' });
  });

  it('a message without a status link links to PUBLIC_BASE_URL; an empty field is left out', async () => {
    await state.set(lastInteractionKey(OPENID), clock - 49 * HOUR);
    const api = templateCall('TOKEN_A');
    await adapter(withTemplate).send(agentReply());
    expect(api.posted[0]).to.deep.include({ url: BASE });
    expect((api.posted[0] as { data: object }).data).to.deep.equal({
      first: { value: '您的工单有新进展' },
      keyword1: { value: 'C-20261124-0042' },
      keyword2: { value: '您好，快递已催促，预计明天送达。' },
    });
  });

  for (const code of [45015, 45047]) {
    it(`errcode ${code} from custom/send (no interaction time stored) falls back to the template message`, async () => {
      customServiceCall('TOKEN_A', agentReply().text, { errcode: code, errmsg: 'response out of time limit or subscription is canceled' });
      const api = templateCall('TOKEN_A', { errcode: 0, errmsg: 'ok', msgid: 4242 });
      const result = await adapter(withTemplate).send(agentReply());
      expect(result.externalId).to.equal('wechat-tpl:4242');
      expect(api.posted[0]).to.deep.include({ touser: OPENID, template_id: TEMPLATE_ID, url: BASE });
    });
  }

  it('without a template, outside the window fails for good at once, naming WECHAT_UPDATE_TEMPLATE_ID (no API call)', async () => {
    await state.set(lastInteractionKey(OPENID), clock - 49 * HOUR);
    const err = await adapter(withoutTemplate)
      .send(update())
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('45015');
    expect((err as Error).message)
      .to.contain('49 hours ago')
      .and.contain('48 hours')
      .and.contain('WECHAT_UPDATE_TEMPLATE_ID');
  });

  it('without a template, 45015 from custom/send fails for good naming WECHAT_UPDATE_TEMPLATE_ID', async () => {
    customServiceCall('TOKEN_A', agentReply().text, { errcode: 45015, errmsg: 'response out of time limit' });
    const err = await adapter(withoutTemplate)
      .send(agentReply())
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('45015');
    expect((err as Error).message).to.contain('WECHAT_UPDATE_TEMPLATE_ID');
  });

  it('a template id WeChat does not know (40037) fails for good naming the setting; system busy (-1) is retried', async () => {
    await state.set(lastInteractionKey(OPENID), clock - 49 * HOUR);
    templateCall('TOKEN_A', { errcode: 40037, errmsg: 'invalid template_id' });
    const bad = await adapter(withTemplate)
      .send(update())
      .catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(PermanentDeliveryError);
    expect((bad as PermanentDeliveryError).code).to.equal('40037');
    expect((bad as Error).message).to.contain('WECHAT_UPDATE_TEMPLATE_ID');

    templateCall('TOKEN_A', { errcode: -1, errmsg: 'system error' });
    const busy = await adapter(withTemplate)
      .send(update())
      .catch((e: unknown) => e);
    expect(busy).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);
  });

  it('a rejected access token on template/send is refreshed and the template sent once more', async () => {
    await state.set(lastInteractionKey(OPENID), clock - 49 * HOUR);
    templateCall('TOKEN_A', { errcode: 40001, errmsg: 'invalid credential' });
    nock(API)
      .get('/cgi-bin/token')
      .query({ grant_type: 'client_credential', appid: APP_ID, secret: SECRET })
      .reply(200, { access_token: 'TOKEN_B', expires_in: 7200 });
    const api = templateCall('TOKEN_B');
    await adapter(withTemplate).send(update());
    expect(api.posted).to.have.length(1);
  });

  it('fills a template with typed keys as WECHAT_UPDATE_TEMPLATE_FIELDS maps them, cut to their lengths', async () => {
    const typed = wechatConfigFromEnv({
      WECHAT_TOKEN: 'gatewayToken2024',
      WECHAT_APP_ID: APP_ID,
      WECHAT_APP_SECRET: SECRET,
      WECHAT_UPDATE_TEMPLATE_ID: TEMPLATE_ID,
      WECHAT_UPDATE_TEMPLATE_FIELDS: 'character_string1=ticketNumber, thing2=summary:20，time3=time,thing4=subject:5',
      PUBLIC_BASE_URL: `${BASE}/`,
    })!.officialAccount!;
    await state.set(lastInteractionKey(OPENID), clock - 49 * HOUR);
    const api = templateCall('TOKEN_A');
    await new WechatOfficialAdapter({ config: { ...typed, apiBase: API }, state, logger: silentLogger, now: () => clock }).send(update());
    expect(api.posted[0]).to.deep.include({ url: STATUS_LINK });
    expect((api.posted[0] as { data: object }).data).to.deep.equal({
      character_string1: { value: 'C-20261124-0042' },
      thing2: { value: '您的工单 C-20261124-004…' },
      time3: { value: '2026-11-24 10:00' },
      thing4: { value: '电饭煲内…' },
    });
  });
});

describe('WeChat webhook → adapter: the window is measured from the last push the follower made', () => {
  let journal: ReturnType<typeof journalLikeSink>;
  let server: Awaited<ReturnType<typeof serve>>;
  let state: MemoryState;
  const received = Date.UTC(2026, 10, 24, 2, 0, 0);
  // Stamped at the router's clock (`received`): it refuses pushes more than 5 minutes from it.
  const query = signedPushQuery(TEST_ACCOUNT.token, nowSeconds(received));

  before(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  beforeEach(async () => {
    journal = journalLikeSink();
    state = new MemoryState();
    server = await serve(
      '/webhooks/wechat',
      createWechatRouter({ config: TEST_ACCOUNT, sink: (m) => journal.sink(m), logger: silentLogger, state, now: () => received }),
    );
  });
  afterEach(async () => {
    await server.close();
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every expected WeChat call was made').to.deep.equal([]);
  });

  const event = (Event: string, EventKey?: string) =>
    pushXml({ ToUserName: 'gh_3f1a2b4c5d6e', FromUserName: OPENID, CreateTime: '1732430000', MsgType: 'event', Event, EventKey });

  it('a message, a follow and a menu click record the time of receipt; a menu link, unfollowing and job results do not', async () => {
    for (const [body, counts] of [
      [fixture('text.xml'), true],
      [event('subscribe'), true],
      [event('CLICK', 'COMPLAINT'), true],
      [event('SCAN', '42'), true],
      [event('VIEW', 'https://shop.example.com'), false],
      [event('unsubscribe'), false],
      [event('LOCATION'), false],
      [event('TEMPLATESENDJOBFINISH'), false],
    ] as const) {
      state.data.clear();
      const answer = await postPush(server.url, query, body);
      expect(answer.status).to.equal(200);
      expect(state.data.get(lastInteractionKey(OPENID)), body).to.equal(counts ? received : undefined);
    }
  });

  it('49 hours after the push a reply goes out as a template message, 47 hours after it as a customer-service message', async () => {
    expect((await postPush(server.url, query, fixture('text.xml'))).status).to.equal(200);
    let clock = received + 47 * HOUR;
    await state.set<CachedAccessToken>(TOKEN_KEY, { token: 'TOKEN_A', expiresAt: clock + 100 * HOUR });
    const official = new WechatOfficialAdapter({ config: withTemplate, state, logger: silentLogger, now: () => clock });

    customServiceCall('TOKEN_A', agentReply().text);
    expect((await official.send(agentReply())).externalId).to.equal('wechat-cs:ob-9');

    clock = received + 49 * HOUR;
    const api = templateCall('TOKEN_A');
    expect((await official.send(agentReply())).externalId).to.equal('wechat-tpl:200228332');
    expect(api.posted[0]).to.deep.include({ touser: OPENID, template_id: TEMPLATE_ID, url: BASE });
  });
});
