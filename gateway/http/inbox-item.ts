import type { InboxRow } from '../../storage/inbox.store.js';
import { ticketSummary } from './serialize.js';

const EXCERPT_CHARS = 140;

/**
 * One inbox row as the API shows it: the ticket summary (the fields the queue always had) plus what a
 * row of the console needs beside it, so the inbox is drawn from one request.
 */
export function inboxItem(row: InboxRow, now: number) {
  const t = row.ticket;
  return {
    ...ticketSummary(t),
    /** The channel the customer wrote on last (replies go there). */
    channel: t.lastChannel,
    customerName: row.customerName,
    excerpt: row.excerpt == null ? null : row.excerpt.length > EXCERPT_CHARS ? `${row.excerpt.slice(0, EXCERPT_CHARS - 1)}…` : row.excerpt,
    /** The next pending SLA target's due time; null when none is pending (resolved, closed, waiting on the customer). */
    slaDueAt: row.slaDueAt == null ? null : new Date(row.slaDueAt).toISOString(),
    slaBreached: row.slaDueAt != null && row.slaDueAt <= now,
  };
}
