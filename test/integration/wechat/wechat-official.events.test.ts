import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { createWechatRouter } from '../../../adapters/wechat/wechat-official.router.js';
import { WECHAT_PROMPTS } from '../../../adapters/wechat/wechat-prompts.js';
import { BadRequestError } from '../../../gateway/errors.js';
import {
  TEST_ACCOUNT,
  encryptedPush,
  fixture,
  journalLikeSink,
  postPush,
  pushXml,
  serve,
  signedPushQuery,
  silentLogger,
  specDecrypt,
} from './wechat-harness.js';

const xmlParser = new XMLParser({ parseTagValue: false });
const OPENID = 'oVx9k5Tq2m3L4n5P6q7R8s9T0uAB';
const zh = WECHAT_PROMPTS['zh-CN'];

/** The passive text reply WeChat shows the customer, or a failure naming what came back instead. */
function passiveReply(answer: { status: number; contentType: string; text: string }): Record<string, string> {
  expect(answer.status, answer.text).to.equal(200);
  expect(answer.contentType).to.match(/xml/);
  return xmlParser.parse(answer.text).xml as Record<string, string>;
}

/**
 * Issue 16 item 1: menu clicks, follows and empty texts carry nothing intake can file, and
 * used to be answered 500 (WeChat retried three times, then told the customer the account
 * was out of service). Each now gets what a helpdesk would do at once, and no ticket.
 */
describe('WeChat Official Account: events and pushes without content (real express server)', () => {
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

  it('a click on the complaint menu is answered at once with how to describe the complaint, and opens no ticket', async () => {
    const reply = passiveReply(await postPush(server.url, query, fixture('event-click-complaint.xml')));
    expect(reply).to.include({ ToUserName: OPENID, FromUserName: 'gh_3f1a2b4c5d6e', MsgType: 'text', Content: zh.describeComplaint });
    expect(reply.Content).to.match(/描述/);
    expect(journal.calls).to.equal(0);
  });

  it('every configured complaint menu key gets the prompt, not only the first', async () => {
    const s = await serve(
      '/webhooks/wechat',
      createWechatRouter({ config: { ...TEST_ACCOUNT, complaintMenuKeys: ['COMPLAINT', '联系客服'] }, sink: journal.sink, logger: silentLogger }),
    );
    try {
      const click = pushXml({
        ToUserName: 'gh_3f1a2b4c5d6e',
        FromUserName: OPENID,
        CreateTime: '1732430301',
        MsgType: 'event',
        Event: 'CLICK',
        EventKey: '联系客服',
      });
      expect(passiveReply(await postPush(s.url, query, click)).Content).to.equal(zh.describeComplaint);
    } finally {
      await s.close();
    }
  });

  for (const file of ['event-subscribe.xml', 'event-subscribe-qrscene.xml']) {
    it(`a new follower (${file}) is welcomed with a passive reply that says how to complain`, async () => {
      const reply = passiveReply(await postPush(server.url, query, fixture(file)));
      expect(reply.MsgType).to.equal('text');
      expect(reply.Content).to.equal(zh.welcome);
      expect(reply.Content).to.match(/欢迎/);
      expect(journal.calls).to.equal(0);
    });
  }

  for (const file of [
    'event-unsubscribe.xml',
    'event-view.xml',
    'event-scan.xml',
    'event-location.xml',
    'event-templatesendjobfinish.xml',
    'event-click-promo.xml',
  ]) {
    it(`${file} is acknowledged with "success" and deliberately not journaled`, async () => {
      const answer = await postPush(server.url, query, fixture(file));
      expect(answer).to.include({ status: 200, text: 'success' });
      expect(journal.calls).to.equal(0);
    });
  }

  it('an event WeChat may add later is acknowledged, not failed', async () => {
    const push = pushXml({
      ToUserName: 'gh_3f1a2b4c5d6e',
      FromUserName: OPENID,
      CreateTime: '1732430400',
      MsgType: 'event',
      Event: 'user_authorization_revoke',
    });
    expect(await postPush(server.url, query, push)).to.include({ status: 200, text: 'success' });
    expect(journal.calls).to.equal(0);
  });

  it('a blank text (spaces, a full-width space) is answered with a short prompt instead of failing', async () => {
    const reply = passiveReply(await postPush(server.url, query, fixture('text-blank.xml')));
    expect(reply).to.include({ ToUserName: OPENID, MsgType: 'text', Content: zh.emptyMessage });
    expect(journal.calls).to.equal(0);
  });

  it('an empty Content element, or none at all, gets the same prompt', async () => {
    for (const Content of ['', undefined]) {
      const push = pushXml({
        ToUserName: 'gh_3f1a2b4c5d6e',
        FromUserName: OPENID,
        CreateTime: '1732430011',
        MsgType: 'text',
        Content,
        MsgId: '7441234567890123440',
      });
      expect(passiveReply(await postPush(server.url, query, push)).Content).to.equal(zh.emptyMessage);
    }
    expect(journal.calls).to.equal(0);
  });

  it('a message type we cannot show (no text, no media) asks for words instead of failing', async () => {
    const push = pushXml({
      ToUserName: 'gh_3f1a2b4c5d6e',
      FromUserName: OPENID,
      CreateTime: '1732430012',
      MsgType: 'miniprogrampage',
      MsgId: '7441234567890123441',
    });
    expect(passiveReply(await postPush(server.url, query, push)).Content).to.equal(zh.unsupportedMessage);
    expect(journal.calls).to.equal(0);
  });

  it('a picture without any media reference is not filed as an empty complaint', async () => {
    const push = pushXml({ ToUserName: 'gh_3f1a2b4c5d6e', FromUserName: OPENID, CreateTime: '1732430013', MsgType: 'image', MsgId: '7441234567890123442' });
    expect(passiveReply(await postPush(server.url, query, push)).Content).to.equal(zh.unsupportedMessage);
    expect(journal.calls).to.equal(0);
  });

  it('a located message without a label is still journaled, with its coordinates as text', async () => {
    const push = pushXml({
      ToUserName: 'gh_3f1a2b4c5d6e',
      FromUserName: OPENID,
      CreateTime: '1732430014',
      MsgType: 'location',
      Location_X: '31.230416',
      Location_Y: '121.473701',
      Scale: '15',
      MsgId: '7441234567890123443',
    });
    expect(await postPush(server.url, query, push)).to.include({ status: 200, text: 'success' });
    expect(journal.rows).to.have.length(1);
    expect(journal.rows[0].text).to.equal('geo:31.230416,121.473701');
  });

  it('in safe mode the prompt goes back encrypted, like any passive reply', async () => {
    const push = encryptedPush(TEST_ACCOUNT, fixture('event-click-complaint.xml'));
    const envelope = passiveReply(await postPush(server.url, push.query, push.body));
    const { message, appId } = specDecrypt(TEST_ACCOUNT.aesKey, envelope.Encrypt);
    expect(appId).to.equal(TEST_ACCOUNT.appId);
    expect((xmlParser.parse(message).xml as Record<string, string>).Content).to.equal(zh.describeComplaint);
    expect(journal.calls).to.equal(0);
  });

  it('when intake refuses a message anyway, the customer is told and WeChat gets no 5xx to retry', async () => {
    const refusing = await serve(
      '/webhooks/wechat',
      createWechatRouter({
        config: TEST_ACCOUNT,
        sink: async () => {
          throw new BadRequestError('invalid message from wechat adapter: text: text is empty');
        },
        logger: silentLogger,
      }),
    );
    try {
      const reply = passiveReply(await postPush(refusing.url, query, fixture('text.xml')));
      expect(reply).to.include({ ToUserName: OPENID, Content: zh.notReceived });
    } finally {
      await refusing.close();
    }
  });
});
