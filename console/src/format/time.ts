import type { Lang } from '../i18n/dictionary.js';

const locale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-GB');

/** A date and time in the agent's own time zone. */
export function dateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** Short and for tables: the time today, else the date. */
export function compactTime(iso: string | null | undefined, lang: Lang, now = Date.now()): string {
  if (!iso) return '';
  const d = new Date(iso);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return new Intl.DateTimeFormat(
    locale(lang),
    sameDay ? { timeStyle: 'short' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  ).format(d);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 hr" / "5 min ago" / "3小时后". */
export function relative(iso: string | null | undefined, lang: Lang, now = Date.now()): string {
  if (!iso) return '';
  const diff = new Date(iso).getTime() - now;
  const rtf = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto', style: 'short' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'minute') return rtf.format(Math.round(diff / ms), unit);
  }
  return '';
}
