import { WechatXmlError, type WechatPushFields } from './wechat-official.normalize.js';

/**
 * Caps on every field we take from a push. WeChat's own values are short (an openid is 28
 * characters, a MsgId at most 20 digits, a media id about 64), so anything far longer is
 * forged or broken. Unchecked, such a value reached intake, whose own limits then failed the
 * request with a 500 that WeChat retried (issue 16). Three treatments, by what the field is:
 *
 * - identity (who wrote, which message, what kind): refused with a 400, since truncating
 *   would file the message under someone or something else;
 * - references (media ids, URLs, coordinates): dropped when malformed or too long, the
 *   message keeps its words (a ref also ends up in a URL or an agent's link, so it must look
 *   like what WeChat sends);
 * - free text: cleaned of control characters and truncated with "…"; the names of truncated
 *   fields go to `meta.truncated` so an agent knows the end is missing.
 *
 * Fields not listed here are not read at all, so a new use of a field has to add its cap.
 */

/** Openids, the account's original id (gh_…): letters, digits, - and _. */
const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const IDENTITY: Record<string, RegExp> = {
  FromUserName: ACCOUNT_ID,
  ToUserName: ACCOUNT_ID,
  // A 64-bit integer; some pushes (TEMPLATESENDJOBFINISH) spell it MsgID.
  MsgId: /^[0-9]{1,20}$/,
  MsgID: /^[0-9]{1,20}$/,
  // Seconds since 1970. Only the time of the message: an implausible one becomes the time of receipt.
  CreateTime: /^[0-9]{1,20}$/,
  MsgType: /^[A-Za-z_]{1,32}$/,
};

const REFERENCE: Record<string, RegExp> = {
  MediaId: /^[A-Za-z0-9_-]{1,256}$/,
  ThumbMediaId: /^[A-Za-z0-9_-]{1,256}$/,
  Format: /^[A-Za-z0-9]{1,16}$/,
  // Only web links: a `javascript:` or `file:` "picture" must not become a clickable attachment.
  PicUrl: /^https?:\/\/[^\s]{1,2040}$/i,
  Url: /^https?:\/\/[^\s]{1,2040}$/i,
  Location_X: /^-?[0-9]{1,3}(\.[0-9]{1,12})?$/,
  Location_Y: /^-?[0-9]{1,3}(\.[0-9]{1,12})?$/,
  Scale: /^[0-9]{1,4}$/,
};

/** Characters; WeChat's own composer stops long before these. */
const TEXT: Record<string, number> = {
  Content: 20_000,
  // A 60-second voice clip transcribes to a few hundred characters.
  Recognition: 5000,
  Label: 512,
  Title: 512,
  Description: 2000,
  Event: 64,
  // Menu keys are at most 128 bytes; a subscribe's EventKey is qrscene_ + a 64-byte scene.
  EventKey: 256,
};

export interface BoundedPush {
  fields: WechatPushFields;
  /** Text fields cut to their cap. */
  truncated: string[];
  /** Reference fields left out because they were malformed or too long. */
  dropped: string[];
}

/** Checks and bounds the fields of one decrypted push; throws {@link WechatXmlError} for a bad identity field. */
export function boundPushFields(raw: WechatPushFields): BoundedPush {
  const fields: WechatPushFields = {};
  const truncated: string[] = [];
  const dropped: string[] = [];
  for (const [name, pattern] of Object.entries(IDENTITY)) {
    const v = raw[name];
    if (v === undefined || v === '') continue;
    if (!pattern.test(v)) throw new WechatXmlError(`${name} is not what WeChat sends (too long or malformed)`);
    fields[name] = v;
  }
  for (const [name, pattern] of Object.entries(REFERENCE)) {
    const v = raw[name];
    if (v === undefined || v === '') continue;
    if (pattern.test(v)) fields[name] = v;
    else dropped.push(name);
  }
  for (const [name, max] of Object.entries(TEXT)) {
    const v = raw[name];
    if (v === undefined) continue;
    const clean = cleanText(v);
    if (clean.length > max) {
      fields[name] = `${cutAt(clean, max - 1)}…`;
      truncated.push(name);
    } else {
      fields[name] = clean;
    }
  }
  return { fields, truncated, dropped };
}

// C0 controls but tab, newline and carriage return; DEL and C1; the non-characters U+FFFE/U+FFFF.
// XML 1.0 forbids them and WeChat never sends them; PostgreSQL refuses NUL in text and jsonb.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
// A half of a surrogate pair, as a numeric character reference (&#xD800;) can produce.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text without control characters and with lone surrogates replaced by U+FFFD. */
export function cleanText(s: string): string {
  return s.replace(CONTROL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** The first `max` UTF-16 units, one less when the cut would split a surrogate pair. */
function cutAt(s: string, max: number): string {
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
