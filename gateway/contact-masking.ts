import { foldWidth } from '../nlp/text-normalizer.js';

/**
 * Phone numbers and e-mail addresses as an agent sees them without the right to the full value (issue 23 item 3):
 * a Chinese mobile as `138****8000`, another number with its first three and last four characters, an e-mail
 * address as `j***@example.com`. Pure functions over any text: identities, addresses, message bodies, event
 * details. Linear in the text whatever it holds (no backtracking pattern runs over unbounded input).
 */

const CN_MOBILE = /^(?:\+?86|0086)?(1[3-9]\d)\d{4}(\d{4})$/;

/** `+8613800138000` → `138****8000`; `+14155550123` → `+14*****0123`; short numbers keep only their last two digits. */
export function maskPhone(value: string): string {
  const compact = foldWidth(value).replace(/[\s().-]/g, '');
  const cn = CN_MOBILE.exec(compact);
  if (cn) return `${cn[1]}****${cn[2]}`;
  if (compact.length <= 6) return `${'*'.repeat(Math.max(compact.length - 2, 1))}${compact.slice(-2)}`;
  return `${compact.slice(0, 3)}${'*'.repeat(Math.max(compact.length - 7, 4))}${compact.slice(-4)}`;
}

/** `jane.doe@example.com` → `j***@example.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return '***';
  return `${value[0]}***@${value.slice(at + 1)}`;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_SHAPE = /^\+?[\d\s().-]{7,20}$/;

/** An address of any channel: masked when it is an e-mail address or a phone number, as it is otherwise (a WeChat openid). */
export function maskAddress(value: string): string {
  const v = value.trim();
  if (EMAIL_SHAPE.test(v)) return maskEmail(v);
  if (PHONE_SHAPE.test(foldWidth(v)) && /\d{4}/.test(foldWidth(v).replace(/\D/g, ''))) return maskPhone(v);
  return value;
}

/** A customer identity's value: phones and e-mail addresses masked, other kinds (WeChat id, chat visitor, order) as they are. */
export function maskIdentityValue(kind: string, value: string): string {
  if (kind === 'phone') return maskPhone(value);
  if (kind === 'email') return maskEmail(value);
  return value;
}

// Phone numbers written in text (the same shapes the entity extractor finds, with full-width digits folded):
// Chinese mobiles with or without +86/0086 and separators, international numbers with +, (415) 555-0123,
// and Chinese landlines written with their area code and a separator (010-12345678). Each is fixed-length or
// bounded, so the scan stays linear.
const TEXT_PHONES = [
  /(?<![A-Za-z0-9_+])(?:(?:\+|00)86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g,
  /(?<![A-Za-z0-9_+])\+[1-9][\d\s-]{6,18}\d(?!\d)/g,
  /(?<!\d)\(\d{3}\)\s?\d{3}-\d{4}(?!\d)/g,
  /(?<![A-Za-z0-9_+])0\d{2,3}-\d{7,8}(?!\d)/g,
];
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;

/** E-mail addresses in text: found from each `@` outwards, so the cost is bounded by the text's length. */
function emailSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    let end = at + 1;
    while (end < text.length && end - at <= 253 && DOMAIN_CHAR.test(text[end]!)) end++;
    // The domain ends at its last label of letters: "mail me at li@example.com." keeps its full stop.
    while (end > at + 1 && /[.-]/.test(text[end - 1]!)) end--;
    const domain = text.slice(at + 1, end);
    if (start < at && /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(domain)) spans.push([start, end]);
  }
  return spans;
}

/** Every phone number and e-mail address written in `text` masked; everything else (order numbers, amounts, dates) kept. */
export function maskContactsInText(text: string): string {
  if (text.length === 0) return text;
  // Width folding is one-for-one, so an offset in `folded` is an offset in `text`.
  const folded = foldWidth(text);
  const spans: Array<[number, number, 'email' | 'phone']> = [];
  // Which characters a span already holds (an e-mail's digits are no phone): each check costs the span's length.
  const covered = new Uint8Array(folded.length);
  const claim = (s: number, e: number, kind: 'email' | 'phone') => {
    for (let i = s; i < e; i++) if (covered[i]) return;
    covered.fill(1, s, e);
    spans.push([s, e, kind]);
  };
  for (const [s, e] of emailSpans(folded)) claim(s, e, 'email');
  for (const pattern of TEXT_PHONES) for (const m of folded.matchAll(pattern)) claim(m.index, m.index + m[0].length, 'phone');
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [s, e, kind] of spans) {
    out += text.slice(at, s) + (kind === 'email' ? maskEmail(folded.slice(s, e)) : maskPhone(folded.slice(s, e)));
    at = e;
  }
  return out + text.slice(at);
}

/** Every string inside a JSON value (an event's before/after, a classification) with its contact details masked. */
export function maskContactsDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskContactsInText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => maskContactsDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskContactsDeep(v, depth + 1)]));
}
