/**
 * Issue 16: what a correctly signed but hostile (or simply unusual) Twilio webhook does to the
 * whole gateway — its real journal, on every test database. A signature proves the request
 * came from whoever holds the auth token, not that every field is sane.
 */
import { expect } from 'chai';
import type { InboundMessage } from '../../../adapters/types.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { expectJournalDrained, MAX_EVENT_LOOP_STALL_MS, watchEventLoop } from '../../support/fuzz.js';
import type { TestGateway } from '../../support/test-gateway.js';
import { startTwilioGateway, stubTwilioRest } from './twilio-gateway.js';
import { fixture, parseTwiml, postSigned, type FormFields } from './twilio-harness.js';

const SMS = '/webhooks/twilio/sms';
const VOICE = '/webhooks/twilio/voice';
const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;

for (const db of TEST_DATABASES) {
  describe(`Twilio webhooks on the gateway (${db}): hostile fields in a signed request`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let rest: ReturnType<typeof stubTwilioRest>;
    let n = 0;
    before(async () => {
      rest = stubTwilioRest();
      gw = await startTwilioGateway(db);
    });
    after(async () => {
      await gw?.stop();
      rest?.restore();
    });

    /** A real inbound SMS (fresh MessageSid each time) with some fields replaced. */
    const sms = (fields: FormFields = {}): FormFields => ({ ...fixture('sms-inbound-zh'), MessageSid: sid('SM', ++n), ...fields });
    const call = (fields: FormFields = {}): FormFields => ({ ...fixture('voice-incoming-zh'), CallSid: sid('CA', ++n), ...fields });
    const post = (path: string, params: FormFields, opts?: Parameters<typeof postSigned>[3]) => postSigned(gw.url, path, params, opts);

    async function journalled(channel: string, externalId: string): Promise<InboundMessage | undefined> {
      const row = await gw.gateway.db('intake_journal').where({ channel, external_id: externalId }).first();
      return row ? (JSON.parse(row.payload) as InboundMessage) : undefined;
    }

    it('an SMS claiming NumMedia=100000000 is answered at once and filed with its text (MMS carry at most 10 media)', async () => {
      const params = sms({
        NumMedia: '100000000',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        MediaContentType0: 'image/jpeg',
      });
      const loop = watchEventLoop();
      const res = await post(SMS, params);
      expect(loop.stop(), 'longest event-loop stall (ms)').to.be.below(MAX_EVENT_LOOP_STALL_MS);
      expect(res.status).to.equal(200);
      const m = await journalled('sms', params.MessageSid as string);
      expect(m?.text).to.equal(fixture('sms-inbound-zh').Body);
      expect(m?.attachments.map((a) => a.contentType)).to.deep.equal(['image/jpeg']);
      expect(m?.meta.numMedia).to.equal(10);
    });

    it('over-long or malformed ids and addresses get a 400 naming the field, never a 500, and nothing is filed', async () => {
      const cases: Array<[string, FormFields]> = [
        ['From', sms({ From: '+1'.repeat(300) })],
        ['To', sms({ To: '9'.repeat(400) })],
        ['MessageSid', sms({ MessageSid: 'SM' + 'f'.repeat(1000) })],
        ['AccountSid', sms({ AccountSid: 'AC' + 'x'.repeat(600) })],
        ['From', sms({ From: ['+14155550123', '+14155550124'] })],
        ['From', sms({ From: '+1415555\u00000123' })],
        ['NumMedia', sms({ NumMedia: 'lots' })],
      ];
      for (const [field, params] of cases) {
        const res = await post(SMS, params);
        expect(res.status, `${field}: ${res.text}`).to.equal(400);
        expect(res.text).to.match(new RegExp(`^Invalid Twilio webhook: ${field}`));
        expect(await journalled('sms', params.MessageSid as string), field).to.equal(undefined);
      }
    });

    it('a Body over Twilio’s 1,600 characters is filed cut to 1,600 (not refused), odd characters and all, and becomes a ticket', async () => {
      const long = sms({ Body: '漏水😀'.repeat(1000) });
      const odd = sms({ Body: '\u202e订单 DD2026\u0000 <script>alert(1)</script> \u0007😀' });
      expect((await post(SMS, long)).status).to.equal(200);
      expect((await post(SMS, odd)).status).to.equal(200);
      const cut = await journalled('sms', long.MessageSid as string);
      expect(Array.from(cut!.text)).to.have.length(1600);
      expect(cut!.text.startsWith('漏水😀漏水😀')).to.equal(true);
      expect(cut!.meta.bodyTruncated).to.equal(true);
      expect((await journalled('sms', odd.MessageSid as string))!.text).to.contain('<script>alert(1)</script>');
      await expectJournalDrained(gw);
    });

    it('an MMS whose media URL is over-long or not https keeps its text; only that media is left out', async () => {
      const params = sms({
        NumMedia: '2',
        MediaUrl0: `https://api.twilio.com/${'a'.repeat(5000)}`,
        MediaContentType0: 'image/png',
        MediaUrl1: 'javascript:alert(1)',
        MediaContentType1: 'x'.repeat(300),
      });
      const res = await post(SMS, params);
      expect(res.status, res.text).to.equal(200);
      const m = await journalled('sms', params.MessageSid as string);
      expect(m?.text).to.equal(fixture('sms-inbound-zh').Body);
      expect(m?.attachments).to.deep.equal([]);
    });

    it('a Body of control characters only is an empty SMS: 200 with empty TwiML, nothing filed', async () => {
      const params = sms({ Body: '\u0000\u0007 \u0000' });
      const res = await post(SMS, params);
      expect(res.status).to.equal(200);
      expect(parseTwiml(res.text).children).to.deep.equal([]);
      expect(await journalled('sms', params.MessageSid as string)).to.equal(undefined);
    });

    it('a delivery receipt with an over-long status or SID gets a 400, not a 500', async () => {
      const status = await post(`${SMS}/status`, { MessageSid: sid('SM', ++n), MessageStatus: 'x'.repeat(3000) });
      expect(status.status).to.equal(400);
      const badSid = await post(`${SMS}/status`, { MessageSid: 'SM' + '1'.repeat(3000), MessageStatus: 'delivered' });
      expect(badSid.status).to.equal(400);
    });

    it('voice: a malformed CallSid is refused (400) instead of filing a call nobody can thread; long speech and keyed-in digits are cut and filed', async () => {
      const bad = await post(`${VOICE}/menu?lang=zh-CN`, call({ CallSid: 'CA' + 'y'.repeat(600), SpeechResult: '空调漏水' }));
      expect(bad.status).to.equal(400);
      expect(bad.text).to.match(/^Invalid Twilio webhook: CallSid/);

      const speech = call({ SpeechResult: '空调漏水'.repeat(1500) });
      expect((await post(`${VOICE}/menu?lang=zh-CN`, speech)).status).to.equal(200);
      expect((await journalled('voice', `${speech.CallSid}:speech`))!.text).to.have.length(4000);

      const order = call({ Digits: '1'.repeat(3000) });
      expect((await post(`${VOICE}/order?lang=en-US`, order)).status).to.equal(200);
      expect((await journalled('voice', `${order.CallSid}:order`))!.meta.orderNumber).to.equal('1'.repeat(64));
    });

    it('voice: a recording callback with an over-long RecordingUrl or a huge duration never answers 500', async () => {
      const url = fixture('voice-recording').RecordingUrl;
      const longUrl = await post(`${VOICE}/recording?lang=en-US`, call({ RecordingUrl: `${url}/${'a'.repeat(5000)}`, RecordingDuration: '5' }));
      expect(longUrl.status).to.equal(400);
      const huge = call({ RecordingUrl: url, RecordingDuration: '99999999999999999999' });
      expect((await post(`${VOICE}/recording?lang=en-US`, huge)).status).to.equal(200);
      expect((await journalled('voice', `${huge.CallSid}:recording`))!.meta.recordingDuration).to.equal(14_400);
    });

    it('malformed bodies get a 4xx in plain words, never a 500 or parser text', async () => {
      const cases: Array<[string, FormFields, Parameters<typeof postSigned>[3]]> = [
        ['bogus Content-Encoding', {}, { body: 'From=x', headers: { 'content-encoding': 'bogus' } }],
        ['gzip that is not gzip', {}, { body: 'From=x', headers: { 'content-encoding': 'gzip' } }],
        ['unknown charset', {}, { body: 'From=x', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=bogus' } }],
        ['JSON instead of a form', {}, { body: '{"From":"x"}', headers: { 'content-type': 'application/json' } }],
        ['too many fields', {}, { body: Array.from({ length: 1200 }, (_, i) => `f${i}=1`).join('&') }],
        ['malformed url-encoding', { Body: '%E0%A4%A', From: '%', MessageSid: '%ZZ' }, { body: 'Body=%E0%A4%A&From=%&MessageSid=%ZZ' }],
        ['a body over 64 KB', {}, { body: `Body=${'x'.repeat(70_000)}` }],
      ];
      for (const [label, signed, opts] of cases) {
        const res = await post(SMS, signed, opts);
        expect(res.status, `${label}: ${res.text}`).to.be.within(400, 499);
        expect(res.text, label).to.not.match(/ at |[A-Z]\w*Error|stack|node_modules|<html/);
      }
    });
  });
}
