import type { Message } from '../storage/ticket.store.js';
import type { ReplyTarget } from './reply-target.js';

/**
 * The time zone a country code means, for countries that keep one zone (or nearly: the Canaries,
 * the Chatham Islands). Country codes are prefix-free, so the first match is the only one. Countries
 * spanning several zones (+1, +7, +52, +55, +61, +62) are not listed: the configured zone decides.
 */
const ZONE_BY_COUNTRY_CODE: Record<string, string> = {
  '86': 'Asia/Shanghai',
  '852': 'Asia/Hong_Kong',
  '853': 'Asia/Macau',
  '886': 'Asia/Taipei',
  '81': 'Asia/Tokyo',
  '82': 'Asia/Seoul',
  '65': 'Asia/Singapore',
  '60': 'Asia/Kuala_Lumpur',
  '66': 'Asia/Bangkok',
  '84': 'Asia/Ho_Chi_Minh',
  '63': 'Asia/Manila',
  '91': 'Asia/Kolkata',
  '971': 'Asia/Dubai',
  '966': 'Asia/Riyadh',
  '44': 'Europe/London',
  '353': 'Europe/Dublin',
  '33': 'Europe/Paris',
  '49': 'Europe/Berlin',
  '39': 'Europe/Rome',
  '34': 'Europe/Madrid',
  '31': 'Europe/Amsterdam',
  '32': 'Europe/Brussels',
  '41': 'Europe/Zurich',
  '43': 'Europe/Vienna',
  '45': 'Europe/Copenhagen',
  '46': 'Europe/Stockholm',
  '47': 'Europe/Oslo',
  '48': 'Europe/Warsaw',
  '64': 'Pacific/Auckland',
  '27': 'Africa/Johannesburg',
};

/** The zone of an E.164 number's country, when the country keeps one zone: +86… → Asia/Shanghai, +1… → undefined. */
export function phoneTimeZone(phone: string): string | undefined {
  const m = /^\+([1-9]\d{6,14})$/.exec(phone);
  if (!m) return undefined;
  for (let len = 1; len <= 3; len++) {
    const zone = ZONE_BY_COUNTRY_CODE[m[1]!.slice(0, len)];
    if (zone) return zone;
  }
  return undefined;
}

const known = new Map<string, boolean>();

/** Whether Intl knows `zone` (an IANA name such as Europe/London); a customer's device may report anything. */
export function isKnownTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  let ok = known.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    if (known.size < 1000) known.set(zone, ok);
  }
  return ok;
}

/**
 * The customer's own time zone, where we know it: the zone their device reported with their latest
 * message (`meta.timeZone`: the chat widget's browser, Bot Framework's `localTimezone`, an integration),
 * else the country of the phone number a message to them goes to. Undefined: use the configured zone.
 */
export function customerTimeZone(last: Pick<Message, 'meta'>, target: Pick<ReplyTarget, 'channel' | 'to'>): string | undefined {
  const reported = last.meta.timeZone;
  if (isKnownTimeZone(reported)) return reported;
  if (target.channel === 'sms' || target.channel === 'voice') return phoneTimeZone(target.to);
  return undefined;
}
