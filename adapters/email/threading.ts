import { createHash } from 'node:crypto';

/** Ticket numbers as quoted in subjects and replies: C-20261124-0042. */
const TICKET_NUMBER = /\b([A-Z]{1,4}-\d{8}-\d{4,6})\b/;

/** The ticket number in a subject (preferred) or body, if any. */
export function findTicketNumber(subject: string | undefined, text: string | undefined): string | undefined {
  return TICKET_NUMBER.exec(subject ?? '')?.[1] ?? TICKET_NUMBER.exec(text ?? '')?.[1];
}

/** Longer is no Message-ID a mail client writes (the gateway keys messages by it, in 512 characters). */
const MAX_MESSAGE_ID = 500;

/** Message-IDs in a References / In-Reply-To value, in order, with angle brackets. */
export function parseMessageIds(value: string | string[] | undefined): string[] {
  if (!value) return [];
  const joined = Array.isArray(value) ? value.join(' ') : value;
  const ids = joined.match(/<[^<>\s]+>/g);
  // Some clients drop the brackets; a lone token with an @ is still an id.
  const found =
    ids ??
    joined
      .split(/[\s,]+/)
      .filter((t) => t.includes('@'))
      .map((t) => `<${t}>`);
  return [...new Set(found.filter((id) => id.length <= MAX_MESSAGE_ID))];
}

/**
 * The conversation a mail belongs to: the root of References (the first id), else
 * In-Reply-To, else its own Message-ID. Replies anywhere in one thread share it.
 */
export function threadKeyOf(messageId: string, inReplyTo: string | undefined, references: string[]): string {
  return references[0] ?? inReplyTo ?? messageId;
}

/** A stable Message-ID for a mail that has none: the same bytes always give the same id, so a re-fetch dedupes. */
export function syntheticMessageId(raw: Buffer): string {
  return `<${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@no-message-id.invalid>`;
}

// Reply/forward prefixes clients stack up: "Re:", "RE:", "Aw:", "回复:", "答复：", "回覆:", "Fwd:", "转发:"…
const PREFIX = /^\s*((re|aw|sv|fw|fwd|回复|答复|回覆|回覆|转发|轉寄|轉發)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/**
 * `Re: [C-…] <original subject>`: strips any stack of Re:/回复: prefixes and an existing
 * ticket tag so a long exchange never becomes "Re: Re: [C-1] Re: [C-1] …".
 */
export function replySubject(ticketNumber: string, original: string | undefined, fallback: string): string {
  let s = (original ?? '').trim();
  for (let i = 0; i < 5; i++) {
    const before = s;
    s = s
      .replace(PREFIX, '')
      .replace(/^\s*\[[A-Z]{1,4}-\d{8}-\d{4,6}\]\s*/, '')
      .trim();
    if (s === before) break;
  }
  return `Re: [${ticketNumber}] ${s || fallback}`;
}

/** True for Fwd:/Fw:/转发: subjects. */
export function isForwardSubject(subject: string | undefined): boolean {
  return /^\s*(fw|fwd|转发|轉寄|轉發)\s*[:：]/i.test(subject ?? '');
}

/**
 * In-Reply-To and References for our reply to a customer's mail (RFC 5322 §3.6.4):
 * In-Reply-To is the customer's Message-ID; References is their References (or their
 * In-Reply-To when they sent no References) followed by their Message-ID.
 */
export function replyThreadingHeaders(parent: { messageId?: string; inReplyTo?: string; references?: string[] }): { inReplyTo?: string; references: string[] } {
  const refs = parent.references?.length ? [...parent.references] : parent.inReplyTo && parent.messageId ? [parent.inReplyTo] : [];
  // Without the customer's own Message-ID, the id the gateway gave as inReplyTo is the one we answer.
  const answering = parent.messageId ?? parent.inReplyTo;
  if (answering) refs.push(answering);
  return { inReplyTo: answering, references: [...new Set(refs)] };
}
