import type { Knex } from 'knex';

type Conn = Knex | Knex.Transaction;

/**
 * Where an audit entry comes from: `access` (audit_log: reveals, tokens), `privacy` (privacy_requests: a customer's
 * data exported or erased) or `ticket` (ticket_events: every ticket change).
 */
export const AUDIT_SOURCES = ['access', 'privacy', 'ticket'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];

/** Something a person did that is no ticket change, as audit_log keeps it. */
export interface AccessRecord {
  /** `user:<name>` (a console session), `token:<name>` (an API token) or `cli:<user>` (a command). */
  actor: string;
  role?: string | null;
  /** `contact.revealed`, `token.created`, `token.revoked`… */
  action: string;
  ticketId?: number | null;
  customerId?: number | null;
  /** What it was about (JSON): never the personal data itself. */
  detail?: Record<string, unknown>;
}

/** One entry of the audit trail, from either source. */
export interface AuditEntry {
  source: AuditSource;
  id: number;
  actor: string;
  role: string | null;
  action: string;
  ticketId: number | null;
  customerId: number | null;
  detail: unknown;
  createdAt: number;
}

export interface AuditFilter {
  /** Any of these actor values (a name is looked up in each form it is written in: `agent:li.lei`, `user:li.lei`…). */
  actors?: string[];
  action?: string;
  ticketId?: number;
  customerId?: number;
  /** Epoch ms, both included. */
  from?: number;
  to?: number;
  source?: AuditSource;
}

/** Where a page ended in one source: after this entry; `null` = from the newest; `false` = nothing more there. */
export type SourcePosition = { createdAt: number; id: number } | null | false;
export type AuditPosition = Record<AuditSource, SourcePosition>;
export const AUDIT_START: AuditPosition = { access: null, privacy: null, ticket: null };
const TABLES: Record<AuditSource, string> = { access: 'audit_log', privacy: 'privacy_requests', ticket: 'ticket_events' };
/** Source order among entries of the same millisecond (then newest id first). */
const RANK: Record<AuditSource, number> = { access: 0, privacy: 1, ticket: 2 };

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The audit trail: audit_log (what people looked at, tokens), privacy_requests (exports and erasures) and
 * ticket_events (what changed on tickets), read together newest first. Each source is read in (created_at, id)
 * order (audit_log and ticket_events from their own indexes; privacy_requests is small) and the page is their
 * merge, so a page costs one range read per source whatever the table sizes; the position in each source travels
 * in the cursor. Filters by actor, ticket or customer read their own indexes; by action alone, the time order is
 * scanned until the page is full.
 */
export class AuditStore {
  async record(db: Conn, entry: AccessRecord, now = Date.now()): Promise<number> {
    const [row] = await db('audit_log')
      .insert({
        actor: entry.actor,
        role: entry.role ?? null,
        action: entry.action,
        ticket_id: entry.ticketId ?? null,
        customer_id: entry.customerId ?? null,
        detail: JSON.stringify(entry.detail ?? {}),
        created_at: now,
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  async page(db: Conn, filter: AuditFilter, after: AuditPosition, limit: number): Promise<{ items: AuditEntry[]; next: AuditPosition | null }> {
    const sources = AUDIT_SOURCES.filter((s) => (filter.source === undefined || filter.source === s) && after[s] !== false);
    const fetched = new Map<AuditSource, AuditEntry[]>();
    for (const source of sources)
      fetched.set(source, await this.read(db, source, filter, after[source] as { createdAt: number; id: number } | null, limit + 1));
    const merged = [...fetched.values()].flat().sort((a, b) => b.createdAt - a.createdAt || RANK[a.source] - RANK[b.source] || b.id - a.id);
    const items = merged.slice(0, limit);
    const next: AuditPosition = { access: false, privacy: false, ticket: false };
    for (const source of AUDIT_SOURCES) {
      const rows = fetched.get(source);
      if (!rows) continue; // filtered out, or already exhausted: stays false
      const taken = items.filter((e) => e.source === source);
      const last = taken[taken.length - 1];
      // Everything read from this source fit on the page, and it read fewer than it asked for: nothing more there.
      if (taken.length === rows.length && rows.length <= limit) next[source] = false;
      else next[source] = last ? { createdAt: last.createdAt, id: last.id } : after[source];
    }
    return { items, next: AUDIT_SOURCES.some((s) => next[s] !== false) ? next : null };
  }

  private async read(db: Conn, source: AuditSource, f: AuditFilter, after: { createdAt: number; id: number } | null, limit: number): Promise<AuditEntry[]> {
    // Exports and erasures concern a customer, never one ticket.
    if (source === 'privacy' && f.ticketId !== undefined) return [];
    const q = db(TABLES[source]).orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    if (after) q.where((w) => w.where('created_at', '<', after.createdAt).orWhere((x) => x.where('created_at', after.createdAt).andWhere('id', '<', after.id)));
    if (f.actors) q.whereIn('actor', f.actors);
    if (f.from !== undefined) q.where('created_at', '>=', f.from);
    if (f.to !== undefined) q.where('created_at', '<=', f.to);
    if (f.ticketId !== undefined) q.where('ticket_id', f.ticketId);
    if (source === 'access') {
      if (f.action) q.where('action', f.action);
      if (f.customerId !== undefined) q.where('customer_id', f.customerId);
    } else if (source === 'privacy') {
      const kind = f.action && /^customer\.(export|erase)d?$/.exec(f.action)?.[1];
      if (f.action) q.where('kind', kind ?? '');
      if (f.customerId !== undefined) q.where('customer_id', f.customerId);
    } else {
      if (f.action) q.where('type', f.action);
      if (f.customerId !== undefined) q.whereIn('ticket_id', db('tickets').select('id').where('customer_id', f.customerId));
    }
    const rows = await q.limit(limit);
    return rows.map((r): AuditEntry =>
      source === 'privacy'
        ? {
            source,
            id: Number(r.id),
            actor: r.actor,
            role: null,
            action: r.kind === 'erase' ? 'customer.erased' : 'customer.exported',
            ticketId: null,
            customerId: Number(r.customer_id),
            detail: { reason: r.reason ?? null, summary: parseJson(r.summary) },
            createdAt: Number(r.created_at),
          }
        : source === 'access'
          ? {
              source,
              id: Number(r.id),
              actor: r.actor,
              role: r.role ?? null,
              action: r.action,
              ticketId: r.ticket_id == null ? null : Number(r.ticket_id),
              customerId: r.customer_id == null ? null : Number(r.customer_id),
              detail: parseJson(r.detail),
              createdAt: Number(r.created_at),
            }
          : {
              source,
              id: Number(r.id),
              actor: r.actor,
              role: null,
              action: r.type,
              ticketId: Number(r.ticket_id),
              customerId: null,
              detail: { before: parseJson(r.before), after: parseJson(r.after) },
              createdAt: Number(r.created_at),
            },
    );
  }
}
