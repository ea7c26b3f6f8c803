/**
 * Business-time arithmetic on the calendars of `config/sla.yaml`: is a moment inside
 * opening hours, what is "start + 4 business hours" or "+ 3 business days", and how much
 * business time lies between two moments.
 *
 * Pure functions, no timers and no date library: time zones go through `Intl`, which knows
 * the IANA database (DST included). Local dates are handled as "day numbers" (days since
 * 1970-01-01 on the local calendar) so that stepping over days never touches DST.
 */
import { type CalendarConfig, type DurationSpec, WEEKDAYS, hhmmToMinutes, parseDuration } from '../../config/sla.schema.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far ahead we look for an opening before declaring the calendar closed for good. */
const MAX_SEARCH_DAYS = 800;

/** A calendar prepared for fast lookups (built once per config object). */
export interface CompiledCalendar {
  readonly timeZone: string;
  readonly alwaysOpen: boolean;
  /** Opening intervals in minutes after local midnight, indexed by weekday (0 = Sunday). */
  readonly weekly: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  readonly workdayHours: ReadonlyArray<readonly [number, number]>;
  readonly holidays: ReadonlySet<string>;
  readonly extraWorkdays: ReadonlySet<string>;
  /** Opening intervals as UTC instants per local day number (memo, bounded). */
  readonly dayCache: Map<number, Array<readonly [number, number]>>;
}

const compiled = new WeakMap<CalendarConfig, CompiledCalendar>();

function expandDates(list: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const item of list) {
    const [from, to = from] = item.split('..') as [string, string?];
    let day = dateToDayNumber(from);
    const last = dateToDayNumber(to!);
    // A year of dates per entry is plenty; it also keeps a typo like 2026..2062 from eating memory.
    for (let n = 0; day <= last && n < 366; day++, n++) out.add(dayNumberToDate(day));
  }
  return out;
}

function toMinutes(intervals: ReadonlyArray<readonly [string, string]> | undefined): Array<readonly [number, number]> {
  return (intervals ?? []).map(([a, b]) => [hhmmToMinutes(a), hhmmToMinutes(b)] as const).sort((x, y) => x[0] - y[0]);
}

/** Prepares a calendar for lookups; cached per config object, so calling it per ticket is cheap. */
export function compileCalendar(cal: CalendarConfig | CompiledCalendar): CompiledCalendar {
  if ('dayCache' in cal) return cal;
  const hit = compiled.get(cal);
  if (hit) return hit;
  const weekly = WEEKDAYS.map((d) => toMinutes(cal.hours?.[d]));
  const c: CompiledCalendar = {
    timeZone: cal.timeZone,
    alwaysOpen: cal.alwaysOpen ?? false,
    weekly,
    workdayHours: cal.workdayHours ? toMinutes(cal.workdayHours) : weekly[1]!,
    holidays: expandDates(cal.holidays ?? []),
    extraWorkdays: expandDates(cal.extraWorkdays ?? []),
    dayCache: new Map(),
  };
  compiled.set(cal, c);
  return c;
}

// ---------------------------------------------------------------------------------------
// Time-zone math through Intl

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at the instant `ms`, in ms (Asia/Shanghai → +8 h). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  // formatToParts drops milliseconds; compare on whole seconds.
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Local day number (days since 1970-01-01 on the zone's calendar) and ms since local midnight. */
export function localDay(ms: number, timeZone: string): { day: number; msOfDay: number } {
  const local = ms + zoneOffsetMs(ms, timeZone);
  const day = Math.floor(local / DAY_MS);
  return { day, msOfDay: local - day * DAY_MS };
}

/**
 * The instant at which the wall clock in `timeZone` shows `msOfDay` on local day `day`.
 * A wall time skipped by a DST jump (02:30 on a spring-forward night) maps to the moment
 * just after the jump; a repeated one (fall back) maps to its first occurrence.
 */
export function zonedToInstant(day: number, msOfDay: number, timeZone: string): number {
  const local = day * DAY_MS + msOfDay;
  // Two passes: the offset at the guess can differ from the offset at the answer near a transition.
  const guess = local - zoneOffsetMs(local, timeZone);
  const off2 = zoneOffsetMs(guess, timeZone);
  const second = local - off2;
  if (second === guess) return guess;
  if (zoneOffsetMs(second, timeZone) === off2) return Math.min(guess, second);
  return Math.max(guess, second);
}

export function dateToDayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.floor(Date.UTC(y!, m! - 1, d!) / DAY_MS);
}

export function dayNumberToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------------------
// Opening intervals

/** Opening intervals (UTC ms, sorted) on local day `day`; empty on closed days and holidays. */
export function openIntervalsOn(calendar: CalendarConfig | CompiledCalendar, day: number): Array<readonly [number, number]> {
  const cal = compileCalendar(calendar);
  const cached = cal.dayCache.get(day);
  if (cached) return cached;
  const date = dayNumberToDate(day);
  let minutes: ReadonlyArray<readonly [number, number]>;
  if (cal.alwaysOpen) minutes = [[0, 1440]];
  else if (cal.holidays.has(date)) minutes = [];
  else if (cal.extraWorkdays.has(date) && cal.weekly[weekdayOf(day)]!.length === 0) minutes = cal.workdayHours;
  else minutes = cal.weekly[weekdayOf(day)]!;
  const out = minutes.map(([a, b]) => [zonedToInstant(day, a * MINUTE_MS, cal.timeZone), zonedToInstant(day, b * MINUTE_MS, cal.timeZone)] as const);
  if (cal.dayCache.size > 4096) cal.dayCache.clear();
  cal.dayCache.set(day, out);
  return out;
}

/** Whether `at` falls inside the calendar's opening hours (the closing minute itself is closed). */
export function isOpenAt(calendar: CalendarConfig | CompiledCalendar, at: Date | number): boolean {
  const cal = compileCalendar(calendar);
  if (cal.alwaysOpen) return true;
  const t = +at;
  return openIntervalsOn(cal, localDay(t, cal.timeZone).day).some(([s, e]) => s <= t && t < e);
}

/** The first opening interval that ends after `t` (its start may be before `t`). */
function nextInterval(cal: CompiledCalendar, t: number): readonly [number, number] {
  const first = localDay(t, cal.timeZone).day;
  for (let day = first; day < first + MAX_SEARCH_DAYS; day++) {
    for (const iv of openIntervalsOn(cal, day)) if (iv[1] > t) return iv;
  }
  throw new Error(`calendar (${cal.timeZone}) has no opening hours in the ${MAX_SEARCH_DAYS} days after ${new Date(t).toISOString()}`);
}

function isBusinessDay(cal: CompiledCalendar, day: number): boolean {
  return openIntervalsOn(cal, day).length > 0;
}

function nthBusinessDayAfter(cal: CompiledCalendar, day: number, n: number): number {
  let d = day;
  for (let found = 0, guard = 0; found < n; guard++) {
    if (guard > MAX_SEARCH_DAYS) throw new Error(`calendar (${cal.timeZone}) has fewer than ${n} business days in ${MAX_SEARCH_DAYS} days`);
    d++;
    if (isBusinessDay(cal, d)) found++;
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// Arithmetic

/**
 * `start` plus a business duration on `calendar`.
 *
 * - A number or `30m`/`4h`/`1h30m`: that much open time, counted from `start` if open or
 *   from the next opening otherwise (Friday 17:50 + 30m with 09:00–18:00 → Monday 09:20).
 *   A result that lands exactly on a closing time stays there (due at 18:00, not 09:00 next day).
 * - `3bd`: three business days. From inside opening hours: the same local time on the third
 *   following business day (clamped into that day's hours). From outside: the next opening
 *   day counts as day one and the target is its third business day's closing time.
 * - On an `alwaysOpen` calendar durations are elapsed time and `bd` means calendar days at
 *   the same local wall-clock time (so a DST change does not shift it by an hour).
 */
export function addBusinessDuration(start: Date, duration: number | string | DurationSpec, calendar: CalendarConfig | CompiledCalendar): Date {
  const cal = compileCalendar(calendar);
  const spec: DurationSpec =
    typeof duration === 'number' ? { kind: 'business', ms: duration } : typeof duration === 'string' ? parseDuration(duration) : duration;
  const t0 = +start;

  if (spec.kind === 'businessDays') {
    if (cal.alwaysOpen) {
      const { day, msOfDay } = localDay(t0, cal.timeZone);
      return new Date(zonedToInstant(day + spec.days, msOfDay, cal.timeZone));
    }
    if (isOpenAt(cal, t0)) {
      const { day, msOfDay } = localDay(t0, cal.timeZone);
      const target = nthBusinessDayAfter(cal, day, spec.days);
      const wall = zonedToInstant(target, msOfDay, cal.timeZone);
      const ivs = openIntervalsOn(cal, target);
      if (ivs.some(([s, e]) => s <= wall && wall <= e)) return new Date(wall);
      if (wall < ivs[0]![0]) return new Date(ivs[0]![0]);
      // Past that day's hours or in a gap: the latest closing time before the wall time, never later.
      const before = ivs.filter(([, e]) => e <= wall);
      return new Date(before[before.length - 1]![1]);
    }
    const [openAt] = nextInterval(cal, t0);
    const firstDay = localDay(openAt, cal.timeZone).day;
    const target = spec.days === 1 ? firstDay : nthBusinessDayAfter(cal, firstDay, spec.days - 1);
    const ivs = openIntervalsOn(cal, target);
    return new Date(ivs[ivs.length - 1]![1]);
  }

  let remaining = spec.ms;
  if (remaining <= 0) return new Date(t0);
  if (cal.alwaysOpen) return new Date(t0 + remaining);
  let t = t0;
  for (;;) {
    const [s, e] = nextInterval(cal, t);
    const from = Math.max(s, t);
    const available = e - from;
    if (remaining <= available) return new Date(from + remaining);
    remaining -= available;
    t = e;
  }
}

/** Open time (ms) between two moments on `calendar`; 0 when `to` is not after `from`. */
export function businessMsBetween(from: Date | number, to: Date | number, calendar: CalendarConfig | CompiledCalendar): number {
  const cal = compileCalendar(calendar);
  const a = +from;
  const b = +to;
  if (b <= a) return 0;
  if (cal.alwaysOpen) return b - a;
  const firstDay = localDay(a, cal.timeZone).day;
  const lastDay = localDay(b, cal.timeZone).day;
  let total = 0;
  for (let day = firstDay; day <= lastDay; day++) {
    for (const [s, e] of openIntervalsOn(cal, day)) {
      const lo = Math.max(s, a);
      const hi = Math.min(e, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}
