import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { Attachment, InboundMessage } from '../types.js';

/** The flat fields of one pushed `<xml>` document, all kept as strings. */
export type WechatPushFields = Record<string, string>;

const parser = new XMLParser({
  ignoreAttributes: true,
  // MsgId is a 64-bit integer (6054768590064713728) that a JS number would round: keep every value a string.
  parseTagValue: false,
  trimValues: true,
  // A DTD is refused before parsing (see below); these caps are the parser's own second line.
  processEntities: { enabled: true, maxEntityCount: 1, maxEntitySize: 64, maxExpandedLength: 100_000 },
});

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false });

/**
 * A push we cannot read. The message is ours and safe to answer with; the parser's own
 * wording (positions, library names) stays in `cause` for the log, never in a response.
 */
export class WechatXmlError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WechatXmlError';
  }
}

/**
 * A push is one flat `<xml>` of a dozen or two fields. fast-xml-parser spends tens of
 * microseconds per element or entity, so 64 KB of `<a></a>` or `&amp;` would block the event
 * loop for half a second: markup beyond these counts is refused before parsing.
 */
const MAX_TAGS = 200;
const MAX_ENTITY_REFS = 200;

/** Parses one WeChat push (`<xml>…</xml>`) into its top-level fields. Nested elements are dropped. */
export function parseWechatXml(xml: string): WechatPushFields {
  const problem = markupProblem(xml);
  if (problem) throw new WechatXmlError(problem);
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new WechatXmlError('malformed XML', { cause: err });
  }
  const root = (doc as Record<string, unknown> | undefined)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new WechatXmlError('no <xml> root element');
  const fields: WechatPushFields = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string') fields[k] = v;
  }
  return fields;
}

/**
 * Why the markup outside CDATA sections cannot be a push, if it cannot; one pass with
 * indexOf (a regex over unclosed CDATA openers would backtrack quadratically).
 * - A DTD: WeChat never sends one, and refusing it rules out entity expansion (billion
 *   laughs) and external entities. fast-xml-parser reads a DOCTYPE anywhere, even after the
 *   root element opens, so the whole text is checked, but a customer quoting
 *   `<!DOCTYPE html>` in a message (inside CDATA) is fine.
 * - More tags or entity references than a push has (see MAX_TAGS).
 */
function markupProblem(xml: string): string | undefined {
  let tags = 0;
  let refs = 0;
  let from = 0;
  for (;;) {
    const open = xml.indexOf('<![CDATA[', from);
    const end = open === -1 ? xml.length : open;
    for (let i = from; i < end; i++) {
      const c = xml.charCodeAt(i);
      if (c === 0x3c /* < */) {
        if (xml.charCodeAt(i + 1) === 0x21 /* ! */ && /^<!(DOCTYPE|ENTITY)/i.test(xml.slice(i, i + 9))) return 'DTDs are not accepted';
        if (++tags > MAX_TAGS) return 'more markup than a WeChat push has';
      } else if (c === 0x26 /* & */ && ++refs > MAX_ENTITY_REFS) return 'more markup than a WeChat push has';
    }
    if (open === -1) return undefined;
    const close = xml.indexOf(']]>', open + 9);
    // An unclosed CDATA section: the parser refuses the document anyway.
    if (close === -1) return undefined;
    tags++;
    from = close + 3;
  }
}

/** Builds a passive text reply (被动回复文本消息) to the user who sent `to`. */
export function buildTextReplyXml(args: { toUser: string; fromAccount: string; text: string; now?: Date }): string {
  const createTime = Math.floor((args.now ?? new Date()).getTime() / 1000);
  return builder.build({
    xml: {
      ToUserName: { __cdata: args.toUser },
      FromUserName: { __cdata: args.fromAccount },
      CreateTime: createTime,
      MsgType: { __cdata: 'text' },
      Content: { __cdata: args.text },
    },
  }) as string;
}

/** The envelope of a safe-mode reply. */
export function buildEncryptedReplyXml(args: { encrypt: string; signature: string; timestamp: string; nonce: string }): string {
  return builder.build({
    xml: {
      Encrypt: { __cdata: args.encrypt },
      MsgSignature: { __cdata: args.signature },
      TimeStamp: args.timestamp,
      Nonce: { __cdata: args.nonce },
    },
  }) as string;
}

export interface NormalizeOptions {
  /** True when the push arrived encrypted (recorded in meta for audits). */
  encrypted: boolean;
  /** Fields cut to their cap (see wechat-field-limits.ts), recorded in `meta.truncated`. */
  truncated?: string[];
}

/**
 * Maps one user message (any MsgType but `event`) to an InboundMessage. The result may
 * carry no words and no attachment (a blank text, a picture without a media reference):
 * the caller decides what to do with those, since intake refuses them.
 *
 * Fields are expected bounded by `boundPushFields`: references that were malformed are
 * absent, so an attachment is only made from a real media id or picture URL.
 */
export function normalizeUserMessage(f: WechatPushFields, opts: NormalizeOptions): InboundMessage {
  const msgType = f.MsgType;
  const openid = f.FromUserName;
  if (!msgType || !openid || !f.CreateTime) throw new WechatXmlError('MsgType, FromUserName and CreateTime are required');
  const msgId = f.MsgId || f.MsgID; // some pushes spell it MsgID
  if (!msgId) throw new WechatXmlError('MsgId is required for a user message');
  const meta: Record<string, unknown> = { via: 'official', msgType, encrypted: opts.encrypted, complaint: true };
  if (opts.truncated?.length) meta.truncated = opts.truncated;
  const message = (text: string, attachments: Attachment[], extra: Record<string, unknown> = {}): InboundMessage => ({
    channel: 'wechat',
    externalId: msgId,
    receivedAt: receivedAt(f.CreateTime!),
    from: { address: openid },
    to: f.ToUserName || undefined,
    text,
    attachments,
    meta: { ...meta, ...extra },
  });
  const media = (name: string, contentType: string, ref = f.MediaId && `wechat-media:${f.MediaId}`): Attachment[] =>
    ref ? [{ name, contentType, size: 0, ref }] : [];

  switch (msgType) {
    case 'text':
      return message(f.Content ?? '', []);
    case 'voice': {
      // Recognition is only present when speech recognition (接收语音识别结果) is switched on.
      const recognition = f.Recognition || undefined;
      return message(recognition ?? '', media(`${msgId}.${f.Format || 'amr'}`, voiceContentType(f.Format)), {
        mediaId: f.MediaId,
        format: f.Format,
        recognition,
        transcribed: recognition !== undefined,
      });
    }
    case 'image':
      return message('', media(`${msgId}.jpg`, 'image/jpeg', f.PicUrl || (f.MediaId && `wechat-media:${f.MediaId}`)), { mediaId: f.MediaId, picUrl: f.PicUrl });
    case 'location': {
      const location = { latitude: Number(f.Location_X), longitude: Number(f.Location_Y), scale: Number(f.Scale), label: f.Label || undefined };
      // Without a label the place is still what the customer sent: a geo URI (RFC 5870) as the text.
      const where = f.Label || (f.Location_X && f.Location_Y ? `geo:${f.Location_X},${f.Location_Y}` : '');
      return message(where, [], { location });
    }
    case 'video':
    case 'shortvideo':
      return message('', media(`${msgId}.mp4`, 'video/mp4'), { mediaId: f.MediaId, thumbMediaId: f.ThumbMediaId });
    case 'link':
      return message([f.Title, f.Description, f.Url].filter(Boolean).join('\n'), [], { url: f.Url });
    default:
      // A type WeChat added later: keep whatever words or media it has.
      return message(f.Content ?? '', media(msgId, 'application/octet-stream'), { mediaId: f.MediaId });
  }
}

/** CreateTime as ISO time; the time of receipt when it is not a plausible past time (a Date overflows past year 275760). */
function receivedAt(createTime: string): string {
  const ms = Number(createTime) * 1000;
  const now = Date.now();
  return Number.isFinite(ms) && ms > 0 && ms <= now + 86_400_000 ? new Date(ms).toISOString() : new Date(now).toISOString();
}

function voiceContentType(format: string | undefined): string {
  switch ((format ?? '').toLowerCase()) {
    case 'speex':
      return 'audio/speex';
    case 'mp3':
      return 'audio/mpeg';
    default:
      return 'audio/amr';
  }
}
