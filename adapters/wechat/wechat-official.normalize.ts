import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { Attachment, InboundMessage } from '../types.js';

/** The flat fields of one pushed `<xml>` document, all kept as strings. */
export type WechatPushFields = Record<string, string>;

const parser = new XMLParser({
  ignoreAttributes: true,
  // MsgId is a 64-bit integer (6054768590064713728) that a JS number would round: keep every value a string.
  parseTagValue: false,
  trimValues: true,
});

const builder = new XMLBuilder({ cdataPropName: '__cdata', format: false });

export class WechatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

/** Parses one WeChat push (`<xml>…</xml>`) into its top-level fields. Nested elements are dropped. */
export function parseWechatXml(xml: string): WechatPushFields {
  // WeChat never sends a DTD; refusing one rules out entity-expansion tricks on a public endpoint.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new WechatXmlError('DTDs are not accepted');
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (err) {
    throw new WechatXmlError(`malformed XML: ${(err as Error).message}`);
  }
  const root = (doc as Record<string, unknown> | undefined)?.xml;
  if (!root || typeof root !== 'object') throw new WechatXmlError('no <xml> root element');
  const fields: WechatPushFields = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string') fields[k] = v;
  }
  return fields;
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

/**
 * Events that are journaled. Others (LOCATION reports every few seconds while a user
 * has the account open, template/mass-send job results) are acknowledged and dropped:
 * they are not something a customer said.
 */
const JOURNALED_EVENTS = new Set(['subscribe', 'unsubscribe', 'CLICK', 'VIEW', 'SCAN']);

export interface NormalizeOptions {
  /** Menu EventKeys that mean "I want to complain". */
  complaintMenuKeys: string[];
  /** True when the push arrived encrypted (recorded in meta for audits). */
  encrypted: boolean;
}

/**
 * Maps one Official Account push to an InboundMessage, or `undefined` for pushes we
 * acknowledge without journaling.
 *
 * `meta.complaint` says whether the push can open a ticket: every user message
 * (text, voice, image, location, video, link) can; of the events only a `CLICK` on a
 * complaint menu key can. `subscribe`, `unsubscribe`, `VIEW` (a menu link) and
 * `SCAN` are journaled for the customer's history but are not complaints.
 */
export function normalizeOfficialPush(f: WechatPushFields, opts: NormalizeOptions): InboundMessage | undefined {
  const msgType = f.MsgType;
  const openid = f.FromUserName;
  const createTime = f.CreateTime;
  if (!msgType || !openid || !createTime) throw new WechatXmlError('MsgType, FromUserName and CreateTime are required');
  const seconds = Number(createTime);
  const receivedAt = Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : new Date().toISOString();
  const base = {
    channel: 'wechat' as const,
    receivedAt,
    from: { address: openid },
    to: f.ToUserName || undefined,
    attachments: [] as Attachment[],
  };
  const meta: Record<string, unknown> = { via: 'official', msgType, encrypted: opts.encrypted };

  if (msgType === 'event') {
    const event = f.Event ?? '';
    if (!JOURNALED_EVENTS.has(event)) return undefined;
    const eventKey = f.EventKey || undefined;
    const complaint = event === 'CLICK' && eventKey !== undefined && opts.complaintMenuKeys.includes(eventKey);
    return {
      ...base,
      // Events carry no MsgId; WeChat's own advice is to dedupe them by FromUserName + CreateTime.
      externalId: `${openid}:${createTime}:${event}`,
      text: '',
      meta: { ...meta, event, eventKey, complaint },
    };
  }

  const msgId = f.MsgId || f.MsgID; // some pushes spell it MsgID
  if (!msgId) throw new WechatXmlError('MsgId is required for a user message');
  const common = { ...base, externalId: msgId };
  switch (msgType) {
    case 'text':
      return { ...common, text: f.Content ?? '', meta: { ...meta, complaint: true } };
    case 'voice': {
      // Recognition is only present when speech recognition (接收语音识别结果) is switched on.
      const recognition = f.Recognition || undefined;
      return {
        ...common,
        text: recognition ?? '',
        attachments: [{ name: `${msgId}.${f.Format || 'amr'}`, contentType: voiceContentType(f.Format), size: 0, ref: `wechat-media:${f.MediaId}` }],
        meta: { ...meta, complaint: true, mediaId: f.MediaId, format: f.Format, recognition, transcribed: recognition !== undefined },
      };
    }
    case 'image':
      return {
        ...common,
        text: '',
        attachments: [{ name: `${msgId}.jpg`, contentType: 'image/jpeg', size: 0, ref: f.PicUrl || `wechat-media:${f.MediaId}` }],
        meta: { ...meta, complaint: true, mediaId: f.MediaId, picUrl: f.PicUrl },
      };
    case 'location': {
      const location = {
        latitude: Number(f.Location_X),
        longitude: Number(f.Location_Y),
        scale: Number(f.Scale),
        label: f.Label || undefined,
      };
      return { ...common, text: f.Label ?? '', meta: { ...meta, complaint: true, location } };
    }
    case 'video':
    case 'shortvideo':
      return {
        ...common,
        text: '',
        attachments: [{ name: `${msgId}.mp4`, contentType: 'video/mp4', size: 0, ref: `wechat-media:${f.MediaId}` }],
        meta: { ...meta, complaint: true, mediaId: f.MediaId, thumbMediaId: f.ThumbMediaId },
      };
    case 'link':
      return {
        ...common,
        text: [f.Title, f.Description, f.Url].filter(Boolean).join('\n'),
        meta: { ...meta, complaint: true, url: f.Url },
      };
    default:
      // Unknown future types are still something the customer sent: keep them, text-less.
      return { ...common, text: '', meta: { ...meta, complaint: true } };
  }
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
