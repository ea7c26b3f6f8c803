import type { Knex } from 'knex';
import { OPEN_STATUSES, toTicket, type Ticket } from './ticket.store.js';

type Conn = Knex | Knex.Transaction;

/** "Due soon": the next SLA target falls due within this time (and has not yet passed). */
export const DUE_SOON_MS = 60 * 60 * 1000;

export type InboxSort = 'sla_due' | 'updated';

/** Where the previous page ended, in its sort's order: the cursor's content. */
export type InboxPosition = { sort: 'sla_due'; dueAt: number | null; id: number } | { sort: 'updated'; updatedAt: number; id: number };

export interface InboxFilter {
  status?: string[];
  queue?: string;
  category?: string;
  severity?: number;
  channel?: string;
  customerId?: number;
  /** An agent's name, or null for unassigned tickets. */
  assignee?: string | null;
  sla?: 'due_soon' | 'breached';
  /** Only tickets whose customer no reply could reach (tag `unreachable`). */
  unreachable?: boolean;
  /** Words searched in ticket number, subject, message text and the customer's name and identities. */
  q?: string;
  /** Canonical identity forms the search text may stand for (a phone number in E.164, a lower-case e-mail). */
  qIdentities?: string[];
}

/** One inbox row: the ticket with what the list shows beside it. */
export interface InboxRow {
  ticket: Ticket;
  /** The next pending SLA due time (tickets.sla_due_at), null when nothing is pending. */
  slaDueAt: number | null;
  customerName: string | null;
  /** The start of the customer's first message, for tickets without a subject (SMS, chat, WeChat). */
  excerpt: string | null;
}

export interface QueueCounts {
  queue: string;
  open: number;
  unassigned: number;
  dueSoon: number;
  breached: number;
}

/** How much of a ticket's first message the inbox reads (the API shows less); a longer one is cut here. */
export const EXCERPT_CHARS = 200;

/**
 * The console's inbox reads: one page of tickets in SLA or recency order, and per-queue counts.
 *
 * Paging is by keyset (the sort key and id of the last row), never by offset, so every page is read
 * from an index in order (migration 0009) and costs the same on page 1 and page 1,000, and rows
 * neither repeat nor go missing between pages. In SLA order, tickets with a due time come first,
 * earliest first; then those without one (resolved, closed, waiting on the customer), newest first.
 * The two parts are read by two queries, each of which an index serves as is; one query ordering
 * by "due time, nulls last" would not be (SQLite and PostgreSQL put nulls on different ends).
 */
export class InboxStore {
  async page(db: Conn, filter: InboxFilter, sort: InboxSort, after: InboxPosition | undefined, limit: number, now: number): Promise<InboxRow[]> {
    const rows: Array<Record<string, any>> = [];
    if (sort === 'updated') {
      const q = this.filtered(db, filter, now)
        .orderBy([
          { column: 't.updated_at', order: 'desc' },
          { column: 't.id', order: 'desc' },
        ])
        .limit(limit);
      if (after?.sort === 'updated') q.whereRaw('(t.updated_at, t.id) < (?, ?)', [after.updatedAt, after.id]);
      rows.push(...(await q));
    } else {
      const position = after?.sort === 'sla_due' ? after : undefined;
      if (position?.dueAt !== null) {
        const q = this.filtered(db, filter, now)
          .whereNotNull('t.sla_due_at')
          .orderBy([{ column: 't.sla_due_at' }, { column: 't.id' }])
          .limit(limit);
        if (position) q.whereRaw('(t.sla_due_at, t.id) > (?, ?)', [position.dueAt, position.id]);
        rows.push(...(await q));
      }
      // An SLA filter only matches tickets with a due time: no second part.
      if (rows.length < limit && !filter.sla) {
        const q = this.filtered(db, filter, now)
          .whereNull('t.sla_due_at')
          .orderBy('t.id', 'desc')
          .limit(limit - rows.length);
        if (position?.dueAt === null) q.where('t.id', '<', position.id);
        rows.push(...(await q));
      }
    }
    const excerpts = await this.excerpts(
      db,
      rows.map((r) => Number(r.id)),
    );
    return rows.map((r) => ({
      ticket: toTicket(r),
      slaDueAt: r.sla_due_at == null ? null : Number(r.sla_due_at),
      customerName: r.customer_name ?? null,
      excerpt: excerpts.get(Number(r.id)) ?? null,
    }));
  }

  /** Open tickets per queue: how many, unassigned, due within the hour, past due. Queues without open tickets are absent. */
  async queueCounts(db: Conn, now: number): Promise<QueueCounts[]> {
    const rows: Array<Record<string, unknown>> = await db('tickets')
      .whereIn('status', OPEN_STATUSES)
      .groupBy('queue')
      .select(
        'queue',
        db.raw('COUNT(*) AS open'),
        db.raw('SUM(CASE WHEN assignee IS NULL THEN 1 ELSE 0 END) AS unassigned'),
        db.raw('SUM(CASE WHEN sla_due_at > ? AND sla_due_at <= ? THEN 1 ELSE 0 END) AS due_soon', [now, now + DUE_SOON_MS]),
        db.raw('SUM(CASE WHEN sla_due_at <= ? THEN 1 ELSE 0 END) AS breached', [now]),
      );
    return rows.map((r) => ({
      queue: String(r.queue),
      open: Number(r.open),
      unassigned: Number(r.unassigned ?? 0),
      dueSoon: Number(r.due_soon ?? 0),
      breached: Number(r.breached ?? 0),
    }));
  }

  private filtered(db: Conn, f: InboxFilter, now: number): Knex.QueryBuilder {
    const q = db('tickets as t').leftJoin('customers as c', 'c.id', 't.customer_id').select('t.*', 'c.display_name as customer_name');
    if (f.status?.length) q.whereIn('t.status', f.status);
    if (f.queue) q.where('t.queue', f.queue);
    if (f.category) q.where('t.category', f.category);
    if (f.severity != null) q.where('t.severity', f.severity);
    if (f.customerId != null) q.where('t.customer_id', f.customerId);
    if (f.channel) q.where('t.channels', 'like', `%,${escapeLike(f.channel)},%`);
    if (f.assignee === null) q.whereNull('t.assignee');
    else if (f.assignee !== undefined) q.where('t.assignee', f.assignee);
    if (f.sla === 'due_soon') q.where('t.sla_due_at', '>', now).andWhere('t.sla_due_at', '<=', now + DUE_SOON_MS);
    else if (f.sla === 'breached') q.where('t.sla_due_at', '<=', now);
    if (f.unreachable) q.where('t.tags', 'like', '%"unreachable"%');
    if (f.q) this.search(db, q, f.q, f.qIdentities ?? []);
    return q;
  }

  private search(db: Conn, q: Knex.QueryBuilder, text: string, identities: string[]): void {
    const pattern = `%${escapeLike(text.toLowerCase())}%`;
    const like = (column: string) => `lower(${column}) like ? escape '\\'`;
    q.where((w) => {
      w.where('t.number', text.toUpperCase())
        .orWhereRaw(like('t.subject'), [pattern])
        // The customer's e-mail, phone, WeChat id… (exactly in canonical form, or any part of it), or name.
        .orWhereIn(
          't.customer_id',
          db('customer_identities')
            .select('customer_id')
            .where((i) => {
              if (identities.length > 0) i.whereIn('value', identities);
              i.orWhereRaw(like('value'), [pattern]);
            }),
        )
        .orWhereIn('t.customer_id', db('customers').select('id').whereRaw(like('display_name'), [pattern]))
        .orWhereExists(db('messages as m').select(db.raw('1')).whereRaw('m.ticket_id = t.id').andWhereRaw(like('m.text'), [pattern]));
    });
  }

  /** The start of each ticket's first customer message, in one query for the page. */
  private async excerpts(db: Conn, ticketIds: number[]): Promise<Map<number, string>> {
    if (ticketIds.length === 0) return new Map();
    const firsts = db('messages').min('id').whereIn('ticket_id', ticketIds).where('direction', 'in').groupBy('ticket_id');
    const rows = await db('messages')
      .whereIn('id', firsts)
      .select('ticket_id', db.raw(`substr(text, 1, ${EXCERPT_CHARS}) as excerpt`));
    return new Map(
      rows.map((r: Record<string, unknown>) => [
        Number(r.ticket_id),
        String(r.excerpt ?? '')
          .replace(/\s+/g, ' ')
          .trim(),
      ]),
    );
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
