import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import iconv from 'iconv-lite';
import libmime from 'libmime';
import type { Attachment, InboundMessage } from '../types.js';
import { classifyAutomated, extractAddress, type AutomatedKind } from './classify-automated.js';
import { stripQuotedReply } from './strip-quoted-reply.js';
import { findTicketNumber, isForwardSubject, parseMessageIds, syntheticMessageId, threadKeyOf } from './threading.js';

export interface ParseEmailOptions {
  /** Our sending addresses: mail from them is our own, looping back. */
  ownAddresses?: string[];
  /** Attachments larger than this are dropped (listed in `meta.droppedAttachments`). */
  maxAttachmentBytes?: number;
  /** When the server received it (IMAP INTERNALDATE); defaults to the Date header, then now. */
  receivedAt?: Date;
  /** The mailbox that received it, used when the To header names nobody useful. */
  mailboxAddress?: string;
}

/** A mail that is a customer's message. */
export interface ParsedComplaint {
  kind: 'message';
  message: InboundMessage;
}

/** A mail that must not become a ticket (bounce, auto-reply, our own reply, no sender). */
export interface NotAComplaint {
  kind: 'not-a-complaint';
  category: AutomatedKind | 'no-sender';
  reason: string;
  messageId: string;
}

export type ParseEmailResult = ParsedComplaint | NotAComplaint;

/** One attachment that was dropped for being too large. */
export interface DroppedAttachment {
  name: string;
  contentType: string;
  size: number;
  reason: 'too-large';
}

/**
 * Turns one raw RFC 5322 message into an {@link InboundMessage}, or says why it is not a
 * complaint. No I/O: attachments within the size limit travel as `data:` URIs (the
 * adapter may move them to a store). Async only because mailparser streams.
 */
export async function parseEmail(raw: Buffer, options: ParseEmailOptions = {}): Promise<ParseEmailResult> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const charsetHint = findCharsetHint(parsed, raw);
  const headers = rawHeaders(parsed, charsetHint);
  const subject = headers.get('subject')?.[0]?.trim() || undefined;
  const messageId = parseMessageIds(parsed.messageId)[0] ?? syntheticMessageId(raw);

  const automated = classifyAutomated(headers, { ownAddresses: options.ownAddresses });
  if (automated) return { kind: 'not-a-complaint', category: automated.kind, reason: automated.reason, messageId };

  const from = senderOf(parsed, headers.get('from')?.[0]);
  if (!from) return { kind: 'not-a-complaint', category: 'no-sender', reason: 'no From address', messageId };

  const inReplyTo = parseMessageIds(parsed.inReplyTo)[0];
  const references = parseMessageIds(parsed.references);
  const fullText = normalizeText(parsed.text ?? '');
  const forwarded = isForwardSubject(subject) || FORWARD_MARKERS.some((r) => r.test(fullText));
  // A forward's quoted part is what the customer wants us to read; only replies lose their history.
  let text = forwarded ? fullText : stripQuotedReply(fullText);
  // Someone who only quoted (or top-posted nothing) still sent something: keep it rather than an empty complaint.
  if (!text.trim()) text = fullText;

  const { attachments, dropped, inlineImages } = collectAttachments(parsed, options.maxAttachmentBytes ?? 5 * 1024 * 1024);
  const autoSubmitted = headers.get('auto-submitted')?.[0]?.trim();
  const ticketNumber = findTicketNumber(subject, fullText);
  const receivedAt = options.receivedAt ?? (parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : new Date());

  const message: InboundMessage = {
    channel: 'email',
    externalId: messageId,
    receivedAt: receivedAt.toISOString(),
    from,
    // Our inbox that received it (the To header may name a friend when we were only Cc'd).
    to: options.mailboxAddress ?? firstAddress(parsed.to),
    threadKey: threadKeyOf(messageId, inReplyTo, references),
    subject,
    text,
    language: languageHint(charsetHint, headers.get('content-language')?.[0]),
    attachments,
    meta: {
      messageId,
      inReplyTo,
      references,
      ...(ticketNumber ? { ticketNumber } : {}),
      html: Boolean(parsed.html),
      ...(autoSubmitted ? { autoSubmitted } : {}),
      ...(forwarded ? { forwarded: true } : {}),
      ...(dropped.length ? { droppedAttachments: dropped } : {}),
      ...(inlineImages ? { inlineImages } : {}),
      ...(charsetHint ? { charset: charsetHint } : {}),
      ...(firstAddress(parsed.to) ? { toHeader: firstAddress(parsed.to) } : {}),
    },
  };
  return { kind: 'message', message };
}

const FORWARD_MARKERS = [
  /^-{5,}\s*Forwarded message\s*-{5,}/im,
  /^Begin forwarded message:/im,
  /^-{3,}\s*(转发邮件信息|转发的邮件|轉寄郵件|Forwarded Message)\s*-{3,}/im,
];

function normalizeText(text: string): string {
  // \u00a0 from HTML &nbsp; and zero-width spaces from rich editors confuse the reply parser.
  return text.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ').replace(/[\u200b\ufeff]/g, '').trim();
}

/**
 * The charset the sender's client wrote in: the top-level Content-Type's, else the first
 * `charset=` in the raw message. Used to decode raw 8-bit headers, which some Chinese
 * clients (old Foxmail, QQ enterprise mail) send unencoded in GB2312/GBK.
 */
function findCharsetHint(parsed: ParsedMail, raw: Buffer): string | undefined {
  const ct = parsed.headers.get('content-type') as { params?: Record<string, string> } | undefined;
  const top = ct?.params?.charset;
  if (top && !/^(us-)?ascii$/i.test(top)) return top.toLowerCase();
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  // Only a Content-Type's charset: spam-filter headers carry look-alikes such as "R_MISSING_CHARSET=2.5".
  const m = /^content-type:[^\n]*(?:\r?\n[ \t][^\n]*)*?[;\s]charset\s*=\s*"?([a-z][\w.:-]*)/im.exec(head);
  return m && !/^(us-)?ascii$/i.test(m[1]!) ? m[1]!.toLowerCase() : undefined;
}

/** Header values by lower-cased name: unfolded, encoded words decoded, raw 8-bit bytes decoded. */
function rawHeaders(parsed: ParsedMail, charsetHint: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { key, line } of parsed.headerLines) {
    const colon = line.indexOf(':');
    let value = line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    value = decode8bit(value, charsetHint);
    try {
      value = libmime.decodeWords(value);
    } catch {
      // A malformed encoded word stays as it was: better a raw subject than none.
    }
    const list = out.get(key) ?? [];
    list.push(value);
    out.set(key, list);
  }
  return out;
}

/**
 * mailparser reads raw 8-bit header bytes as latin1 ("ÌáÊ¾" for GB2312 "提示"). Get the
 * bytes back and decode them as UTF-8 when valid, else in the message's charset
 * (GB2312 is decoded as its superset GB18030), else GB18030.
 */
function decode8bit(value: string, charsetHint: string | undefined): string {
  if (!/[\x80-\xff]/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let charset = charsetHint && iconv.encodingExists(charsetHint) ? charsetHint : 'gb18030';
    if (/^(gb2312|gbk|x-gbk|cp936|euc-cn)$/i.test(charset)) charset = 'gb18030';
    return iconv.decode(bytes, charset);
  }
}

function senderOf(parsed: ParsedMail, fromHeader: string | undefined): InboundMessage['from'] | undefined {
  const v = parsed.from?.value[0];
  const address = (v?.address || extractAddress(fromHeader ?? '')).toLowerCase();
  if (!address) return undefined;
  // The display name from our own decoding, in case the raw header was 8-bit (mailparser's is mojibake then).
  const nameFromHeader = fromHeader ? /^\s*"?([^"<]*?)"?\s*</.exec(fromHeader)?.[1]?.trim() : undefined;
  const name = nameFromHeader || v?.name || undefined;
  return name ? { address, name } : { address };
}

function firstAddress(to: AddressObject | AddressObject[] | undefined): string | undefined {
  const list = Array.isArray(to) ? to : to ? [to] : [];
  for (const group of list) for (const v of group.value) if (v.address) return v.address.toLowerCase();
  return undefined;
}

function languageHint(charset: string | undefined, contentLanguage: string | undefined): string | undefined {
  if (charset && /^(big5|big5-hkscs|cp950)$/i.test(charset)) return 'zh-Hant';
  if (charset && /^(gb2312|gbk|gb18030|x-gbk|cp936|euc-cn|hz-gb-2312)$/i.test(charset)) return 'zh-Hans';
  if (contentLanguage && /^zh-(tw|hk|mo|hant)/i.test(contentLanguage)) return 'zh-Hant';
  if (contentLanguage && /^zh/i.test(contentLanguage)) return 'zh-Hans';
  // UTF-8 mail says nothing reliable about the language: the nlp stage decides.
  return undefined;
}

function collectAttachments(
  parsed: ParsedMail,
  maxBytes: number,
): { attachments: Attachment[]; dropped: DroppedAttachment[]; inlineImages: number } {
  const attachments: Attachment[] = [];
  const dropped: DroppedAttachment[] = [];
  let inlineImages = 0;
  parsed.attachments.forEach((a, i) => {
    // mailparser exposes extra alternative bodies (Apple's text/watch-html) as nameless
    // attachments; they are another rendering of the text, not something the customer attached.
    if (!a.filename && a.contentDisposition !== 'attachment' && a.contentType.startsWith('text/')) return;
    const inline = Boolean(a.related || a.contentDisposition === 'inline');
    if (inline && a.contentType.startsWith('image/')) inlineImages++;
    const name = a.filename ?? (a.cid ? `inline-${a.cid}` : `attachment-${i + 1}`);
    if (a.size > maxBytes) {
      dropped.push({ name, contentType: a.contentType, size: a.size, reason: 'too-large' });
      return;
    }
    attachments.push({
      name,
      contentType: a.contentType,
      size: a.size,
      ref: `data:${a.contentType};base64,${a.content.toString('base64')}`,
    });
  });
  return { attachments, dropped, inlineImages };
}
