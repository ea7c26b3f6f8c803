import type { Knex } from 'knex';
import { ChangeFeeds } from './change-feed.js';
import { dialectOf } from './db.js';

type Conn = Knex | Knex.Transaction;

export interface Incident {
  id: number;
  title: string;
  category: string | null;
  severity: number;
  status: 'open' | 'resolved';
  ticketCount: number;
  firstSeenAt: number;
  lastSeenAt: number;
  resolvedAt: number | null;
  createdAt: number;
}

/** Incidents: many customers, one underlying problem. */
export class IncidentStore {
  async create(
    db: Conn,
    i: { title: string; category: string | null; severity: number; firstSeenAt: number; lastSeenAt: number },
    now: number,
  ): Promise<number> {
    const [row] = await db('incidents')
      .insert({
        title: i.title,
        category: i.category,
        severity: i.severity,
        status: 'open',
        ticket_count: 0,
        first_seen_at: i.firstSeenAt,
        last_seen_at: i.lastSeenAt,
        created_at: now,
      })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await ChangeFeeds.of(db)?.incidentOpened(db, { id, title: i.title, category: i.category, severity: i.severity }, now);
    return id;
  }

  /**
   * Recounts members and the seen window after tickets were linked. On PostgreSQL the pipeline calls it after the
   * transactions that linked them committed, in a transaction of its own: done in theirs, the count held the
   * incident's row until their commit, and during a surge every pipeline transaction, in every process, waited
   * for the one before. The row is locked first, so the last of two recounts at once counts what both committed.
   * On SQLite (one writer) it runs inside the caller's transaction.
   */
  async refresh(db: Conn, id: number): Promise<void> {
    if (dialectOf(db) === 'sqlite') return this.recount(db, id);
    if (db.isTransaction) throw new Error('on PostgreSQL an incident is recounted after the transactions that linked its tickets');
    await (db as Knex).transaction(async (trx) => {
      await trx('incidents').where({ id }).forUpdate().first('id');
      await this.recount(trx, id);
    });
  }

  private async recount(db: Conn, id: number): Promise<void> {
    const agg = await db('tickets')
      .where({ incident_id: id })
      .select(db.raw('count(*) as n'), db.raw('min(created_at) as first'), db.raw('max(last_message_at) as last'))
      .first();
    await db('incidents')
      .where({ id })
      .update({ ticket_count: Number(agg?.n ?? 0), ...(agg?.first != null ? { first_seen_at: Number(agg.first), last_seen_at: Number(agg.last) } : {}) });
  }

  async get(db: Conn, id: number): Promise<Incident | undefined> {
    const r = await db('incidents').where({ id }).first();
    return r ? toIncident(r) : undefined;
  }

  async list(db: Conn, f: { status?: string; limit: number; beforeId?: number }): Promise<Incident[]> {
    const q = db('incidents').orderBy('id', 'desc').limit(f.limit);
    if (f.status) q.where('status', f.status);
    if (f.beforeId) q.where('id', '<', f.beforeId);
    return (await q).map(toIncident);
  }

  async resolve(db: Conn, id: number, now: number): Promise<void> {
    const feed = ChangeFeeds.of(db);
    // What the change feed records commits with the change: in the caller's transaction, or in one of its own.
    if (feed && !db.isTransaction) return (db as Knex).transaction((trx) => this.resolve(trx, id, now));
    await db('incidents').where({ id }).update({ status: 'resolved', resolved_at: now });
    await feed?.incidentResolved(db, id, now);
  }
}

function toIncident(r: Record<string, any>): Incident {
  return {
    id: Number(r.id),
    title: r.title,
    category: r.category,
    severity: Number(r.severity),
    status: r.status,
    ticketCount: Number(r.ticket_count),
    firstSeenAt: Number(r.first_seen_at),
    lastSeenAt: Number(r.last_seen_at),
    resolvedAt: r.resolved_at == null ? null : Number(r.resolved_at),
    createdAt: Number(r.created_at),
  };
}
