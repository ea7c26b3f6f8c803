import { expect } from 'chai';
import { gatewaySchema } from '../../../config/gateway.schema.js';
import { CustomerUpdates } from '../../../gateway/customer-updates.js';
import { customerTimeZone, phoneTimeZone } from '../../../gateway/customer-time-zone.js';

describe('quiet hours for progress messages', () => {
  const settings = gatewaySchema.parse({});
  const updates = new CustomerUpdates({ db: {} as never, tickets: {} as never, outbox: {} as never, settings: () => settings, log: {} as never });
  const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

  it('holds a message sent at 23:30 China time until 08:00 the next morning (the default 21:00–08:00)', () => {
    expect(new Date(updates.quietUntil(shanghai('2026-12-04T23:30:00'))!).toISOString()).to.equal('2026-12-05T00:00:00.000Z');
  });

  it('holds one sent at 06:15 until 08:00 the same day', () => {
    expect(updates.quietUntil(shanghai('2026-12-05T06:15:00'))).to.equal(shanghai('2026-12-05T08:00:00'));
  });

  it('sends at once during the day, and at the very end of quiet hours', () => {
    expect(updates.quietUntil(shanghai('2026-12-05T14:00:00'))).to.equal(undefined);
    expect(updates.quietUntil(shanghai('2026-12-05T08:00:00'))).to.equal(undefined);
    expect(updates.quietUntil(shanghai('2026-12-05T20:59:00'))).to.equal(undefined);
  });

  it("is the customer's night, not ours: at 15:00 UTC a customer in Shanghai is held until their 08:00, one in London is not", () => {
    const at = Date.parse('2026-12-05T15:00:00Z');
    expect(updates.quietUntil(at, 'Europe/London')).to.equal(undefined);
    expect(updates.quietUntil(at, 'America/New_York')).to.equal(undefined);
    expect(new Date(updates.quietUntil(at, 'Asia/Shanghai')!).toISOString()).to.equal('2026-12-06T00:00:00.000Z');
    // 21:00 in Los Angeles is 05:00 UTC the next day; their 08:00 is 16:00 UTC.
    expect(new Date(updates.quietUntil(Date.parse('2026-12-06T05:30:00Z'), 'America/Los_Angeles')!).toISOString()).to.equal('2026-12-06T16:00:00.000Z');
  });
});

describe("a customer's own time zone", () => {
  it('follows the country code of a phone number where the country keeps one zone', () => {
    expect(phoneTimeZone('+8613800138000')).to.equal('Asia/Shanghai');
    expect(phoneTimeZone('+447700900123')).to.equal('Europe/London');
    expect(phoneTimeZone('+85291234567')).to.equal('Asia/Hong_Kong');
    expect(phoneTimeZone('+886912345678')).to.equal('Asia/Taipei');
    // The US and Canada span six zones: the configured zone decides.
    expect(phoneTimeZone('+12025550123')).to.equal(undefined);
    expect(phoneTimeZone('anonymous:CA0123')).to.equal(undefined);
  });

  it("prefers the zone the customer's device reported with their latest message, and ignores one Intl does not know", () => {
    const sms = { channel: 'sms' as const, to: '+8613800138000' };
    expect(customerTimeZone({ meta: { timeZone: 'Europe/Paris' } }, sms)).to.equal('Europe/Paris');
    expect(customerTimeZone({ meta: { timeZone: 'Mars/Olympus_Mons' } }, sms)).to.equal('Asia/Shanghai');
    expect(customerTimeZone({ meta: {} }, { channel: 'email', to: 'li@example.cn' })).to.equal(undefined);
    expect(customerTimeZone({ meta: { timeZone: 'America/Chicago' } }, { channel: 'webchat', to: 'visitor:1' })).to.equal('America/Chicago');
  });
});
