import { expect } from 'chai';
import { AGENT, findAll, fixture, ONCALL, parseTwiml, PUBLIC_BASE_URL, startTwilioApp, testConfig, type TestApp, type TwimlNode } from './twilio-harness.js';

const VOICE = '/webhooks/twilio/voice';
const ZH_CALL = fixture('voice-incoming-zh');
const EN_CALL = { ...ZH_CALL, CallSid: 'CA' + 'e'.repeat(32), From: '+14155550123', Caller: '+14155550123', FromCountry: 'US' };

/** Posts to a callback URL the IVR gave Twilio (absolute, on PUBLIC_BASE_URL), as Twilio would. */
async function follow(app: TestApp, absoluteUrl: string, params: Record<string, string>) {
  expect(absoluteUrl.startsWith(`${PUBLIC_BASE_URL}/webhooks/twilio/`), absoluteUrl).to.equal(true);
  const res = await app.post(absoluteUrl.slice(PUBLIC_BASE_URL.length), params);
  expect(res.status, res.text).to.equal(200);
  return parseTwiml(res.text);
}

async function call(app: TestApp, params: Record<string, string>, path = VOICE) {
  const res = await app.post(path, params);
  expect(res.status, res.text).to.equal(200);
  return parseTwiml(res.text);
}

const verbs = (n: TwimlNode) => n.children.map((c) => c.name);

describe('Twilio voice IVR (real express app, TwiML parsed as XML)', () => {
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
  });

  describe('during business hours', () => {
    beforeEach(async () => {
      app = await startTwilioApp({ isBusinessHours: () => true, config: testConfig({ TWILIO_AGENT_NUMBER: AGENT }) });
    });

    it('greets a +86 caller in Mandarin with a speech+DTMF Gather, an English switch, and a voicemail fallback', async () => {
      const twiml = await call(app, ZH_CALL);
      expect(verbs(twiml)).to.deep.equal(['Gather', 'Say', 'Say', 'Record', 'Say', 'Hangup']);
      const gather = twiml.children[0];
      expect(gather.attrs).to.include({ input: 'speech dtmf', language: 'cmn-Hans-CN', numDigits: '1', method: 'POST' });
      expect(gather.attrs.action).to.equal(`${PUBLIC_BASE_URL}/webhooks/twilio/voice/menu?lang=zh-CN`);
      const [greeting, english] = findAll(gather, 'Say');
      expect(greeting.attrs).to.include({ language: 'cmn-CN', voice: 'Polly.Zhiyu' });
      expect(greeting.text).to.contain('按9');
      expect(english.attrs).to.include({ language: 'en-US', voice: 'Polly.Joanna' });
      expect(english.text).to.equal('For English, press 8.');
      // Chinese voicemails are not sent to Twilio's English-only transcription.
      expect(twiml.children[3].attrs).to.not.have.property('transcribe');
    });

    it('greets a +1 caller in English (Gather language en-US) with a Chinese switch', async () => {
      const twiml = await call(app, EN_CALL);
      const gather = twiml.children[0];
      expect(gather.attrs.language).to.equal('en-US');
      const [greeting, chinese] = findAll(gather, 'Say');
      expect(greeting.attrs.language).to.equal('en-US');
      expect(greeting.text).to.match(/press 9/);
      expect(chinese.attrs.language).to.equal('cmn-CN');
      expect(chinese.text).to.equal('中文服务请按8。');
    });

    it('pressing 8 switches the whole menu to the other language', async () => {
      const menu = (await call(app, ZH_CALL)).children[0].attrs.action;
      const redirect = await follow(app, menu, { ...ZH_CALL, Digits: '8' });
      expect(verbs(redirect)).to.deep.equal(['Redirect']);
      const english = await follow(app, redirect.children[0].text, ZH_CALL);
      expect(english.children[0].attrs.language).to.equal('en-US');
      expect(findAll(english.children[0], 'Say')[0].attrs.voice).to.equal('Polly.Joanna');
    });

    it('pressing 9 dials the on-call number and files an urgent voice message', async () => {
      const menu = (await call(app, ZH_CALL)).children[0].attrs.action;
      const twiml = await follow(app, menu, { ...ZH_CALL, Digits: '9' });
      const dial = findAll(twiml, 'Dial');
      expect(dial).to.have.length(1);
      expect(dial[0].text).to.equal(ONCALL);
      expect(app.journal.messages).to.have.length(1);
      const m = app.journal.messages[0];
      expect(m).to.include({ channel: 'voice', externalId: `${ZH_CALL.CallSid}:emergency`, threadKey: ZH_CALL.CallSid, language: 'zh-Hans' });
      expect(m.from.address).to.equal('+8613912345678');
      expect(m.meta).to.include({ urgent: true, ivrChoice: '9', callSid: ZH_CALL.CallSid });
    });

    it('pressing 9 still dials the on-call lead when the journal is down', async () => {
      app.journal.failing = true;
      const twiml = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=zh-CN`, { ...ZH_CALL, Digits: '9' });
      expect(findAll(twiml, 'Dial')[0].text).to.equal(ONCALL);
    });

    it('speech classified urgent is filed with its words and dialled through', async () => {
      app = await (async () => {
        await app.close();
        return startTwilioApp({ isBusinessHours: () => true, isUrgent: (t) => t.includes('住院') });
      })();
      const speech = '我孩子吃了你们的饼干以后过敏住院了';
      const twiml = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=zh-CN`, { ...ZH_CALL, SpeechResult: speech, Confidence: '0.91' });
      expect(findAll(twiml, 'Dial')[0].text).to.equal(ONCALL);
      const m = app.journal.messages[0];
      expect(m).to.include({ channel: 'voice', externalId: `${ZH_CALL.CallSid}:speech`, text: speech });
      expect(m.meta).to.include({ urgent: true, speechConfidence: 0.91 });
    });

    it('ordinary speech becomes the complaint: filed, thanked, hung up, no Dial', async () => {
      const speech = 'my parcel has been stuck in transit for two weeks';
      const twiml = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=en-US`, { ...EN_CALL, SpeechResult: speech });
      expect(verbs(twiml)).to.deep.equal(['Say', 'Hangup']);
      expect(findAll(twiml, 'Dial')).to.have.length(0);
      expect(app.journal.messages.map((m) => [m.text, m.language, m.from.address])).to.deep.equal([[speech, 'en', '+14155550123']]);
    });

    it('a redelivered speech callback files one message but still drives the call', async () => {
      const params = { ...EN_CALL, SpeechResult: 'the kettle leaks' };
      const a = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=en-US`, params);
      const b = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=en-US`, params);
      expect(verbs(a)).to.deep.equal(verbs(b));
      expect(app.journal.messages).to.have.length(1);
    });

    it('menu 1 asks for the problem by speech in the caller’s language, then files it', async () => {
      const twiml = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=zh-CN`, { ...ZH_CALL, Digits: '1' });
      const gather = twiml.children[0];
      expect(gather.attrs).to.include({ input: 'speech', language: 'cmn-Hans-CN' });
      expect(findAll(twiml, 'Record')).to.have.length(1); // silence falls through to a voicemail
      await follow(app, gather.attrs.action, { ...ZH_CALL, SpeechResult: '电饭煲用了三天就坏了' });
      expect(app.journal.messages[0].text).to.equal('电饭煲用了三天就坏了');
    });

    it('menu 2 takes an order number and files an order-status inquiry', async () => {
      const twiml = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=en-US`, { ...EN_CALL, Digits: '2' });
      const gather = twiml.children[0];
      expect(gather.attrs).to.include({ finishOnKey: '#' });
      await follow(app, gather.attrs.action, { ...EN_CALL, Digits: '20261118007' });
      expect(app.journal.messages[0].meta).to.include({ intent: 'order_status', orderNumber: '20261118007' });
    });

    it('menu 3 dials an agent; an unanswered agent call ends in a voicemail', async () => {
      const twiml = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=en-US`, { ...EN_CALL, Digits: '3' });
      const dial = findAll(twiml, 'Dial')[0];
      expect(dial.text).to.equal(AGENT);
      const after = await follow(app, dial.attrs.action, { ...EN_CALL, DialCallStatus: 'no-answer' });
      expect(findAll(after, 'Record')).to.have.length(1);
    });

    it('an unanswered on-call dial ends in an urgent voicemail', async () => {
      const twiml = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=zh-CN`, { ...ZH_CALL, Digits: '9' });
      const after = await follow(app, findAll(twiml, 'Dial')[0].attrs.action, { ...ZH_CALL, DialCallStatus: 'busy' });
      expect(findAll(after, 'Record')[0].attrs.action).to.contain('urgent=1');
    });

    it('an invalid choice is retried once, then goes to voicemail (no endless loop)', async () => {
      const first = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=en-US`, { ...EN_CALL, Digits: '5' });
      const redirect = findAll(first, 'Redirect')[0];
      const again = await follow(app, redirect.text, EN_CALL);
      const second = await follow(app, again.children[0].attrs.action, { ...EN_CALL, Digits: '7' });
      expect(findAll(second, 'Redirect')).to.have.length(0);
      expect(findAll(second, 'Record')).to.have.length(1);
    });

    it('a forged call webhook is rejected with 403', async () => {
      const res = await app.post(VOICE, ZH_CALL, { token: 'b'.repeat(32) });
      expect(res.status).to.equal(403);
    });
  });

  describe('outside business hours', () => {
    beforeEach(async () => {
      app = await startTwilioApp({ isBusinessHours: () => false });
    });

    it('offers only the emergency option and records a voicemail', async () => {
      const twiml = await call(app, EN_CALL);
      expect(verbs(twiml)).to.deep.equal(['Gather', 'Say', 'Record', 'Say', 'Hangup']);
      expect(findAll(twiml.children[0], 'Say')[0].text).to.match(/closed/);
      expect(twiml.children[1].text).to.match(/leave a message after the tone/);
      const record = twiml.children[2];
      expect(record.attrs).to.include({ playBeep: 'true', finishOnKey: '#', transcribe: 'true' });
      expect(record.attrs.action).to.equal(`${PUBLIC_BASE_URL}/webhooks/twilio/voice/recording?lang=en-US`);
      expect(record.attrs.transcribeCallback).to.equal(`${PUBLIC_BASE_URL}/webhooks/twilio/voice/transcription?lang=en-US`);
    });

    it('9 still reaches the on-call lead out of hours; other keys go to voicemail', async () => {
      const action = (await call(app, ZH_CALL)).children[0].attrs.action;
      expect(action).to.contain('closed=1');
      expect(findAll(await follow(app, action, { ...ZH_CALL, Digits: '9' }), 'Dial')[0].text).to.equal(ONCALL);
      const other = await follow(app, action, { ...ZH_CALL, CallSid: 'CA' + '1'.repeat(32), Digits: '1' });
      expect(verbs(other)).to.deep.equal(['Say', 'Record', 'Say', 'Hangup']);
    });

    it('the voicemail becomes a voice message with the recording URL; its transcription joins the same call thread', async () => {
      const rec = fixture('voice-recording');
      const afterRecord = await follow(app, `${PUBLIC_BASE_URL}${VOICE}/recording?lang=en-US`, rec);
      expect(verbs(afterRecord)).to.deep.equal(['Say', 'Hangup']);
      // A redelivered recording callback is the same voicemail.
      await follow(app, `${PUBLIC_BASE_URL}${VOICE}/recording?lang=en-US`, rec);
      expect(app.journal.messages).to.have.length(1);
      const vm = app.journal.messages[0];
      expect(vm).to.include({ channel: 'voice', externalId: `${rec.CallSid}:recording`, threadKey: rec.CallSid });
      expect(vm.meta).to.include({ recordingUrl: rec.RecordingUrl, recordingSid: rec.RecordingSid, recordingDuration: 23 });
      expect(vm.attachments[0]).to.include({ ref: rec.RecordingUrl, contentType: 'audio/x-wav' });

      const tr = await app.post(`${VOICE}/transcription?lang=en-US`, fixture('voice-transcription'));
      expect(tr.status).to.equal(200);
      expect(app.journal.messages).to.have.length(2);
      const t = app.journal.messages[1];
      expect(t).to.include({ externalId: `${rec.CallSid}:transcription`, threadKey: rec.CallSid });
      expect(t.text).to.match(/order 4471/);
      expect(t.meta).to.include({ transcriptionOf: `${rec.CallSid}:recording` });
    });

    it('an empty recording files nothing', async () => {
      await follow(app, `${PUBLIC_BASE_URL}${VOICE}/recording?lang=en-US`, { ...fixture('voice-recording'), RecordingDuration: '0' });
      expect(app.journal.messages).to.have.length(0);
    });

    it('a failed transcription files nothing more (the voicemail is already filed with its recording)', async () => {
      const res = await app.post(`${VOICE}/transcription?lang=en-US`, {
        ...fixture('voice-transcription'),
        TranscriptionStatus: 'failed',
        TranscriptionText: '',
      });
      expect(res.status).to.equal(200);
      expect(app.journal.messages).to.have.length(0);
    });
  });

  it('a withheld caller ID is not used as an identity', async () => {
    app = await startTwilioApp({ isBusinessHours: () => true });
    await follow(app, `${PUBLIC_BASE_URL}${VOICE}/menu?lang=zh-CN`, { ...ZH_CALL, From: '+266696687', SpeechResult: '空调漏水' });
    const m = app.journal.messages[0];
    expect(m.from.address).to.equal(`anonymous:${ZH_CALL.CallSid}`);
    expect(m.meta.callerIdWithheld).to.equal(true);
  });
});
