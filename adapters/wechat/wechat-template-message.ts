import type { TemplateFieldSource, WechatTemplateConfig } from '../../config/channels/wechat.schema.js';
import type { OutboundMessage } from '../types.js';

/** The body of POST /cgi-bin/message/template/send. */
export interface TemplateMessagePayload {
  touser: string;
  template_id: string;
  /** Where tapping the message leads; left out when there is nowhere to go. */
  url?: string;
  /** WeChat sends one message per openid + client_msg_id (for 10 minutes): a retry after a lost answer is not sent twice. */
  client_msg_id: string;
  data: Record<string, { value: string }>;
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The customer's status-page link the message carries: `meta.statusLink` (set by customer
 * updates), else a `PUBLIC_BASE_URL/t/<token>` link in the text (acknowledgements, or an
 * agent who pasted it).
 */
export function statusLinkOf(out: Pick<OutboundMessage, 'text' | 'meta'>, publicBaseUrl?: string): string | undefined {
  const meta = out.meta?.statusLink;
  if (typeof meta === 'string' && /^https?:\/\//.test(meta)) return meta;
  if (!publicBaseUrl) return undefined;
  return new RegExp(`${escapeRegExp(publicBaseUrl)}/t/[A-Za-z0-9_-]+`).exec(out.text)?.[0];
}

/**
 * The text split in its first sentence and the rest, with the status link taken out (the
 * template message links to it) and whitespace runs made single spaces.
 */
export function summaryAndRest(text: string, link?: string): { summary: string; rest: string } {
  const plain = (link ? text.split(link).join(' ') : text).trim();
  // A sentence ends at 。！？!?, a full stop before a space or the end, or a line break.
  const end = /[。！？!?]|\.(?=\s|$)|\n/.exec(plain);
  const cut = end ? end.index + (end[0] === '\n' ? 0 : 1) : plain.length;
  const tidy = (s: string) => s.replace(/\s+/g, ' ').trim();
  return { summary: tidy(plain.slice(0, cut)), rest: tidy(plain.slice(cut)) };
}

/** At most `max` characters (code points), the last one "…" when cut. */
function cut(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** `YYYY-MM-DD HH:mm` in China time (UTC+8, no daylight saving time). */
export function chinaTime(at: number): string {
  return new Date(at + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The template message for an outbound message, its fields filled as the template config maps
 * them (WECHAT_UPDATE_TEMPLATE_FIELDS). An empty value (no `rest`, no subject) is left out. The
 * link is the status link the message carries, else PUBLIC_BASE_URL, else none.
 */
export function templateMessageFor(
  out: OutboundMessage,
  template: WechatTemplateConfig,
  opts: { publicBaseUrl?: string; now: number },
): TemplateMessagePayload {
  const link = statusLinkOf(out, opts.publicBaseUrl);
  const { summary, rest } = summaryAndRest(out.text, link);
  const values: Record<TemplateFieldSource, string> = {
    title: template.title,
    ticketNumber: out.ticketNumber,
    summary,
    rest,
    text: [summary, rest].filter(Boolean).join(' '),
    subject: (out.subject ?? '').replace(/\s+/g, ' ').trim(),
    time: chinaTime(opts.now),
  };
  const data: TemplateMessagePayload['data'] = {};
  for (const f of template.fields) {
    const value = values[f.source];
    if (value) data[f.field] = { value: cut(value, f.maxChars) };
  }
  const url = link ?? opts.publicBaseUrl;
  return { touser: out.to, template_id: template.templateId, ...(url ? { url } : {}), client_msg_id: `outbox-${out.id}`, data };
}
