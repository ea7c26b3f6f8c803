import { simpleParser, type AddressObject, type ParsedMail, type SimpleParserOptions } from 'mailparser';
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
  category: AutomatedKind | 'no-sender' | 'empty';
  reason: string;
  messageId: string;
}

export type ParseEmailResult = ParsedComplaint | NotAComplaint;

/** One attachment that was dropped for being too large. */
export interface DroppedAttachment {
  name: string;
  contentType: string;
  size: number;
  /** Over EMAIL_MAX_ATTACHMENT_BYTES (or the store's limit); past the 50 a message keeps; too big to travel inline without an attachment store; a type the store does not take. */
  reason: 'too-large' | 'too-many' | 'no-attachment-store' | 'type-not-allowed';
}

/**
 * What the gateway's journal takes (gateway/intake/inbound-message.schema.ts). A mail it
 * refuses is retried by the poller forever and blocks the mailbox behind it, so fields are
 * bounded here, where a too-long subject can still be shortened rather than lost.
 */
const LIMITS = { subject: 2000, name: 256, address: 320, attachments: 50, attachmentName: 512, contentType: 256, references: 50, droppedListed: 50 };

/** The first `max` UTF-16 units, without a dangling half of a surrogate pair. */
const clip = (s: string, max: number) => (s.length <= max ? s : s.slice(0, max).replace(/[\ud800-\udbff]$/, ''));

/**
 * mailparser hands its options to its splitter (@zone-eu/mailsplit), whose `maxHeadSize`
 * (1 MiB by default, not in @types/mailparser) bounds one MIME node's header block. mailparser
 * works through a header block in one go: 100 kB of `Bcc: 1,1,1,…` (50 000 addresses) held the
 * event loop for 200 ms, and a mail with bare-CR line ends is all header. 64 kB keeps that
 * under 100 ms and is still four times the header of a mail that crossed Exchange Online
 * (10-15 kB). Larger makes parseEmail reject, and the adapter skips the mail as unparseable.
 */
const PARSER_OPTIONS = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, maxHeadSize: 64 * 1024 } as SimpleParserOptions;

/**
 * Turns one raw RFC 5322 message into an {@link InboundMessage}, or says why it is not a
 * complaint. No I/O: attachments within the size limit travel as `data:` URIs (the
 * adapter may move them to a store). Async only because mailparser streams.
 */
export async function parseEmail(raw: Buffer, options: ParseEmailOptions = {}): Promise<ParseEmailResult> {
  const parsed = await simpleParser(raw, PARSER_OPTIONS);
  const charsetHint = findCharsetHint(parsed, raw);
  const headers = rawHeaders(parsed, charsetHint);
  const fullSubject = headers.get('subject')?.[0]?.trim() || undefined;
  const subject = fullSubject && clip(fullSubject, LIMITS.subject);
  const messageId = parseMessageIds(parsed.messageId)[0] ?? syntheticMessageId(raw);

  const automated = classifyAutomated(headers, { ownAddresses: options.ownAddresses });
  if (automated) return { kind: 'not-a-complaint', category: automated.kind, reason: automated.reason, messageId };

  const from = senderOf(parsed, headers.get('from')?.[0]);
  if (!from) return { kind: 'not-a-complaint', category: 'no-sender', reason: 'no From address', messageId };

  const inReplyTo = parseMessageIds(parsed.inReplyTo)[0];
  const allReferences = parseMessageIds(parsed.references);
  // The root (the thread key) and the latest ones are what threading reads; a thousand-id chain is not kept whole.
  const references = allReferences.length <= LIMITS.references ? allReferences : [allReferences[0]!, ...allReferences.slice(-(LIMITS.references - 1))];
  const fullText = normalizeText(parsed.text ?? '');
  const forwarded = isForwardSubject(subject) || FORWARD_MARKERS.some((r) => r.test(fullText));
  // A forward's quoted part is what the customer wants us to read; only replies lose their history.
  let text = forwarded ? fullText : stripQuotedReply(fullText);
  // Someone who only quoted (or top-posted nothing) still sent something: keep it rather than an empty complaint.
  if (!text.trim()) text = fullText;

  const { attachments, dropped, inlineImages } = collectAttachments(parsed, options.maxAttachmentBytes ?? 5 * 1024 * 1024);
  if (!text.trim() && !subject && attachments.length === 0 && dropped.length === 0) {
    return { kind: 'not-a-complaint', category: 'empty', reason: 'no text, subject or attachment', messageId };
  }
  const toHeader = firstAddress(parsed.to);
  const autoSubmitted = headers.get('auto-submitted')?.[0]?.trim();
  const ticketNumber = findTicketNumber(subject, fullText);
  const receivedAt = options.receivedAt ?? (parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : new Date());

  const message: InboundMessage = {
    channel: 'email',
    externalId: messageId,
    receivedAt: receivedAt.toISOString(),
    from,
    // Our inbox that received it (the To header may name a friend when we were only Cc'd).
    to: options.mailboxAddress ?? toHeader,
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
      ...(dropped.length ? { droppedAttachments: dropped.slice(0, LIMITS.droppedListed) } : {}),
      ...(dropped.length > LIMITS.droppedListed ? { droppedAttachmentsNotListed: dropped.length - LIMITS.droppedListed } : {}),
      ...(inlineImages ? { inlineImages } : {}),
      ...(charsetHint ? { charset: charsetHint } : {}),
      ...(toHeader ? { toHeader } : {}),
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
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .replace(/[\u200b\ufeff]/g, '')
    .trim();
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
    let value = line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
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
  if (!address || address.length > LIMITS.address) return undefined;
  // The display name from our own decoding, in case the raw header was 8-bit (mailparser's is mojibake then).
  const nameFromHeader = fromHeader ? displayNameOf(fromHeader) : undefined;
  const name = nameFromHeader || v?.name || undefined;
  return name ? { address, name: clip(name, LIMITS.name) } : { address };
}

/**
 * `Wang` from `"Wang" <w@x>` or `Wang <w@x>`: the text before the first `<`, one pair of quotes
 * off, none left inside. Not a regex: `^\s*"?([^"<]*?)"?\s*<` retried `\s*` over every space of
 * a long blank run, quadratic in it.
 */
function displayNameOf(header: string): string | undefined {
  const lt = header.indexOf('<');
  if (lt < 0) return undefined;
  let name = header.slice(0, lt).trim();
  if (name.startsWith('"')) name = name.slice(1);
  if (name.endsWith('"')) name = name.slice(0, -1);
  return name.includes('"') ? undefined : name.trim();
}

function firstAddress(to: AddressObject | AddressObject[] | undefined): string | undefined {
  const list = Array.isArray(to) ? to : to ? [to] : [];
  for (const group of list) for (const v of group.value) if (v.address) return v.address.length <= LIMITS.address ? v.address.toLowerCase() : undefined;
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

function collectAttachments(parsed: ParsedMail, maxBytes: number): { attachments: Attachment[]; dropped: DroppedAttachment[]; inlineImages: number } {
  const attachments: Attachment[] = [];
  const dropped: DroppedAttachment[] = [];
  let inlineImages = 0;
  parsed.attachments.forEach((a, i) => {
    // mailparser's typings promise strings; a mangled Content-Type or Content-Disposition can leave other things there.
    const filename = typeof a.filename === 'string' && a.filename ? a.filename : undefined;
    const contentType = typeof a.contentType === 'string' && a.contentType ? clip(a.contentType, LIMITS.contentType) : 'application/octet-stream';
    // mailparser exposes extra alternative bodies (Apple's text/watch-html) as nameless
    // attachments; they are another rendering of the text, not something the customer attached.
    if (!filename && a.contentDisposition !== 'attachment' && contentType.startsWith('text/')) return;
    const inline = Boolean(a.related || a.contentDisposition === 'inline');
    if (inline && contentType.startsWith('image/')) inlineImages++;
    const name = clip(filename ?? (a.cid ? `inline-${a.cid}` : `attachment-${i + 1}`), LIMITS.attachmentName);
    if (a.size > maxBytes || attachments.length >= LIMITS.attachments) {
      dropped.push({ name: clip(name, 200), contentType, size: a.size, reason: a.size > maxBytes ? 'too-large' : 'too-many' });
      return;
    }
    attachments.push({
      name,
      contentType,
      size: a.size,
      ref: `data:${contentType};base64,${a.content.toString('base64')}`,
    });
  });
  return { attachments, dropped, inlineImages };
}
