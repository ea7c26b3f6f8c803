/**
 * Property-based tests of the Twilio webhooks on the whole gateway (issue 16): generated SMS,
 * delivery-receipt and IVR form posts, correctly signed as Twilio signs them, with hostile field
 * values, repeated fields, random extra fields and absurd counts; plus unsigned and garbage
 * bodies. Whatever arrives: no 5xx, no internal detail in the answer, no event-loop stall, a
 * customer's visible text is never lost, and every journalled message is processed afterwards.
 * Twilio's REST API (the acknowledgements the outbox sends) stays behind nock.
 */
import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { expectJournalDrained, expectSafeResponse, fc, fuzzParams, hostileString, MAX_EVENT_LOOP_STALL_MS, watchEventLoop } from '../support/fuzz.js';
import type { TestGateway } from '../support/test-gateway.js';
import { startTwilioGateway, stubTwilioRest } from '../integration/twilio/twilio-gateway.js';
import { fixture, parseTwiml, postSigned, type FormFields } from '../integration/twilio/twilio-harness.js';

const BASE = '/webhooks/twilio';
const VOICE_PATHS = ['/voice', '/voice/menu', '/voice/complaint', '/voice/order', '/voice/dial-status', '/voice/recording', '/voice/transcription'];

const SMS_FIELDS = [
  'MessageSid',
  'SmsMessageSid',
  'AccountSid',
  'MessagingServiceSid',
  'From',
  'To',
  'Body',
  'NumMedia',
  'NumSegments',
  'MessageStatus',
  'SmsStatus',
  'ErrorCode',
  'FromCountry',
  'FromCity',
  'OptOutType',
  'MediaUrl0',
  'MediaContentType0',
  'MediaUrl9',
  'MediaContentType9',
];
const VOICE_FIELDS = [
  'CallSid',
  'AccountSid',
  'From',
  'To',
  'Digits',
  'SpeechResult',
  'Confidence',
  'DialCallStatus',
  'RecordingUrl',
  'RecordingSid',
  'RecordingDuration',
  'TranscriptionSid',
  'TranscriptionStatus',
  'TranscriptionText',
  'FromCountry',
  'CallerCountry',
];

/** Twilio posts UTF-8: a lone surrogate would reach us as U+FFFD, so that is what gets signed and sent. */
const wellFormed = (s: string) => s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const hex32 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((n) => n.toString(16).padStart(32, '0'));
/** Counts no Twilio webhook ever carries. */
const absurdCount = fc.constantFrom('100000000', '9'.repeat(40), '-1', '1e9', 'NaN', 'Infinity', '0x10', ' 10', '10.5', '');
/**
 * One field's value: hostile text, an absurd count, or the field repeated (an array). Text is
 * kept under 8,000 characters, far past every field's limit, so that most posts get past the
 * 64 KB body limit to the schemas (a body over it is the integration suite's case).
 */
const hostileValue: fc.Arbitrary<string | string[]> = fc.oneof(
  { weight: 5, arbitrary: hostileString(2000).map((s) => wellFormed(s.slice(0, 8000))) },
  { weight: 2, arbitrary: absurdCount },
  { weight: 1, arbitrary: fc.array(hostileString(50).map(wellFormed), { minLength: 2, maxLength: 3 }) },
);
const overrides = (fields: string[]) => fc.dictionary(fc.constantFrom(...fields), hostileValue, { maxKeys: 4 });
/** Fields Twilio never sends (or media far past the tenth), which the schemas must ignore. */
const extraFields = fc.dictionary(
  fc.oneof(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,24}$/),
    fc.integer({ min: 0, max: 1_000_000 }).map((i) => `MediaUrl${i}`),
  ),
  hostileString(200).map((s) => wellFormed(s.slice(0, 2000))),
  { maxKeys: 8 },
);

for (const db of TEST_DATABASES) {
  describe(`Twilio webhooks under fuzzing (${db}): signed hostile posts and garbage never break the gateway`, function () {
    this.timeout(180_000);
    let gw: TestGateway;
    let rest: ReturnType<typeof stubTwilioRest>;
    before(async () => {
      rest = stubTwilioRest();
      gw = await startTwilioGateway(db);
      // Warm up once (SDK import, first pipeline run) so the stall watch measures the inputs only.
      await postSigned(gw.url, `${BASE}/sms`, fixture('sms-inbound-zh'));
      await postSigned(gw.url, `${BASE}/voice/menu?lang=zh-CN`, { ...fixture('voice-incoming-zh'), SpeechResult: '空调漏水' });
      await gw.settle(30_000);
    });
    after(async () => {
      await gw?.stop();
      rest?.restore();
    });

    /** Runs a property with the event loop watched: no single input may block every other request. */
    async function fuzz<T>(arb: fc.Arbitrary<T>, check: (input: T) => Promise<void>): Promise<void> {
      const loop = watchEventLoop();
      try {
        await fc.assert(fc.asyncProperty(arb, check), fuzzParams());
      } finally {
        expect(loop.stop(), 'longest event-loop stall (ms)').to.be.below(MAX_EVENT_LOOP_STALL_MS);
      }
    }

    const sms = fc.record({ sid: hex32, fields: overrides(SMS_FIELDS), extra: extraFields }).map(({ sid, fields, extra }): FormFields => ({
      ...fixture('mms-inbound-en'),
      MessageSid: `SM${sid}`,
      SmsMessageSid: `SM${sid}`,
      ...extra,
      ...fields,
    }));

    it('signed SMS with hostile fields, extra fields and absurd counts: a 2xx or a plain 4xx, never a 5xx', async () => {
      await fuzz(sms, async (params) => {
        const res = await postSigned(gw.url, `${BASE}/sms`, params);
        expectSafeResponse({ status: res.status, body: res.text }, params);
        if (res.status === 200) parseTwiml(res.text); // Twilio must be able to read the answer
      });
    });

    it('a signed SMS with any text a customer can send is filed (or answered, for a keyword), never refused', async () => {
      const body = hostileString(3000).map((s) => Array.from(wellFormed(s)).slice(0, 3000).join(''));
      await fuzz(fc.record({ sid: hex32, body }), async ({ sid, body }) => {
        const params = { ...fixture('sms-inbound-zh'), MessageSid: `SM${sid}`, SmsMessageSid: `SM${sid}`, Body: body };
        const res = await postSigned(gw.url, `${BASE}/sms`, params);
        expect(res.status, res.text).to.equal(200);
        const visible = body.replace(/[\u0000-\u001f\u007f]/g, '').trim() !== '';
        if (!visible) return;
        const filed = await gw.gateway
          .db('intake_journal')
          .where({ channel: 'sms', external_id: `SM${sid}` })
          .first();
        const keywordAnswer = parseTwiml(res.text).children.some((c) => c.name === 'Message');
        expect(!!filed || keywordAnswer, `text neither filed nor answered: ${JSON.stringify(body.slice(0, 80))}`).to.equal(true);
      });
    });

    it('signed delivery receipts with hostile fields, some for messages we really sent', async () => {
      const ourSid = fc.integer({ min: 1, max: 20 }).map((n) => `SM${String(n).padStart(32, '0')}`);
      const receipt = fc.record({
        sid: fc.oneof(
          hex32.map((h) => `SM${h}`),
          ourSid,
        ),
        fields: overrides(['MessageSid', 'MessageStatus', 'SmsStatus', 'ErrorCode', 'To']),
        status: fc.constantFrom('delivered', 'undelivered', 'failed', 'partially_delivered'),
      });
      await fuzz(receipt, async ({ sid, fields, status }) => {
        const params: FormFields = { ...fixture('sms-status-undelivered-21610'), MessageSid: sid, SmsSid: sid, MessageStatus: status, ...fields };
        const res = await postSigned(gw.url, `${BASE}/sms/status`, params);
        expectSafeResponse({ status: res.status, body: res.text }, params);
      });
    });

    it('signed IVR callbacks on every voice path with hostile fields: the caller always gets TwiML or a plain 4xx', async () => {
      const query = fc.record(
        {
          lang: fc.constantFrom('zh-CN', 'en-US', 'fr', '%ZZ', 'zh-CN\u0000'),
          closed: fc.constant('1'),
          retry: fc.constant('1'),
          urgent: fc.constant('1'),
          reason: fc.constantFrom('emergency', 'agent'),
        },
        { requiredKeys: [] },
      );
      const call = fc.record({
        path: fc.constantFrom(...VOICE_PATHS),
        query,
        sid: hex32,
        digits: fc.constantFrom('1', '2', '3', '5', '8', '9', '#', 'hangup', ''),
        fields: overrides(VOICE_FIELDS),
        extra: extraFields,
      });
      await fuzz(call, async ({ path, query, sid, digits, fields, extra }) => {
        const params: FormFields = {
          ...fixture('voice-incoming-zh'),
          ...fixture('voice-transcription'),
          RecordingDuration: '23',
          CallSid: `CA${sid}`,
          Digits: digits,
          ...extra,
          ...fields,
        };
        const url = `${BASE}${path}?${new URLSearchParams(query)}`;
        const res = await postSigned(gw.url, url, params);
        expectSafeResponse({ status: res.status, body: res.text }, { url, params });
        if (res.status === 200) parseTwiml(res.text);
      });
    });

    it('unsigned, forged and garbage bodies get a 4xx in plain words', async () => {
      const garbage = fc.record({
        path: fc.constantFrom('/sms', '/sms/status', ...VOICE_PATHS),
        body: fc.oneof(
          fc.uint8Array({ maxLength: 4000 }),
          hostileString(3000).map((s) => new TextEncoder().encode(s)),
        ),
        contentType: fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=bogus',
          'application/x-www-form-urlencoded; charset=iso-8859-1',
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
        ),
        encoding: fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'bogus', 'identity'),
        signature: fc.constantFrom(null, '', 'garbage', 'A'.repeat(8000), 'aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ='),
      });
      await fuzz(garbage, async ({ path, body, contentType, encoding, signature }) => {
        const headers: Record<string, string> = { 'content-type': contentType, ...(encoding ? { 'content-encoding': encoding } : {}) };
        const res = await postSigned(gw.url, `${BASE}${path}`, {}, { body: new Uint8Array(body), headers, signature });
        expectSafeResponse({ status: res.status, body: res.text }, { path, contentType, encoding, bytes: body.length });
        expect(res.status, res.text).to.be.within(400, 499);
      });
    });

    it('afterwards every journalled message was processed: none pending, failed or parked', async () => {
      await expectJournalDrained(gw);
    });
  });
}
