import { expect } from 'chai';
import { ZodError } from 'zod';
import { twilioConfigFromEnv } from '../../../../config/channels/twilio.schema.js';
import { defaultIsUrgent, weeklyHoursCalendar } from '../../../../adapters/twilio/twilio.router.js';
import { isCallableNumber, maskPhone } from '../../../../adapters/twilio/twilio-common.js';
import { testEnv } from '../../../integration/twilio/twilio-harness.js';

function errorPaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ZodError);
    return (err as ZodError).issues.map((i) => i.path.join('.'));
  }
  throw new Error('expected a ZodError');
}

describe('twilioConfigFromEnv', () => {
  it('is off (undefined) when no Twilio credentials are set, blank values included', () => {
    expect(twilioConfigFromEnv({})).to.equal(undefined);
    expect(twilioConfigFromEnv({ TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: ' ', PUBLIC_BASE_URL: 'https://x.example' })).to.equal(undefined);
  });

  it('builds the typed config with defaults and strips the trailing slash of PUBLIC_BASE_URL', () => {
    const c = twilioConfigFromEnv(testEnv({ PUBLIC_BASE_URL: 'https://support.example.test/' }))!;
    expect(c.publicBaseUrl).to.equal('https://support.example.test');
    expect(c.voice.defaultLanguage).to.equal('zh-CN');
    expect(c.voice.zhPrefixes).to.deep.equal(['+86', '+852', '+853', '+886']);
    expect(c.voice.sayLanguages).to.deep.equal({ 'zh-CN': 'cmn-CN', 'en-US': 'en-US' });
    expect(c.businessHours).to.deep.equal({ days: [1, 2, 3, 4, 5], startMinute: 540, endMinute: 1080, timeZone: 'Asia/Shanghai' });
  });

  it('names every missing variable when the channel is half configured', () => {
    const paths = errorPaths(() => twilioConfigFromEnv({ TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32) }));
    expect(paths).to.deep.equal(['TWILIO_AUTH_TOKEN', 'TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID', 'PUBLIC_BASE_URL']);
  });

  it('rejects malformed values, naming the variable', () => {
    expect(errorPaths(() => twilioConfigFromEnv(testEnv({ TWILIO_ACCOUNT_SID: 'SK123' })))).to.deep.equal(['TWILIO_ACCOUNT_SID']);
    expect(errorPaths(() => twilioConfigFromEnv(testEnv({ TWILIO_ONCALL_NUMBER: '13800138000' })))).to.deep.equal(['TWILIO_ONCALL_NUMBER']);
    expect(errorPaths(() => twilioConfigFromEnv(testEnv({ TWILIO_BUSINESS_HOURS: '9-6' })))).to.deep.equal(['TWILIO_BUSINESS_HOURS']);
    expect(errorPaths(() => twilioConfigFromEnv(testEnv({ TWILIO_TIME_ZONE: 'Mars/Olympus' })))).to.deep.equal(['TWILIO_TIME_ZONE']);
  });
});

describe('Twilio defaults used when the gateway injects nothing', () => {
  it('business hours are weekdays 09:00–18:00 in Asia/Shanghai, whatever the server zone', () => {
    const open = weeklyHoursCalendar(twilioConfigFromEnv(testEnv())!.businessHours);
    expect(open(new Date('2026-11-24T01:00:00Z')), 'Tue 09:00 Shanghai').to.equal(true);
    expect(open(new Date('2026-11-24T09:59:00Z')), 'Tue 17:59 Shanghai').to.equal(true);
    expect(open(new Date('2026-11-24T10:00:00Z')), 'Tue 18:00 Shanghai').to.equal(false);
    expect(open(new Date('2026-11-23T23:30:00Z')), 'Tue 07:30 Shanghai').to.equal(false);
    expect(open(new Date('2026-11-28T03:00:00Z')), 'Sat 11:00 Shanghai').to.equal(false);
  });

  it('a weekend range wraps the week', () => {
    const open = weeklyHoursCalendar(twilioConfigFromEnv(testEnv({ TWILIO_BUSINESS_HOURS: 'Sat-Sun 10:00-16:00', TWILIO_TIME_ZONE: 'UTC' }))!.businessHours);
    expect(open(new Date('2026-11-29T12:00:00Z')), 'Sun noon').to.equal(true);
    expect(open(new Date('2026-11-27T12:00:00Z')), 'Fri noon').to.equal(false);
  });

  it('the fallback urgency cue catches personal-safety words in Chinese and English only', () => {
    expect(defaultIsUrgent('我儿子用了你们的充电器被烧伤了')).to.equal(true);
    expect(defaultIsUrgent('the heater caught fire in the living room')).to.equal(true);
    expect(defaultIsUrgent('快递晚了三天')).to.equal(false);
    expect(defaultIsUrgent('my parcel is late')).to.equal(false);
  });

  it('withheld caller IDs are not callable numbers; phone numbers are masked in logs', () => {
    expect(isCallableNumber('+8613912345678')).to.equal(true);
    for (const id of ['anonymous', '+266696687', '+86282452253', '+7378742833', 'client:alice', undefined]) {
      expect(isCallableNumber(id), String(id)).to.equal(false);
    }
    expect(maskPhone('+8613912345678')).to.equal('+86139****5678');
  });
});
