import { createHash } from 'node:crypto';
import { PermanentDeliveryError, type OutboundMessage } from '../types.js';
import { OWN_MAIL_HEADER } from './classify-automated.js';
import { checkMailbox, type Mailbox } from './mailbox.js';
import { replySubject, replyThreadingHeaders, parseMessageIds } from './threading.js';

/** Which template a reply uses. */
export type TemplateLanguage = 'zh-Hans' | 'zh-Hant' | 'en';

interface Template {
  fallbackSubject: string;
  footer: (ticketNumber: string, brand: string) => string;
}

const TEMPLATES: Record<TemplateLanguage, Template> = {
  'zh-Hans': {
    fallbackSubject: '您的投诉处理进展',
    footer: (t, brand) => `工单号：${t}\n直接回复本邮件即可补充信息，请保留主题中的工单号。\n${brand}`,
  },
  'zh-Hant': {
    fallbackSubject: '您的投訴處理進度',
    footer: (t, brand) => `工單號：${t}\n直接回覆本郵件即可補充資訊，請保留主旨中的工單號。\n${brand}`,
  },
  en: {
    fallbackSubject: 'Your complaint',
    footer: (t, brand) => `Ticket ${t}\nReply to this e-mail to add to your complaint; please keep the ticket number in the subject.\n${brand}`,
  },
};

/** zh-TW/zh-HK/zh-Hant → traditional; any other zh → simplified; everything else → English. */
export function templateLanguage(language: string | undefined): TemplateLanguage {
  if (!language) return 'en';
  if (/^zh[-_](hant|tw|hk|mo)/i.test(language)) return 'zh-Hant';
  if (/^zh/i.test(language)) return 'zh-Hans';
  return 'en';
}

/** The nodemailer message for one reply: everything but the transport. Addresses are objects, never strings nodemailer would parse. */
export interface ComposedReply {
  from: Mailbox;
  to: Mailbox;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers: Record<string, string>;
}

export interface ComposeOptions {
  /** Default From (EMAIL_FROM) when the outbound message names no inbox. */
  from: string | Mailbox;
  brand: { zh: string; en: string };
}

/**
 * Builds our reply to a customer: `Re: [C-…] <subject>`, In-Reply-To/References of
 * their latest mail, text + HTML from the per-language template, a Message-ID derived
 * from the outbox id (a retried send reuses it, so the customer's client shows one mail)
 * and headers that mark it as ours so it is dropped if it ever loops back. Pure.
 *
 * Throws a {@link PermanentDeliveryError} when the recipient or the sender is not exactly one
 * mailbox (a list, a header smuggled in with CR/LF…): such a reply is never sent anywhere.
 */
export function composeReply(out: OutboundMessage, options: ComposeOptions): ComposedReply {
  const lang = templateLanguage(out.language);
  const template = TEMPLATES[lang];
  const brand = lang === 'en' ? options.brand.en : options.brand.zh;
  const to = mailboxOrFail(out.to, 'recipient', 'invalid-address');
  const from = mailboxOrFail(out.from ?? options.from, 'sender', 'invalid-sender');
  const domain = from.address.split('@')[1]!.toLowerCase();

  const meta = out.meta ?? {};
  const threading = replyThreadingHeaders({
    messageId: parseMessageIds(asString(meta.messageId))[0],
    inReplyTo: parseMessageIds(asString(meta.inReplyTo))[0],
    references: parseMessageIds(asStringList(meta.references)),
  });

  const footer = template.footer(out.ticketNumber, brand);
  const text = `${out.text.trim()}\n\n-- \n${footer}\n`;
  const html =
    out.html ??
    `<!doctype html><html><body>` +
      `<div style="white-space:pre-wrap;font-family:sans-serif">${escapeHtml(out.text.trim())}</div>` +
      `<hr style="border:none;border-top:1px solid #ccc"><div style="color:#666;font-size:12px;white-space:pre-wrap">${escapeHtml(footer)}</div>` +
      `</body></html>`;

  return {
    from,
    to,
    subject: replySubject(out.ticketNumber, out.subject, template.fallbackSubject),
    text,
    html,
    messageId: `<${createHash('sha256').update(`outbox:${out.id}`).digest('hex').slice(0, 24)}.${out.ticketNumber}@${domain}>`,
    ...(threading.inReplyTo ? { inReplyTo: threading.inReplyTo } : {}),
    ...(threading.references.length ? { references: threading.references } : {}),
    headers: {
      [OWN_MAIL_HEADER]: 'outbound',
      // RFC 3834: an auto-responder receiving this must not answer it (no out-of-office ping-pong).
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
      'X-Complaint-Ticket': out.ticketNumber,
    },
  };
}

function mailboxOrFail(value: string | Mailbox, role: 'recipient' | 'sender', code: string): Mailbox {
  const check = checkMailbox(typeof value === 'string' ? value : value.name ? `"${value.name}" <${value.address}>` : value.address);
  if (check.ok) return check.mailbox;
  // JSON.stringify shows a smuggled CR/LF as \r\n in the reason instead of breaking the line.
  const shown = JSON.stringify(typeof value === 'string' ? value.slice(0, 120) : value.address.slice(0, 120));
  throw new PermanentDeliveryError(`reply not sent: the ${role} ${shown} is not one e-mail address (${check.problem})`, code);
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function asStringList(v: unknown): string[] | string | undefined {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return asString(v);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
