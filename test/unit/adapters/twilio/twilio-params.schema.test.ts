import { expect } from 'chai';
import { cutText, hasVisibleText } from '../../../../adapters/twilio/twilio-fields.js';
import { parseParams, smsInboundParams, voiceMenuParams, voiceRecordingParams } from '../../../../adapters/twilio/twilio-params.schema.js';
import { fixture } from '../../../integration/twilio/twilio-harness.js';

const SMS = fixture('sms-inbound-zh');
const MMS = fixture('mms-inbound-en');

function sms(fields: Record<string, unknown>) {
  const parsed = parseParams(smsInboundParams, { ...SMS, ...fields });
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.params;
}

function problem(schema: Parameters<typeof parseParams>[0], body: unknown): string {
  const parsed = parseParams(schema, body);
  expect(parsed.ok, 'expected the fields to be refused').to.equal(false);
  return (parsed as { problem: string }).problem;
}

describe('Twilio webhook input schemas', () => {
  it('NumMedia is capped at 10 (Twilio’s MMS limit): 100000000 costs ten look-ups, not a loop of 10⁸', () => {
    const started = performance.now();
    const p = sms({ ...MMS, NumMedia: '100000000' });
    expect(performance.now() - started).to.be.below(50);
    expect(p.numMedia).to.equal(10);
    expect(p.media.map((m) => m.contentType)).to.deep.equal(['image/jpeg', 'image/png']);
    expect(sms({ NumMedia: '9'.repeat(32) }).numMedia).to.equal(10);
  });

  it('media beyond MediaUrl9 are never read; a media URL that is not https is left out, the message kept', () => {
    const p = sms({
      NumMedia: '12',
      MediaUrl0: 'http://example.com/a.jpg',
      MediaUrl1: MMS.MediaUrl0,
      MediaContentType1: 'IMAGE/JPEG; q=1',
      MediaUrl11: MMS.MediaUrl1,
    });
    expect(p.media).to.deep.equal([{ url: MMS.MediaUrl0, contentType: 'image/jpeg' }]);
    expect(p.dropped).to.equal(1);
    expect(p.body).to.equal(SMS.Body);
  });

  it('a Body over 1,600 characters is cut there, never in the middle of an emoji, and flagged', () => {
    const p = sms({ Body: 'a' + '😀'.repeat(2000) });
    expect(Array.from(p.body!)).to.have.length(1600);
    expect(p.body!.endsWith('😀')).to.equal(true);
    expect(p.bodyCut).to.equal(true);
    expect(sms({}).bodyCut).to.equal(false);
  });

  it('refuses malformed ids and addresses, naming the field and rule but never echoing the value', () => {
    expect(problem(smsInboundParams, { ...SMS, MessageSid: 'SM<script>' })).to.equal('MessageSid: SM or MM followed by 32 hex digits');
    expect(problem(smsInboundParams, { ...SMS, From: 'x'.repeat(257) })).to.equal('From: is longer than 256 characters');
    expect(problem(smsInboundParams, { ...SMS, From: ['+1', '+2'] })).to.equal('From: must be a single value');
    expect(problem(smsInboundParams, { Body: 'hi' })).to.equal('MessageSid and From are required');
    expect(problem(voiceMenuParams, { From: '+14155550123' })).to.equal('CallSid: is required');
  });

  it('drops malformed descriptive extras instead of refusing the message', () => {
    const p = sms({ FromCountry: 'China', FromCity: 'x'.repeat(500), NumSegments: 'two', ErrorCode: 'oops', OptOutType: 'stop me' });
    expect(p).to.include({
      fromCountry: undefined,
      fromCity: undefined,
      numSegments: undefined,
      errorCode: undefined,
      optOutType: undefined,
      sid: SMS.MessageSid,
    });
  });

  it('keyed-in digits and speech are cut, a recording duration is capped at Twilio’s 4 hours', () => {
    const call = fixture('voice-incoming-zh');
    const menu = parseParams(voiceMenuParams, { ...call, Digits: '1'.repeat(500), SpeechResult: '话'.repeat(9000), Confidence: '7' });
    expect(menu.ok && [menu.params.Digits!.length, menu.params.SpeechResult!.length, menu.params.Confidence]).to.deep.equal([64, 4000, undefined]);
    const rec = parseParams(voiceRecordingParams, { ...fixture('voice-recording'), RecordingDuration: '86400' });
    expect(rec.ok && rec.params.RecordingDuration).to.equal(14_400);
  });

  it('cutText and hasVisibleText', () => {
    expect(cutText('abc', 5)).to.equal('abc');
    expect(cutText('a😀b', 2)).to.equal('a😀');
    expect(cutText('\ud800abc', 2)).to.equal('\ud800a');
    expect(hasVisibleText('\u0000 \u0007\n')).to.equal(false);
    expect(hasVisibleText(' 退订 ')).to.equal(true);
  });
});
