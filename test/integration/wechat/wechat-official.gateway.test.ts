import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import nock from 'nock';
import { WECHAT_PROMPTS } from '../../../adapters/wechat/wechat-prompts.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { startTestGateway, type TestGateway } from '../../support/test-gateway.js';
import { TEST_ACCOUNT, encryptedPush, fixture, postPush, pushXml, signedPushQuery, specDecrypt } from './wechat-harness.js';

const xmlParser = new XMLParser({ parseTagValue: false });
const zh = WECHAT_PROMPTS['zh-CN'];

/**
 * Issue 16 items 1 and 2 on the whole gateway (the real intake check and journal): what a
 * customer sees in WeChat, and which pushes become tickets.
 */
for (const db of TEST_DATABASES) {
  describe(`WeChat Official Account pushes through the gateway on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let webhook: string;
    // Signed afresh for each test: the router refuses a push stamped more than 5 minutes ago.
    let query: string;
    beforeEach(() => {
      query = signedPushQuery(TEST_ACCOUNT.token);
    });

    before(async () => {
      // The WeChat API is a cloud service: nothing may leave this machine.
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
      gw = await startTestGateway({ db, env: { WECHAT_TOKEN: TEST_ACCOUNT.token, WECHAT_AES_KEY: TEST_ACCOUNT.aesKey, WECHAT_APP_ID: TEST_ACCOUNT.appId } });
      webhook = `${gw.url}/webhooks/wechat`;
    });
    after(async () => {
      await gw?.stop();
      nock.cleanAll();
      nock.enableNetConnect();
    });

    const tickets = async () => (await gw.api('GET', '/api/v1/tickets')).body.items as Array<{ id: string; channels: string[] }>;

    it('the complaint menu click gets the describe-your-complaint prompt at once and opens no ticket; the complaint that follows does', async () => {
      const started = Date.now();
      const click = await postPush(webhook, query, fixture('event-click-complaint.xml'));
      expect(click.status).to.equal(200);
      expect(Date.now() - started, 'WeChat gives up after 5 s').to.be.below(1000);
      expect((xmlParser.parse(click.text).xml as Record<string, string>).Content).to.equal(zh.describeComplaint);
      await gw.settle();
      expect(await tickets()).to.deep.equal([]);

      expect(await postPush(webhook, query, fixture('text.xml'))).to.include({ status: 200, text: 'success' });
      await gw.settle();
      const list = await tickets();
      expect(list).to.have.length(1);
      expect(list[0].channels).to.include('wechat');
    });

    it('a follow is welcomed, an unfollow and a menu link are acknowledged, a blank text is prompted: none of them is a ticket or a 5xx', async () => {
      const before = (await tickets()).length;
      const welcome = await postPush(webhook, query, fixture('event-subscribe.xml'));
      expect((xmlParser.parse(welcome.text).xml as Record<string, string>).Content).to.equal(zh.welcome);
      for (const file of ['event-unsubscribe.xml', 'event-view.xml', 'event-location.xml']) {
        expect(await postPush(webhook, query, fixture(file)), file).to.include({ status: 200, text: 'success' });
      }
      const blank = await postPush(webhook, query, fixture('text-blank.xml'));
      expect((xmlParser.parse(blank.text).xml as Record<string, string>).Content).to.equal(zh.emptyMessage);
      await gw.settle();
      expect(await tickets()).to.have.length(before);
    });

    it('in safe mode the complaint menu prompt comes back encrypted for our AppID', async () => {
      const push = encryptedPush(TEST_ACCOUNT, fixture('event-click-complaint.xml'));
      const answer = await postPush(webhook, push.query, push.body);
      expect(answer.status).to.equal(200);
      const { message, appId } = specDecrypt(TEST_ACCOUNT.aesKey, (xmlParser.parse(answer.text).xml as Record<string, string>).Encrypt);
      expect(appId).to.equal(TEST_ACCOUNT.appId);
      expect((xmlParser.parse(message).xml as Record<string, string>).Content).to.equal(zh.describeComplaint);
    });

    it('an over-long FromUserName is refused with 400; an over-long complaint text is kept, truncated, as a ticket', async () => {
      const base = { ToUserName: 'gh_3f1a2b4c5d6e', CreateTime: '1732430500', MsgType: 'text' };
      const forged = await postPush(webhook, query, pushXml({ ...base, FromUserName: 'o'.repeat(5000), Content: '退款', MsgId: '7441234567890129001' }));
      expect(forged.status).to.equal(400);

      const long = await postPush(
        webhook,
        query,
        pushXml({ ...base, FromUserName: 'oVx9k5Tq2m3L4n5P6q7R8s9T0uZZ', Content: '热水器漏水，'.repeat(4000), MsgId: '7441234567890129002' }),
      );
      expect(long).to.include({ status: 200, text: 'success' });
      await gw.settle();
      const details = await Promise.all((await tickets()).map(async (t) => (await gw.api('GET', `/api/v1/tickets/${t.id}`)).body));
      const filed = details.flatMap((d) => d.messages).find((m: { from: string }) => m.from === 'oVx9k5Tq2m3L4n5P6q7R8s9T0uZZ');
      expect(filed, 'the long complaint as a ticket message').to.be.ok;
      expect(filed.text.startsWith('热水器漏水，')).to.equal(true);
      expect(filed.text.length).to.be.at.most(20_000);
    });

    it('a body with a DTD, or not XML at all, gets a 4xx and never a parser message', async () => {
      for (const body of ['<!DOCTYPE x [<!ENTITY a "b">]><xml><Content>&a;</Content></xml>', 'not xml', `<xml>${'<a>'.repeat(3000)}</xml>`]) {
        const answer = await postPush(webhook, query, body);
        expect(answer.status, body.slice(0, 40)).to.be.within(400, 499);
        expect(answer.text).not.to.match(/not expected|:\d+:\d+|Unclosed|Maximum nested/);
      }
    });
  });
}
