import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { type CalendarConfig, calendarSchema, parseDuration, slaSchema } from '../../../../config/sla.schema.js';
import { addBusinessDuration, businessMsBetween, isOpenAt } from '../../../../gateway/sla/business-calendar.js';

const H = 3_600_000;
const weekdays = (from: string, to: string) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [[from, to]]]));
const cal = (c: Record<string, unknown>): CalendarConfig => calendarSchema.parse(c);

const shanghai = cal({
  timeZone: 'Asia/Shanghai',
  hours: weekdays('09:00', '18:00'),
  holidays: ['2026-10-01..2026-10-07'],
  extraWorkdays: ['2026-10-10'],
});
const newYork = cal({ timeZone: 'America/New_York', hours: weekdays('09:00', '18:00') });
const iso = (d: Date) => d.toISOString();
const at = (s: string) => new Date(s);

describe('business calendar: adding business time', () => {
  it('Friday 17:50 Asia/Shanghai + 30 business minutes → Monday 09:20', () => {
    expect(iso(addBusinessDuration(at('2026-03-06T17:50:00+08:00'), '30m', shanghai))).to.equal(iso(at('2026-03-09T09:20:00+08:00')));
  });

  it('inside hours it is plain addition; ending exactly at closing time stays on that day', () => {
    expect(iso(addBusinessDuration(at('2026-03-04T10:00:00+08:00'), '2h', shanghai))).to.equal(iso(at('2026-03-04T12:00:00+08:00')));
    expect(iso(addBusinessDuration(at('2026-03-04T16:00:00+08:00'), '2h', shanghai))).to.equal(iso(at('2026-03-04T18:00:00+08:00')));
    expect(iso(addBusinessDuration(at('2026-03-04T16:00:00+08:00'), '1h30m', shanghai))).to.equal(iso(at('2026-03-04T17:30:00+08:00')));
  });

  it('before opening the clock starts at 09:00; a number is taken as business milliseconds', () => {
    expect(iso(addBusinessDuration(at('2026-03-09T07:00:00+08:00'), H, shanghai))).to.equal(iso(at('2026-03-09T10:00:00+08:00')));
    expect(iso(addBusinessDuration(at('2026-03-09T07:00:00+08:00'), 0, shanghai))).to.equal(iso(at('2026-03-09T07:00:00+08:00')));
  });

  it('a long target spans several days: 20 business hours from Wednesday 10:00 → Friday 12:00', () => {
    expect(iso(addBusinessDuration(at('2026-03-04T10:00:00+08:00'), '20h', shanghai))).to.equal(iso(at('2026-03-06T12:00:00+08:00')));
  });

  it('holidays are closed: 2 h from 17:00 on the eve of National Day → 10:00 on 8 October', () => {
    expect(iso(addBusinessDuration(at('2026-09-30T17:00:00+08:00'), '2h', shanghai))).to.equal(iso(at('2026-10-08T10:00:00+08:00')));
  });

  it('a make-up workday on a Saturday is open: Friday 9 October 17:00 + 2 h → Saturday 10 October 10:00', () => {
    expect(iso(addBusinessDuration(at('2026-10-09T17:00:00+08:00'), '2h', shanghai))).to.equal(iso(at('2026-10-10T10:00:00+08:00')));
  });

  it('America/New_York across the March DST change: Friday 17:00 EST + 2 h → Monday 10:00 EDT (14:00 UTC, not 15:00)', () => {
    expect(iso(addBusinessDuration(at('2026-03-06T17:00:00-05:00'), '2h', newYork))).to.equal('2026-03-09T14:00:00.000Z');
    expect(isOpenAt(newYork, at('2026-03-09T13:30:00Z'))).to.equal(true); // 09:30 EDT
    expect(isOpenAt(newYork, at('2026-03-09T12:30:00Z'))).to.equal(false); // 08:30 EDT (would be 07:30 EST)
  });

  it('the spring-forward Sunday has 23 hours on a midnight-to-midnight calendar, the fall-back Sunday 25', () => {
    const allDay = cal({ timeZone: 'America/New_York', hours: { sun: [['00:00', '24:00']] } });
    expect(businessMsBetween(at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'), allDay)).to.equal(23 * H);
    expect(businessMsBetween(at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'), allDay)).to.equal(25 * H);
  });

  it('a 24x7 calendar counts elapsed time, and a business day keeps the wall-clock time across DST', () => {
    const nyAlways = cal({ timeZone: 'America/New_York', alwaysOpen: true });
    const saturdayNoon = at('2026-03-07T12:00:00-05:00');
    expect(iso(addBusinessDuration(saturdayNoon, '24h', nyAlways))).to.equal(iso(at('2026-03-08T13:00:00-04:00')));
    expect(iso(addBusinessDuration(saturdayNoon, '1bd', nyAlways))).to.equal(iso(at('2026-03-08T12:00:00-04:00')));
    expect(isOpenAt(nyAlways, at('2026-12-25T03:00:00Z'))).to.equal(true);
  });

  it('zones with odd offsets work (Asia/Kathmandu is UTC+5:45)', () => {
    const ktm = cal({ timeZone: 'Asia/Kathmandu', hours: weekdays('10:00', '17:00') });
    expect(isOpenAt(ktm, at('2026-03-04T04:15:00Z'))).to.equal(true); // 10:00 local
    expect(isOpenAt(ktm, at('2026-03-04T04:14:00Z'))).to.equal(false);
  });

  it('a lunch break is not business time', () => {
    const lunch = cal({
      timeZone: 'Asia/Shanghai',
      hours: {
        mon: [
          ['09:00', '12:00'],
          ['13:00', '18:00'],
        ],
      },
    });
    expect(iso(addBusinessDuration(at('2026-03-09T11:00:00+08:00'), '2h', lunch))).to.equal(iso(at('2026-03-09T14:00:00+08:00')));
    expect(isOpenAt(lunch, at('2026-03-09T12:30:00+08:00'))).to.equal(false);
  });
});

describe('business calendar: business days', () => {
  it('from inside hours: the same time on the third following business day (Friday 17:50 + 3bd → Wednesday 17:50)', () => {
    expect(iso(addBusinessDuration(at('2026-03-06T17:50:00+08:00'), '3bd', shanghai))).to.equal(iso(at('2026-03-11T17:50:00+08:00')));
  });

  it('from outside hours: the next opening day is day one, due at its third day closing (Monday 20:00 → Thursday 18:00)', () => {
    expect(iso(addBusinessDuration(at('2026-03-09T20:00:00+08:00'), '3bd', shanghai))).to.equal(iso(at('2026-03-12T18:00:00+08:00')));
    expect(iso(addBusinessDuration(at('2026-03-07T11:00:00+08:00'), '1bd', shanghai))).to.equal(iso(at('2026-03-09T18:00:00+08:00')));
  });

  it('skips holidays: Wednesday 30 September 10:00 + 1bd → Thursday 8 October 10:00', () => {
    expect(iso(addBusinessDuration(at('2026-09-30T10:00:00+08:00'), '1bd', shanghai))).to.equal(iso(at('2026-10-08T10:00:00+08:00')));
  });

  it('a shorter day clamps to its closing time, never later than the same time', () => {
    const shortFriday = cal({ timeZone: 'Asia/Shanghai', hours: { ...weekdays('09:00', '18:00'), fri: [['09:00', '12:00']] } });
    expect(iso(addBusinessDuration(at('2026-03-05T15:00:00+08:00'), '1bd', shortFriday))).to.equal(iso(at('2026-03-06T12:00:00+08:00')));
  });
});

describe('business calendar: measuring and checking', () => {
  it('business time between Friday 17:00 and Monday 10:00 is 2 h', () => {
    expect(businessMsBetween(at('2026-03-06T17:00:00+08:00'), at('2026-03-09T10:00:00+08:00'), shanghai)).to.equal(2 * H);
    expect(businessMsBetween(at('2026-03-09T10:00:00+08:00'), at('2026-03-06T17:00:00+08:00'), shanghai)).to.equal(0);
  });

  it('isOpenAt: opening minute open, closing minute closed, weekends and holidays closed', () => {
    expect(isOpenAt(shanghai, at('2026-03-04T09:00:00+08:00'))).to.equal(true);
    expect(isOpenAt(shanghai, at('2026-03-04T17:59:59+08:00'))).to.equal(true);
    expect(isOpenAt(shanghai, at('2026-03-04T18:00:00+08:00'))).to.equal(false);
    expect(isOpenAt(shanghai, at('2026-03-07T10:00:00+08:00'))).to.equal(false);
    expect(isOpenAt(shanghai, at('2026-10-05T10:00:00+08:00'))).to.equal(false);
    expect(isOpenAt(shanghai, at('2026-10-10T10:00:00+08:00'))).to.equal(true);
  });

  it('a calendar that never opens gives a clear error instead of looping', () => {
    const never = cal({
      timeZone: 'UTC',
      hours: { mon: [['09:00', '10:00']] },
      holidays: ['2026-01-01..2026-12-31', '2027-01-01..2027-12-31', '2028-01-01..2028-12-31'],
    });
    expect(() => addBusinessDuration(at('2026-01-01T00:00:00Z'), '1h', never)).to.throw(/no opening hours in the 800 days/);
  });

  it('durations: m / h / combined / bd; anything else is refused with what to write instead', () => {
    expect(parseDuration('30m')).to.deep.equal({ kind: 'business', ms: 30 * 60_000 });
    expect(parseDuration('1h30m')).to.deep.equal({ kind: 'business', ms: 90 * 60_000 });
    expect(parseDuration('5bd')).to.deep.equal({ kind: 'businessDays', days: 5 });
    expect(() => parseDuration('3d')).to.throw(/use minutes\/hours like 30m, 4h, 1h30m or business days like 3bd/);
    expect(() => parseDuration('0m')).to.throw(/zero/);
  });

  it('the shipped business calendar knows the 2026 Chinese holidays and make-up days', () => {
    const sla = slaSchema.parse(parse(readFileSync(new URL('../../../../config/sla.yaml', import.meta.url), 'utf8')));
    const business = sla.calendars['business']!;
    expect(isOpenAt(business, at('2026-02-18T10:00:00+08:00'))).to.equal(false); // Spring Festival, a Wednesday
    expect(isOpenAt(business, at('2026-02-14T10:00:00+08:00'))).to.equal(true); // Saturday make-up day
    expect(isOpenAt(business, at('2026-10-01T10:00:00+08:00'))).to.equal(false);
    // Spring Festival eve, Friday 13 Feb 17:00 + 2 h: 1 h that day, 1 h on the Saturday make-up day.
    expect(iso(addBusinessDuration(at('2026-02-13T17:00:00+08:00'), '2h', business))).to.equal(iso(at('2026-02-14T10:00:00+08:00')));
    expect(isOpenAt(sla.calendars['24x7']!, at('2026-02-18T03:00:00+08:00'))).to.equal(true);
  });
});
