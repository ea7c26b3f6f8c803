import { expect } from 'chai';
import nock from 'nock';
import { TwilioSmsAdapter } from '../../../adapters/twilio/twilio-sms.adapter.js';
import { PermanentDeliveryError } from '../../../adapters/types.js';
import { fixture, findAll, parseTwiml, postSigned, PUBLIC_BASE_URL, silentLogger, startTwilioApp, type TestApp } from './twilio-harness.js';

const SMS = '/webhooks/twilio/sms';

describe('Twilio SMS webhooks (real express app, requests signed by the twilio library)', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTwilioApp();
  });
  afterEach(async () => {
    await app.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('accepts a signed SMS, journals it, and answers 200 with empty TwiML', async () => {
    const res = await app.post(SMS, fixture('sms-inbound-zh'));
    expect(res.status).to.equal(200);
    const twiml = parseTwiml(res.text);
    expect(twiml.children).to.deep.equal([]); // no auto-reply from the webhook: the ack goes through the outbox
    expect(app.journal.messages).to.have.length(1);
    const m = app.journal.messages[0];
    expect(m).to.include({ channel: 'sms', externalId: 'SM0c2b4a8f1d3e5f7a9b1c3d5e7f9a1b3c', to: '+14155550100' });
    expect(m.from).to.deep.equal({ address: '+8613812345678' });
    expect(m.text).to.equal('你好，我上周买的电饭煲内胆涂层脱落了，订单号 DD20261118007，要求退货。');
    expect(m.meta).to.include({ numMedia: 0, numSegments: 2, fromCountry: 'CN' });
    expect(Date.parse(m.receivedAt)).to.be.closeTo(Date.now(), 5000);
  });

  it('keeps MMS media as attachments with their Twilio URLs', async () => {
    await app.post(SMS, fixture('mms-inbound-en'));
    const m = app.journal.messages[0];
    expect(m.attachments.map((a) => a.contentType)).to.deep.equal(['image/jpeg', 'image/png']);
    expect(m.attachments[0].ref).to.match(/\/Media\/ME111$/);
    expect(m.meta.mediaUrls).to.have.length(2);
  });

  it('rejects a request signed with another auth token (403, nothing journaled)', async () => {
    const res = await app.post(SMS, fixture('sms-inbound-zh'), { token: 'f'.repeat(32) });
    expect(res.status).to.equal(403);
    expect(app.journal.appends).to.equal(0);
  });

  it('rejects a body altered after signing (403)', async () => {
    const original = fixture('sms-inbound-zh');
    const res = await app.post(SMS, { ...original, Body: '退款给我' }, { signedParams: original });
    expect(res.status).to.equal(403);
    expect(app.journal.appends).to.equal(0);
  });

  it('rejects a request without a signature, and one signed for the internal host instead of PUBLIC_BASE_URL', async () => {
    expect((await app.post(SMS, fixture('sms-inbound-zh'), { signature: null })).status).to.equal(403);
    const internal = await app.post(SMS, fixture('sms-inbound-zh'), { signedUrl: `${app.localUrl}${SMS}` });
    expect(internal.status).to.equal(403);
    expect(app.journal.appends).to.equal(0);
  });

  it('a redelivered MessageSid yields one message (both deliveries answered 200)', async () => {
    const first = await app.post(SMS, fixture('sms-inbound-zh'));
    const second = await app.post(SMS, fixture('sms-inbound-zh'));
    expect([first.status, second.status]).to.deep.equal([200, 200]);
    expect(parseTwiml(second.text).children).to.deep.equal([]);
    expect(app.journal.appends).to.equal(2);
    expect(app.journal.messages).to.have.length(1);
  });

  it('answers 500 when the journal append fails, so the message is not acknowledged', async () => {
    app.journal.failing = true;
    const res = await app.post(SMS, fixture('sms-inbound-zh'));
    expect(res.status).to.equal(500);
  });

  describe('STOP / START / HELP', () => {
    const from = '+14155550177';
    const text = (body: string, extra: Record<string, string> = {}) => ({
      MessageSid: `SM${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`,
      From: from,
      To: '+14155550100',
      Body: body,
      SmsStatus: 'received',
      NumMedia: '0',
      ...extra,
    });

    it('STOP opts the number out, confirms by TwiML, files no complaint, and the adapter then refuses to text it without calling Twilio', async () => {
      const res = await app.post(SMS, text(' stop. '));
      const msgs = findAll(parseTwiml(res.text), 'Message');
      expect(msgs).to.have.length(1);
      expect(msgs[0].text).to.match(/unsubscribed/i);
      expect(app.journal.messages).to.have.length(0);

      nock.disableNetConnect(); // any REST call would fail loudly
      const adapter = new TwilioSmsAdapter({ config: app.config, state: app.state, logger: silentLogger });
      const err = await adapter
        .send({ id: 'o1', channel: 'sms', to: from, ticketNumber: 'C-20261124-0001', text: 'We are on it', meta: {} })
        .catch((e: unknown) => e);
      expect(err).to.be.instanceOf(PermanentDeliveryError);
      expect((err as PermanentDeliveryError).code).to.equal('opted_out');
    });

    it('退订 opts out with a Chinese confirmation; 订阅 opts back in', async () => {
      const res = await app.post(SMS, text('退订'));
      expect(findAll(parseTwiml(res.text), 'Message')[0].text).to.contain('您已退订');
      const adapter = new TwilioSmsAdapter({ config: app.config, state: app.state, logger: silentLogger });
      expect(await adapter.optOuts.isOptedOut(from)).to.equal(true);
      const back = await app.post(SMS, text('订阅'));
      expect(findAll(parseTwiml(back.text), 'Message')[0].text).to.contain('恢复');
      expect(await adapter.optOuts.isOptedOut(from)).to.equal(false);
    });

    it('START re-subscribes; YES re-subscribes only an opted-out number and is otherwise a normal message', async () => {
      const adapter = new TwilioSmsAdapter({ config: app.config, state: app.state, logger: silentLogger });
      await app.post(SMS, text('yes'));
      expect(app.journal.messages.map((m) => m.text)).to.deep.equal(['yes']);
      await app.post(SMS, text('STOP'));
      await app.post(SMS, text('YES'));
      expect(await adapter.optOuts.isOptedOut(from)).to.equal(false);
      await app.post(SMS, text('STOP'));
      const res = await app.post(SMS, text('Start'));
      expect(findAll(parseTwiml(res.text), 'Message')[0].text).to.match(/subscribed again/);
      expect(await adapter.optOuts.isOptedOut(from)).to.equal(false);
      expect(app.journal.messages).to.have.length(1);
    });

    it("does not send a second confirmation when Twilio's opt-out management already answered (OptOutType)", async () => {
      const res = await app.post(SMS, text('STOP', { OptOutType: 'STOP' }));
      expect(parseTwiml(res.text).children).to.deep.equal([]);
      const adapter = new TwilioSmsAdapter({ config: app.config, state: app.state, logger: silentLogger });
      expect(await adapter.optOuts.isOptedOut(from)).to.equal(true);
    });

    it('HELP answers with the help text and files nothing; "please stop the noise" is a complaint, not an opt-out', async () => {
      const help = await app.post(SMS, text('HELP'));
      expect(findAll(parseTwiml(help.text), 'Message')[0].text).to.equal(app.config.helpText['en-US']);
      await app.post(SMS, text('please stop the noise from your warehouse'));
      expect(app.journal.messages.map((m) => m.text)).to.deep.equal(['please stop the noise from your warehouse']);
      const adapter = new TwilioSmsAdapter({ config: app.config, state: app.state, logger: silentLogger });
      expect(await adapter.optOuts.isOptedOut(from)).to.equal(false);
    });
  });

  describe('delivery status callbacks', () => {
    const OUR_SID = 'SM' + '1'.repeat(32);
    it('reports the status of our outbound message and files no complaint', async () => {
      const res = await app.post('/webhooks/twilio/sms/status', {
        MessageSid: OUR_SID,
        MessageStatus: 'delivered',
        To: '+14155550123',
        AccountSid: app.config.accountSid,
      });
      expect(res.status).to.equal(200);
      expect(app.statuses).to.deep.equal([{ sid: OUR_SID, status: 'delivered', errorCode: undefined }]);
      expect(app.journal.appends).to.equal(0);
    });

    it('an undelivered 21610 receipt reports the error code and opts the recipient out', async () => {
      await app.post('/webhooks/twilio/sms/status', fixture('sms-status-undelivered-21610'));
      expect(app.statuses).to.deep.equal([{ sid: 'SMf00dfeedf00dfeedf00dfeedf00dfeed', status: 'undelivered', errorCode: '21610' }]);
      const adapter = new TwilioSmsAdapter({ config: app.config, state: app.state, logger: silentLogger });
      expect(await adapter.optOuts.isOptedOut('+14155550177')).to.equal(true);
    });

    it('a receipt posted to the inbound URL is dropped there, not filed as a complaint', async () => {
      const res = await app.post(SMS, fixture('sms-status-undelivered-21610'));
      expect(res.status).to.equal(200);
      expect(app.journal.appends).to.equal(0);
      expect(app.statuses).to.have.length(1);
    });

    it('a forged status callback is rejected', async () => {
      const res = await app.post('/webhooks/twilio/sms/status', { MessageSid: 'SM1', MessageStatus: 'delivered' }, { token: 'x'.repeat(32) });
      expect(res.status).to.equal(403);
      expect(app.statuses).to.have.length(0);
    });
  });

  it('a body Twilio could not have sent gets a plain-text 4xx, not a stack trace, whatever app mounts the router', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['bogus', { 'content-encoding': 'bogus' }],
      ['corrupt gzip', { 'content-encoding': 'gzip' }],
      ['unknown charset', { 'content-type': 'application/x-www-form-urlencoded; charset=bogus' }],
    ];
    for (const [label, headers] of cases) {
      const res = await postSigned(app.localUrl, SMS, {}, { body: 'Body=hi', headers });
      expect(res.status, label).to.be.within(400, 499);
      expect(res.contentType, label).to.match(/^text\/plain/);
      expect(res.text, label).to.not.match(/Error|node_modules| at |<pre>/);
    }
  });

  it('a signed request with a field repeated, or posted as JSON, gets a 400 (it used to crash the route with a 500)', async () => {
    const repeated = await postSigned(app.localUrl, SMS, { ...fixture('sms-inbound-zh'), From: ['+8613812345678', '+8613812345679'] });
    expect([repeated.status, repeated.text]).to.deep.equal([400, 'Invalid Twilio webhook: From: must be a single value']);
    const json = await postSigned(app.localUrl, SMS, {}, { body: '{}', headers: { 'content-type': 'application/json' } });
    expect([json.status, json.text]).to.deep.equal([400, 'Invalid Twilio webhook: MessageSid and From are required']);
    expect(app.journal.appends).to.equal(0);
  });

  it('a signature-settings header naming an unknown algorithm is refused (403) without the SDK writing it to the console', async () => {
    await app.close();
    const { testConfig } = await import('./twilio-harness.js');
    app = await startTwilioApp({ config: testConfig({ TWILIO_WEBHOOK_SHARED_KEY_SECRET: 'shared-key-secret' }) });
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      const res = await postSigned(app.localUrl, SMS, fixture('sms-inbound-zh'), {
        headers: { 'x-twilio-webhooks-signature-settings': `algorithm=${'X'.repeat(5000)}` },
      });
      expect(res.status).to.equal(403);
    } finally {
      console.warn = warn;
    }
    expect(warnings).to.deep.equal([]);
  });

  it('the public URL may carry a path prefix (behind a reverse proxy)', async () => {
    await app.close();
    const { testConfig } = await import('./twilio-harness.js');
    app = await startTwilioApp({ config: testConfig({ PUBLIC_BASE_URL: `${PUBLIC_BASE_URL}/gw/` }) });
    const ok = await app.post(SMS, fixture('sms-inbound-zh'), { signedUrl: `${PUBLIC_BASE_URL}/gw${SMS}` });
    expect(ok.status).to.equal(200);
    const bad = await app.post(SMS, fixture('mms-inbound-en'));
    expect(bad.status).to.equal(403);
  });
});
