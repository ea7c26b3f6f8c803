import { expect } from 'chai';
import nock from 'nock';
import type { WechatOfficialConfig } from '../../../config/channels/wechat.schema.js';
import { PermanentDeliveryError, type OutboundMessage } from '../../../adapters/types.js';
import type { AdapterStateStore } from '../../../contracts/adapter-state.js';
import { WechatOfficialAdapter, type CachedAccessToken } from '../../../adapters/wechat/wechat-official.adapter.js';
import { silentLogger } from './wechat-harness.js';

const API = 'https://api.weixin.qq.com';
const APP_ID = 'wx1234567890abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';
const OPENID = 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB';
const TOKEN_KEY = `wechat:official:${APP_ID}:access_token`;
const config: WechatOfficialConfig = { token: 'gatewayToken2024', appId: APP_ID, appSecret: SECRET, apiBase: API, complaintMenuKeys: [] };

/** The adapter-state fake: an in-memory key-value store with the real one's contract. */
class MemoryState implements AdapterStateStore {
  readonly data = new Map<string, unknown>();
  async get<T>(key: string) {
    return this.data.get(key) as T | undefined;
  }
  async set<T>(key: string, value: T) {
    this.data.set(key, structuredClone(value));
  }
}

const reply = (text: string, id = 'ob-1'): OutboundMessage => ({
  id,
  channel: 'wechat',
  to: OPENID,
  ticketNumber: 'C-20261124-0042',
  text,
  meta: { via: 'official' },
});

function tokenCall(token: string, expiresIn = 7200) {
  return nock(API)
    .get('/cgi-bin/token')
    .query({ grant_type: 'client_credential', appid: APP_ID, secret: SECRET })
    .reply(200, { access_token: token, expires_in: expiresIn });
}

function sendCall(token: string, content: string, answer: object = { errcode: 0, errmsg: 'ok' }) {
  return nock(API)
    .post('/cgi-bin/message/custom/send', { touser: OPENID, msgtype: 'text', text: { content } })
    .query({ access_token: token })
    .reply(200, answer);
}

describe('WechatOfficialAdapter: customer-service message API (nock at the WeChat edge)', () => {
  let state: MemoryState;
  let clock: number;
  let adapter: WechatOfficialAdapter;

  before(() => nock.disableNetConnect());
  after(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  beforeEach(() => {
    state = new MemoryState();
    clock = Date.UTC(2026, 10, 24, 2, 0, 0);
    adapter = new WechatOfficialAdapter({ config, state, logger: silentLogger, now: () => clock });
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'every expected WeChat call was made').to.deep.equal([]);
  });

  it('fetches an access token, caches it, and posts the exact text payload', async () => {
    let contentType: string | undefined;
    tokenCall('TOKEN_A');
    nock(API)
      .post('/cgi-bin/message/custom/send', { touser: OPENID, msgtype: 'text', text: { content: '您好，工单 C-20261124-0042 已为您办理退款。' } })
      .query({ access_token: 'TOKEN_A' })
      .reply(function () {
        contentType = this.req.headers['content-type'] as string;
        return [200, { errcode: 0, errmsg: 'ok' }];
      });
    const result = await adapter.send(reply('您好，工单 C-20261124-0042 已为您办理退款。'));
    expect(result.externalId).to.equal('wechat-cs:ob-1');
    expect(contentType).to.equal('application/json; charset=utf-8');
    expect(state.data.get(TOKEN_KEY)).to.deep.equal({ token: 'TOKEN_A', expiresAt: clock + 7200_000 });
    expect(await adapter.health()).to.deep.equal({ status: 'up' });
  });

  it('reuses the cached token, and refreshes it 5 minutes before it expires', async () => {
    tokenCall('TOKEN_A');
    sendCall('TOKEN_A', 'one');
    sendCall('TOKEN_A', 'two');
    await adapter.send(reply('one'));
    clock += 60 * 60_000;
    await adapter.send(reply('two'));

    clock += 56 * 60_000; // 116 min after the fetch: inside the 5-minute margin of 120
    tokenCall('TOKEN_B');
    sendCall('TOKEN_B', 'three');
    await adapter.send(reply('three'));
    expect((state.data.get(TOKEN_KEY) as CachedAccessToken).token).to.equal('TOKEN_B');
  });

  it('uses a token another gateway process cached in the shared state', async () => {
    await state.set<CachedAccessToken>(TOKEN_KEY, { token: 'SHARED', expiresAt: clock + 3600_000 });
    sendCall('SHARED', 'hi');
    await adapter.send(reply('hi'));
  });

  for (const code of [40001, 42001]) {
    it(`on errcode ${code} fetches a new token and retries once`, async () => {
      await state.set<CachedAccessToken>(TOKEN_KEY, { token: 'STALE', expiresAt: clock + 3600_000 });
      sendCall('STALE', '请提供订单号', { errcode: code, errmsg: 'invalid credential' });
      tokenCall('FRESH');
      sendCall('FRESH', '请提供订单号');
      await adapter.send(reply('请提供订单号'));
      expect((state.data.get(TOKEN_KEY) as CachedAccessToken).token).to.equal('FRESH');
    });
  }

  it('gives up after one token retry with a retryable error', async () => {
    tokenCall('T1');
    sendCall('T1', 'x', { errcode: 40001, errmsg: 'invalid credential' });
    tokenCall('T2');
    sendCall('T2', 'x', { errcode: 40001, errmsg: 'invalid credential' });
    const err = await adapter.send(reply('x')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(err).not.to.be.instanceOf(PermanentDeliveryError);
  });

  const permanent: Array<[number, RegExp]> = [
    [45015, /48 hours/],
    [45047, /20 customer-service messages/],
    [40003, /openid/],
  ];
  for (const [code, wording] of permanent) {
    it(`errcode ${code} is a PermanentDeliveryError carrying the code (becomes a ticket event)`, async () => {
      tokenCall('TOKEN_A');
      sendCall('TOKEN_A', '您好', { errcode: code, errmsg: 'refused' });
      const err = await adapter.send(reply('您好')).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(PermanentDeliveryError);
      expect((err as PermanentDeliveryError).code).to.equal(String(code));
      expect((err as Error).message).to.match(wording);
      if (code !== 40003) expect((err as Error).message, 'names the setting that would help').to.contain('WECHAT_UPDATE_TEMPLATE_ID');
    });
  }

  it('system busy (-1) and HTTP 5xx are ordinary errors the outbox retries', async () => {
    tokenCall('TOKEN_A');
    sendCall('TOKEN_A', 'a', { errcode: -1, errmsg: 'system error' });
    const busy = await adapter.send(reply('a')).catch((e: unknown) => e);
    expect(busy).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);

    nock(API).post('/cgi-bin/message/custom/send').query(true).reply(502, 'Bad Gateway');
    const http = await adapter.send(reply('a')).catch((e: unknown) => e);
    expect(http).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);
    expect((http as Error).message).to.contain('502');
  });

  it('concurrent sends share one token fetch', async () => {
    tokenCall('TOKEN_A');
    for (const t of ['a', 'b', 'c']) sendCall('TOKEN_A', t);
    await Promise.all(['a', 'b', 'c'].map((t, i) => adapter.send(reply(t, `ob-${i}`))));
  });

  it('splits a long reply into parts within the limit and, after a failure, resends only the missing parts', async () => {
    const sentence = '您反馈的电饭煲内胆裂痕问题，我们已联系仓库核实并安排换货。';
    const text = sentence.repeat(40); // ~3.5 KB in UTF-8
    const n = Math.floor(2000 / Buffer.byteLength(sentence)); // whole sentences that fit in 2000 bytes
    const parts = [sentence.repeat(n), sentence.repeat(40 - n)];
    expect(Buffer.byteLength(parts[0])).to.be.at.most(2000);
    expect(Buffer.byteLength(parts[1])).to.be.at.most(2000);

    tokenCall('TOKEN_A');
    sendCall('TOKEN_A', parts[0]);
    sendCall('TOKEN_A', parts[1], { errcode: -1, errmsg: 'system error' });
    await adapter.send(reply(text, 'ob-long')).catch(() => undefined);

    sendCall('TOKEN_A', parts[1]);
    await adapter.send(reply(text, 'ob-long'));
  });

  it('a refused token request (bad AppSecret) is retryable and makes health "down"', async () => {
    nock(API).get('/cgi-bin/token').query(true).reply(200, { errcode: 40125, errmsg: 'invalid appsecret' });
    const err = await adapter.send(reply('x')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error).and.not.instanceOf(PermanentDeliveryError);
    const health = await adapter.health();
    expect(health.status).to.equal('down');
    expect(health.detail).to.contain('40125');
  });

  it('without AppSecret, replies fail permanently with a clear reason and health says receiving only', async () => {
    const receiveOnly = new WechatOfficialAdapter({ config: { ...config, appSecret: undefined }, state, logger: silentLogger });
    const err = await receiveOnly.send(reply('x')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('not_configured');
    expect((await receiveOnly.health()).status).to.equal('degraded');
  });
});
