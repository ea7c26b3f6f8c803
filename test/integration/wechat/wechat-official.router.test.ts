import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { WechatOfficialConfig } from '../../../config/channels/wechat.schema.js';
import type { InboundMessage } from '../../../adapters/types.js';
import { createWechatRouter } from '../../../adapters/wechat/wechat-official.router.js';
import { fixture, journalLikeSink, nowSeconds, serve, sha1Sorted, silentLogger, specDecrypt, specEncrypt } from './wechat-harness.js';

const TOKEN = 'gatewayToken2024';
const AES_KEY = 'kWxPEV2UEDyw2Q9QY5zJFLYlSv6oW1E3hT6Y5R9gZ8w';
const APP_ID = 'wx1234567890abcdef';
const config: WechatOfficialConfig = { token: TOKEN, aesKey: AES_KEY, appId: APP_ID, apiBase: 'https://api.weixin.qq.com', complaintMenuKeys: ['COMPLAINT'] };
const xmlParser = new XMLParser({ parseTagValue: false });

function signedQuery(extra: Record<string, string> = {}, token = TOKEN, timestamp = nowSeconds()): string {
  const nonce = '884512337';
  return new URLSearchParams({ signature: sha1Sorted(token, timestamp, nonce), timestamp, nonce, openid: 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB', ...extra }).toString();
}

function post(url: string, query: string, body: string) {
  return fetch(`${url}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
}

describe('WeChat Official Account webhook (real express server)', () => {
  let journal: ReturnType<typeof journalLikeSink>;
  let server: Awaited<ReturnType<typeof serve>>;
  let answerNow: ((m: InboundMessage) => Promise<string | undefined>) | undefined;

  beforeEach(async () => {
    journal = journalLikeSink();
    answerNow = undefined;
    const router = createWechatRouter({
      config,
      sink: (m) => journal.sink(m),
      logger: silentLogger,
      answerNow: (m) => (answerNow ? answerNow(m) : Promise.resolve(undefined)),
      answerTimeoutMs: 300,
    });
    server = await serve('/webhooks/wechat', router);
  });
  afterEach(() => server.close());

  describe('server URL check (GET)', () => {
    it('echoes echostr when the signature is good', async () => {
      const res = await fetch(`${server.url}?${signedQuery({ echostr: '7391842237651984' })}`);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.equal('7391842237651984');
    });

    it('answers 401 to a forged check', async () => {
      const res = await fetch(`${server.url}?${signedQuery({ echostr: '1' }, 'wrongToken')}`);
      expect(res.status).to.equal(401);
    });
  });

  describe('plaintext pushes', () => {
    // Everything a customer says (text, voice, pictures, places) is journaled; events are not (see below).
    const cases: Array<[string, string, string]> = [
      ['text.xml', '7441234567890123434', 'text'],
      ['voice.xml', '7441234567890123435', 'voice'],
      ['voice-no-recognition.xml', '7441234567890123436', 'voice'],
      ['image.xml', '7441234567890123437', 'image'],
      ['location.xml', '7441234567890123438', 'location'],
    ];
    for (const [file, externalId, msgType] of cases) {
      it(`${file}: answers "success" and journals ${msgType} ${externalId}`, async () => {
        const res = await post(server.url, signedQuery(), fixture(file));
        expect(res.status).to.equal(200);
        expect(await res.text()).to.equal('success');
        expect(journal.rows).to.have.length(1);
        expect(journal.rows[0]).to.deep.include({ channel: 'wechat', externalId });
        expect(journal.rows[0].meta).to.include({ via: 'official', msgType, encrypted: false });
      });
    }

    it('answers 401 to a forged push and journals nothing', async () => {
      const forged = await post(server.url, signedQuery({}, 'guessedToken'), fixture('text.xml'));
      expect(forged.status).to.equal(401);
      const unsigned = await post(server.url, 'timestamp=1&nonce=2', fixture('text.xml'));
      expect(unsigned.status).to.equal(401);
      expect(journal.calls).to.equal(0);
    });

    it('refuses a correctly signed push stamped more than 5 minutes ago (a replay), and one from over 5 minutes ahead', async () => {
      const now = Date.now();
      const sixMinutesAgo = nowSeconds(now - 6 * 60_000);
      const replay = await post(server.url, signedQuery({}, TOKEN, sixMinutesAgo), fixture('text.xml'));
      expect(replay.status).to.equal(401);
      expect(await replay.text()).to.equal('stale timestamp');
      const ahead = await post(server.url, signedQuery({}, TOKEN, nowSeconds(now + 6 * 60_000)), fixture('text.xml'));
      expect(ahead.status).to.equal(401);
      expect(journal.calls, 'nothing journaled').to.equal(0);
      // The same push stamped four minutes ago is still WeChat's (its retries come within 15 s).
      const recent = await post(server.url, signedQuery({}, TOKEN, nowSeconds(now - 4 * 60_000)), fixture('text.xml'));
      expect(recent.status).to.equal(200);
      expect(await recent.text()).to.equal('success');
      expect(journal.rows).to.have.length(1);
    });

    it('refuses a safe-mode push replayed after 5 minutes, though both its signatures are valid', async () => {
      const encrypt = specEncrypt(AES_KEY, APP_ID, fixture('text.xml'));
      const timestamp = nowSeconds(Date.now() - 5 * 60_000 - 10_000);
      const nonce = '1507287364';
      const query = new URLSearchParams({
        signature: sha1Sorted(TOKEN, timestamp, nonce),
        timestamp,
        nonce,
        encrypt_type: 'aes',
        msg_signature: sha1Sorted(TOKEN, timestamp, nonce, encrypt),
      }).toString();
      const res = await post(server.url, query, `<xml><ToUserName><![CDATA[gh_3f1a2b4c5d6e]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`);
      expect(res.status).to.equal(401);
      expect(journal.calls).to.equal(0);
    });

    it('answers 400 to a signed push that is not WeChat XML', async () => {
      const res = await post(server.url, signedQuery(), '<xml><MsgType>text</MsgType></xml>');
      expect(res.status).to.equal(400);
      expect(journal.calls).to.equal(0);
    });

    it('a forged push is refused before its body is parsed: garbage gets 401, not a parser error', async () => {
      const res = await post(server.url, 'timestamp=1&nonce=2&signature=00', '<xml><<<&&&');
      expect(res.status).to.equal(401);
      expect(await res.text()).to.equal('bad signature');
    });

    it("WeChat's three retries of one push are no-ops: one journal row, every attempt answered", async () => {
      const attempts = await Promise.all([0, 1, 2, 3].map(() => post(server.url, signedQuery(), fixture('text.xml'))));
      for (const res of attempts) {
        expect(res.status).to.equal(200);
        expect(await res.text()).to.equal('success');
      }
      expect(journal.calls).to.equal(4);
      expect(journal.rows).to.have.length(1);
    });

    it('answers 500 when the journal append fails, so WeChat retries, and the retry is journaled', async () => {
      journal.failNext = 1;
      const first = await post(server.url, signedQuery(), fixture('text.xml'));
      expect(first.status).to.equal(500);
      const retry = await post(server.url, signedQuery(), fixture('text.xml'));
      expect(await retry.text()).to.equal('success');
      expect(journal.rows).to.have.length(1);
    });
  });

  describe('safe mode (encrypt_type=aes)', () => {
    function encryptedPush(innerXml: string, appId = APP_ID) {
      const encrypt = specEncrypt(AES_KEY, appId, innerXml);
      const timestamp = nowSeconds();
      const nonce = '1507287364';
      const query = new URLSearchParams({
        signature: sha1Sorted(TOKEN, timestamp, nonce),
        timestamp,
        nonce,
        encrypt_type: 'aes',
        msg_signature: sha1Sorted(TOKEN, timestamp, nonce, encrypt),
      }).toString();
      const body = `<xml><ToUserName><![CDATA[gh_3f1a2b4c5d6e]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
      return { query, body, timestamp, nonce };
    }

    it('decrypts a push encrypted with node:crypto per the spec and journals the message', async () => {
      const { query, body } = encryptedPush(fixture('text.xml'));
      const res = await post(server.url, query, body);
      expect(await res.text()).to.equal('success');
      expect(journal.rows).to.have.length(1);
      expect(journal.rows[0].externalId).to.equal('7441234567890123434');
      expect(journal.rows[0].text).to.contain('包装破损');
      expect(journal.rows[0].meta).to.include({ encrypted: true });
    });

    it('answers 401 when msg_signature does not cover the Encrypt body', async () => {
      const { query } = encryptedPush(fixture('text.xml'));
      const other = encryptedPush(fixture('voice.xml'));
      const res = await post(server.url, query, other.body);
      expect(res.status).to.equal(401);
      expect(journal.calls).to.equal(0);
    });

    it('answers 400 to a push encrypted for another AppID', async () => {
      const { query, body } = encryptedPush(fixture('text.xml'), 'wx9999999999999999');
      const res = await post(server.url, query, body);
      expect(res.status).to.equal(400);
      expect(journal.calls).to.equal(0);
    });

    it('encrypts the passive reply: valid MsgSignature, decryptable, for our AppID', async () => {
      answerNow = async (m) => (m.text.includes('包装破损') ? '抱歉给您带来不便，已为您登记，客服将在 2 小时内联系您。' : undefined);
      const { query, body, nonce } = encryptedPush(fixture('text.xml'));
      const res = await post(server.url, query, body);
      expect(res.headers.get('content-type')).to.match(/xml/);
      const envelope = xmlParser.parse(await res.text()).xml as Record<string, string>;
      expect(envelope.MsgSignature).to.equal(sha1Sorted(TOKEN, envelope.TimeStamp, envelope.Nonce, envelope.Encrypt));
      expect(envelope.Nonce).to.equal(nonce);
      const { message, appId } = specDecrypt(AES_KEY, envelope.Encrypt);
      expect(appId).to.equal(APP_ID);
      const reply = xmlParser.parse(message).xml as Record<string, string>;
      expect(reply).to.include({
        ToUserName: 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB',
        FromUserName: 'gh_3f1a2b4c5d6e',
        MsgType: 'text',
        Content: '抱歉给您带来不便，已为您登记，客服将在 2 小时内联系您。',
      });
    });

    it('reads the published WXBizMsgCrypt sample (compatible mode: plaintext and Encrypt side by side)', async () => {
      const v = JSON.parse(fixture('published-vector.json')) as Record<string, string>;
      const published = createWechatRouter({
        config: { token: v.token, aesKey: v.aesKey, appId: v.appId, apiBase: 'https://api.weixin.qq.com', complaintMenuKeys: [] },
        sink: (m) => journal.sink(m),
        logger: silentLogger,
        // The sample was signed in 2014: the router's clock is set to its timestamp, or it would be refused as a replay.
        now: () => Number(v.timestamp) * 1000,
      });
      const s = await serve('/webhooks/wechat', published);
      try {
        const body =
          '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>' +
          '<CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content>' +
          `<MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[${v.encrypt}]]></Encrypt></xml>`;
        const query = new URLSearchParams({ timestamp: v.timestamp, nonce: v.nonce, encrypt_type: 'aes', msg_signature: v.msgSignature }).toString();
        const res = await post(s.url, query, body);
        expect(await res.text()).to.equal('success');
        expect(journal.rows).to.have.length(1);
        expect(journal.rows[0]).to.deep.include({ externalId: '6054768590064713728', text: 'abcdteT', from: { address: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs' } });
      } finally {
        await s.close();
      }
    });
  });

  describe('passive replies', () => {
    it('answers a FAQ at once with a text reply XML and records it on the journaled message', async () => {
      answerNow = async () => '发票可在订单详情页“申请开票”中自助开具。';
      const res = await post(server.url, signedQuery(), fixture('text.xml'));
      const reply = xmlParser.parse(await res.text()).xml as Record<string, string>;
      expect(reply).to.include({
        ToUserName: 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB',
        FromUserName: 'gh_3f1a2b4c5d6e',
        MsgType: 'text',
        Content: '发票可在订单详情页“申请开票”中自助开具。',
      });
      expect(journal.rows[0].meta.passiveReply).to.equal('发票可在订单详情页“申请开票”中自助开具。');
    });

    it('answers "success" when no answer is ready in time, and journals without passiveReply', async () => {
      answerNow = () => new Promise((resolve) => setTimeout(() => resolve('too late'), 2000));
      const started = Date.now();
      const res = await post(server.url, signedQuery(), fixture('text.xml'));
      expect(await res.text()).to.equal('success');
      expect(Date.now() - started).to.be.below(1500);
      expect(journal.rows[0].meta).not.to.have.property('passiveReply');
    });

    it('answers "success" when answerNow fails', async () => {
      answerNow = async () => {
        throw new Error('faq index not loaded');
      };
      const res = await post(server.url, signedQuery(), fixture('text.xml'));
      expect(await res.text()).to.equal('success');
      expect(journal.rows).to.have.length(1);
    });
  });
});
