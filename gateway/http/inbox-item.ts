import { EXCERPT_CHARS as STORED_EXCERPT_CHARS, type InboxRow } from '../../storage/inbox.store.js';
import type { ContactView } from './contact-view.js';
import { ticketSummary } from './serialize.js';

const EXCERPT_CHARS = 140;

/**
 * One inbox row as the API shows it: the ticket summary (the fields the queue always had) plus what a
 * row of the console needs beside it, so the inbox is drawn from one request.
 */
export function inboxItem(row: InboxRow, now: number, view: ContactView) {
  const t = row.ticket;
  const mask = view.on(t.queue);
  // The store cut the text: a phone number or address at its end may be cut in two, and half of one is not
  // recognised as one to mask. Whatever contact-like run ends a cut text is dropped before masking.
  const read = row.excerpt != null && !mask.full && row.excerpt.length >= STORED_EXCERPT_CHARS ? row.excerpt.replace(/[\w.%+@()\-\s]*$/, '') : row.excerpt;
  const excerpt = mask.text(read);
  return {
    ...ticketSummary(t, mask),
    /** The channel the customer wrote on last (replies go there). */
    channel: t.lastChannel,
    customerName: row.customerName,
    excerpt: excerpt == null ? null : excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS - 1)}…` : excerpt,
    /** The next pending SLA target's due time; null when none is pending (resolved, closed, waiting on the customer). */
    slaDueAt: row.slaDueAt == null ? null : new Date(row.slaDueAt).toISOString(),
    slaBreached: row.slaDueAt != null && row.slaDueAt <= now,
  };
}
