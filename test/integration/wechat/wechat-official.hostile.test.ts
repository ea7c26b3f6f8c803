import { expect } from 'chai';
import { createWechatRouter } from '../../../adapters/wechat/wechat-official.router.js';
import {
  TEST_ACCOUNT,
  encryptedPush,
  journalLikeSink,
  nowSeconds,
  postPush,
  pushXml,
  serve,
  sha1Sorted,
  signedPushQuery,
  silentLogger,
  specEncrypt,
} from './wechat-harness.js';

const OPENID = 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB';
const text = (overrides: Record<string, string | undefined> = {}) =>
  pushXml({
    ToUserName: 'gh_3f1a2b4c5d6e',
    FromUserName: OPENID,
    CreateTime: '1732430000',
    MsgType: 'text',
    Content: '电饭煲内胆有裂痕，要求退款',
    MsgId: '7441234567890123434',
    ...overrides,
  });

/** What only an error path would show: parser wording, stack frames, library names. */
const LEAK = /fast-xml-parser|not expected|:\d+:\d+|\bat \w+ \(|node_modules|Error:|Unclosed|Invalid|entity|CDATA/i;

/**
 * Issue 16 item 2: over-long fields used to reach intake, whose limits answered 500; bodies
 * that are not WeChat XML echoed the parser's message. Each is now refused with a 4xx that
 * names no internals, or truncated and kept.
 */
describe('WeChat Official Account: hostile and over-long pushes (real express server)', () => {
  let journal: ReturnType<typeof journalLikeSink>;
  let server: Awaited<ReturnType<typeof serve>>;
  // Signed afresh for each test: the router refuses a push stamped more than 5 minutes ago.
  let query: string;
  beforeEach(() => {
    query = signedPushQuery(TEST_ACCOUNT.token);
  });

  beforeEach(async () => {
    journal = journalLikeSink();
    server = await serve('/webhooks/wechat', createWechatRouter({ config: TEST_ACCOUNT, sink: (m) => journal.sink(m), logger: silentLogger }));
  });
  afterEach(() => server.close());

  const refusedIdentities: Array<[string, Record<string, string>]> = [
    ['a 10,000-character FromUserName', { FromUserName: 'o'.repeat(10_000) }],
    ['a FromUserName that is no openid', { FromUserName: "o'; drop table tickets; --" }],
    ['a 1,000-character ToUserName', { ToUserName: 'gh_'.repeat(333) }],
    ['a 600-digit MsgId', { MsgId: '7'.repeat(600) }],
    ['a MsgId that is not a number', { MsgId: 'abc def' }],
    ['a 5,000-character MsgType', { MsgType: 'text'.repeat(1250) }],
    ['a CreateTime that is not a time', { CreateTime: '1'.repeat(400) }],
  ];
  for (const [what, fields] of refusedIdentities) {
    it(`${what} is refused with 400 and nothing is journaled`, async () => {
      const answer = await postPush(server.url, query, text(fields));
      expect(answer.status).to.equal(400);
      expect(answer.text).not.to.match(LEAK);
      expect(journal.calls).to.equal(0);
    });
  }

  it('an over-long Content is truncated, journaled and marked, not answered 500', async () => {
    const answer = await postPush(server.url, query, text({ Content: '漏水'.repeat(15_000) }));
    expect(answer).to.include({ status: 200, text: 'success' });
    expect(journal.rows).to.have.length(1);
    const row = journal.rows[0];
    expect(row.text.length).to.be.at.most(20_000);
    expect(row.text.startsWith('漏水漏水')).to.equal(true);
    expect(row.text.endsWith('…')).to.equal(true);
    expect(row.meta.truncated).to.deep.equal(['Content']);
  });

  it('an over-long Recognition is truncated; an over-long MediaId is dropped, the voice message kept', async () => {
    const voice = pushXml({
      ToUserName: 'gh_3f1a2b4c5d6e',
      FromUserName: OPENID,
      CreateTime: '1732430060',
      MsgType: 'voice',
      MediaId: 'M'.repeat(5000),
      Format: 'amr',
      Recognition: '快递没到'.repeat(3000),
      MsgId: '7441234567890123435',
    });
    expect(await postPush(server.url, query, voice)).to.include({ status: 200, text: 'success' });
    const row = journal.rows[0];
    expect(row.text.length).to.be.at.most(5000);
    expect(row.attachments).to.deep.equal([]);
    expect(row.meta.truncated).to.deep.equal(['Recognition']);
  });

  it('an image whose PicUrl is over-long or not http(s) keeps its MediaId as the reference', async () => {
    for (const PicUrl of [`http://mmbiz.qpic.cn/${'a'.repeat(10_000)}`, 'javascript:alert(1)']) {
      const image = pushXml({
        ToUserName: 'gh_3f1a2b4c5d6e',
        FromUserName: OPENID,
        CreateTime: '1732430120',
        MsgType: 'image',
        PicUrl,
        MediaId: 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba7Zy6Xw5Vu4',
        MsgId: `74412345678901234${PicUrl.length % 100}`,
      });
      expect(await postPush(server.url, query, image)).to.include({ status: 200, text: 'success' });
    }
    expect(journal.rows.map((r) => r.attachments[0]?.ref)).to.deep.equal([
      'wechat-media:Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba7Zy6Xw5Vu4',
      'wechat-media:Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8Ba7Zy6Xw5Vu4',
    ]);
  });

  it('a CreateTime far in the future is journaled at the time of receipt (a Date would overflow)', async () => {
    const before = Date.now();
    expect(await postPush(server.url, query, text({ CreateTime: '99999999999999' }))).to.include({ status: 200, text: 'success' });
    const at = Date.parse(journal.rows[0].receivedAt);
    expect(at).to.be.within(before - 1000, Date.now() + 1000);
  });

  it('control characters in the text are removed before the journal, the words kept', async () => {
    expect(await postPush(server.url, query, text({ Content: '内胆\u0000裂\u0007痕\u001b[31m' }))).to.include({ status: 200 });
    expect(journal.rows[0].text).to.equal('内胆裂痕[31m');
  });

  const badBodies: Array<[string, string]> = [
    ['plain words', 'hello, this is not XML'],
    ['JSON', '{"MsgType":"text"}'],
    ['broken XML', '<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Content>'],
    [
      'a billion-laughs DTD',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><Content>&lol2;</Content></xml>',
    ],
    ['an external entity (XXE)', '<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Content>&xxe;</Content></xml>'],
    ['a DTD hidden after the root element opens', `<xml><!DOCTYPE x [<!ENTITY a "bbbb">]>${text().slice(5)}`],
    ['two root elements', `${text()}${text()}`],
    ['a reserved tag name', '<xml><__proto__>x</__proto__></xml>'],
    ['deep nesting', `<xml>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</xml>`],
  ];
  for (const [what, body] of badBodies) {
    it(`a signed body that is ${what} gets 400 without parser text`, async () => {
      const answer = await postPush(server.url, query, body);
      expect(answer.status).to.equal(400);
      expect(answer.text).not.to.match(LEAK);
      expect(journal.calls).to.equal(0);
    });
  }

  it('a DOCTYPE quoted inside a customer text (CDATA) is not mistaken for a DTD', async () => {
    expect(await postPush(server.url, query, text({ Content: '网页显示 <!DOCTYPE html> 然后白屏' }))).to.include({ status: 200, text: 'success' });
    expect(journal.rows[0].text).to.equal('网页显示 <!DOCTYPE html> 然后白屏');
  });

  it('a huge body is refused with 413 before it is parsed', async () => {
    const answer = await postPush(server.url, query, text({ Content: 'x'.repeat(1_000_000) }));
    expect(answer.status).to.equal(413);
    expect(answer.text).not.to.match(LEAK);
  });

  it('a body in a charset we cannot read, or compressed, gets a 4xx without internals', async () => {
    const charset = await postPush(server.url, query, text(), 'text/xml; charset=ebcdic-x');
    expect(charset.status).to.equal(415);
    const gz = await fetch(`${server.url}?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml', 'content-encoding': 'gzip' }, body: 'not gzip' });
    expect(gz.status).to.be.within(400, 499);
    for (const t of [charset.text, await gz.text()]) expect(t).not.to.match(LEAK);
  });

  describe('safe mode', () => {
    function signedEncrypt(encrypt: string) {
      const timestamp = nowSeconds();
      const nonce = '1507287364';
      const q = new URLSearchParams({
        timestamp,
        nonce,
        encrypt_type: 'aes',
        signature: sha1Sorted(TEST_ACCOUNT.token, timestamp, nonce),
        msg_signature: sha1Sorted(TEST_ACCOUNT.token, timestamp, nonce, encrypt),
      }).toString();
      return { q, body: `<xml><ToUserName><![CDATA[gh_3f1a2b4c5d6e]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` };
    }

    const undecryptable: Array<[string, string]> = [
      ['not base64 at all', '%%%%'],
      ['base64 of a length AES cannot have', Buffer.from('x'.repeat(33)).toString('base64')],
      ['random blocks (bad padding)', Buffer.alloc(64, 7).toString('base64')],
      ['a message length beyond the payload', specEncrypt(TEST_ACCOUNT.aesKey, TEST_ACCOUNT.appId, '').replace(/^.{4}/, 'AAAA')],
    ];
    for (const [what, encrypt] of undecryptable) {
      it(`a correctly signed Encrypt that is ${what} gets 400 without internals`, async () => {
        const { q, body } = signedEncrypt(encrypt);
        const answer = await postPush(server.url, q, body);
        expect(answer.status).to.equal(400);
        expect(answer.text).not.to.match(LEAK);
        expect(journal.calls).to.equal(0);
      });
    }

    it('an encrypted payload that is not XML gets 400', async () => {
      const { q, body } = signedEncrypt(specEncrypt(TEST_ACCOUNT.aesKey, TEST_ACCOUNT.appId, 'plain words'));
      expect((await postPush(server.url, q, body)).status).to.equal(400);
    });

    it('an encrypted push with over-long fields gets the same answers as in plaintext', async () => {
      const long = encryptedPush(TEST_ACCOUNT, text({ FromUserName: 'o'.repeat(10_000) }));
      expect((await postPush(server.url, long.query, long.body)).status).to.equal(400);
      const truncated = encryptedPush(TEST_ACCOUNT, text({ Content: '漏'.repeat(30_000) }));
      expect(await postPush(server.url, truncated.query, truncated.body)).to.include({ status: 200, text: 'success' });
      expect(journal.rows[0].meta.truncated).to.deep.equal(['Content']);
    });

    it('without Encrypt, or with a bad msg_signature, the push gets 401 before decryption', async () => {
      const push = encryptedPush(TEST_ACCOUNT, text());
      expect((await postPush(server.url, push.query, '<xml><ToUserName>gh_x</ToUserName></xml>')).status).to.equal(401);
      const forged = push.query.replace(/msg_signature=[0-9a-f]+/, `msg_signature=${'0'.repeat(40)}`);
      expect((await postPush(server.url, forged, push.body)).status).to.equal(401);
      expect(journal.calls).to.equal(0);
    });
  });
});
