import type { Knex } from 'knex';
import { ChunkReadAhead } from './chunk-read-ahead.js';
import { whereIdIn } from './db.js';
import { OPEN_STATUSES, toTicket, type Ticket } from './ticket.store.js';

type Conn = Knex | Knex.Transaction;

/** PostgreSQL: which transactions a snapshot saw as finished: those below `xmax` except `running` (xid8 values as text). */
export interface CommittedSnapshot {
  xmax: string;
  running: string[];
}

/** PostgreSQL: the current snapshot as a row (`now.s`), and a CommittedSnapshot's columns read from it. */
const CURRENT_SNAPSHOT = '(SELECT pg_current_snapshot() AS s) AS now';
const SNAPSHOT_COLUMNS = 'pg_snapshot_xmax(now.s)::text AS xmax, ARRAY(SELECT pg_snapshot_xip(now.s))::text[] AS running';

/** What dedupe needs to compare a new message with a ticket. */
export interface TicketProblem {
  ticketId: number;
  customerId: number;
  category: string | null;
  status: string;
  createdAt: number;
  lastMessageAt: number;
  incidentId: number | null;
  signature: { features: string[]; minhash: number[] };
  orderNumbers: string[];
}

/**
 * Parsed signatures by their stored JSON. A ticket's signature is written once and never
 * changed, and surge detection reads the same recent tickets for every new one: parsing
 * them again each time cost more than the queries. Keyed by the text itself, so a hit is
 * always exactly what the row holds. Bounded; the oldest entry goes first.
 */
class ParsedSignatures {
  private readonly parsed = new Map<string, TicketProblem['signature']>();

  constructor(private readonly max = 4000) {}

  get(json: string): TicketProblem['signature'] {
    let hit = this.parsed.get(json);
    if (hit === undefined) {
      hit = Object.freeze(JSON.parse(json)) as TicketProblem['signature'];
      if (this.parsed.size >= this.max) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(json, hit);
    }
    return hit;
  }
}

const signatures = new ParsedSignatures();

/** Open tickets of one customer compared with a new message, newest first. */
const DEDUPE_CANDIDATES = 50;

/** Ticket signatures, LSH bands and order numbers: the indexes behind dedupe and surge detection. */
export class SimilarityStore {
  /**
   * Stores a new ticket's signature (its MinHash is what recent tickets' LSH band keys are computed from: the
   * gateway keeps those in memory, gateway/pipeline/recent-bands.ts; band rows in ticket_bands are what an older
   * gateway wrote, still purged).
   */
  async save(db: Conn, ticketId: number, signature: { features: string[]; minhash: number[] }, now: number): Promise<void> {
    await db('ticket_signatures')
      .insert({ ticket_id: ticketId, signature: JSON.stringify({ features: signature.features, minhash: signature.minhash }), created_at: now })
      .onConflict('ticket_id')
      .ignore();
  }

  async addOrders(db: Conn, ticketId: number, orders: string[]): Promise<void> {
    const unique = [...new Set(orders.map((o) => o.toUpperCase()))];
    if (unique.length > 0)
      await db('ticket_orders')
        .insert(unique.map((order_number) => ({ order_number, ticket_id: ticketId })))
        .onConflict(['order_number', 'ticket_id'])
        .ignore();
  }

  /** The customer's tickets that are not closed and had a message since `since`. */
  /**
   * The customer's open (or resolved) tickets with a message since `since`, newest first, each
   * with its full row (the one a duplicate joins). `orders: false` skips their order numbers:
   * they only matter when the new message quotes one (see `sameProblem`).
   */
  async openForCustomer(db: Conn, customerId: number, since: number, opts: { orders?: boolean } = {}): Promise<Array<TicketProblem & { ticket(): Ticket }>> {
    const rows =
      (opts.orders === false ? ChunkReadAhead.of(db)?.openTicketsOf(customerId, since) : undefined) ??
      (await this.openTicketRows(db, [customerId], since, DEDUPE_CANDIDATES));
    const problems = opts.orders === false ? toProblems(rows) : await this.withOrders(db, rows);
    // The full ticket is built only for the candidate a duplicate joins.
    return problems.map((p, i) => ({ ...p, ticket: () => toTicket(rows[i]!) }));
  }

  /**
   * The open (or resolved) ticket rows, with their `signature` column, of each customer that had
   * a message since `since`: at most `perCustomer` per customer, newest first.
   */
  async openTicketRows(db: Conn, customerIds: number[], since: number, perCustomer = DEDUPE_CANDIDATES): Promise<Array<Record<string, any>>> {
    if (customerIds.length === 0) return [];
    const open = (q: Knex.QueryBuilder) => openSince(q.from('tickets as t').leftJoin('ticket_signatures as s', 's.ticket_id', 't.id'), customerIds, since);
    if (customerIds.length === 1) return open(db.queryBuilder()).orderBy('t.id', 'desc').limit(perCustomer).select('t.*', 's.signature');
    const ranked = open(db.queryBuilder()).select(
      't.*',
      's.signature',
      db.raw('row_number() over (partition by t.customer_id order by t.id desc) as candidate_rank'),
    );
    const rows = await db.from(ranked.as('ranked')).where('candidate_rank', '<=', perCustomer).orderBy('id', 'desc');
    for (const r of rows) delete r.candidate_rank;
    return rows;
  }

  /** Which of these customers have an open (or resolved) ticket with a message since `since`. */
  async customersWithOpenTickets(db: Conn, customerIds: number[], since: number): Promise<Set<number>> {
    if (customerIds.length === 0) return new Set();
    const rows = await openSince(db.from('tickets as t').distinct('t.customer_id'), customerIds, since);
    return new Set(rows.map((r: { customer_id: number | string }) => Number(r.customer_id)));
  }

  /**
   * The tickets among `ids` that are not closed, of `category` when one is given, newest first, at
   * most `limit` (default 500): surge candidates once their ids are known.
   */
  async lookAlikes(db: Conn, ids: number[], opts: { category?: string; limit?: number } = {}): Promise<Array<Omit<TicketProblem, 'orderNumbers'>>> {
    const limit = opts.limit ?? 500;
    if (ids.length === 0) return [];
    // The limit applies after the status and category filters, so other categories never crowd
    // out this one's candidates.
    const rows = await db('tickets as t')
      .join('ticket_signatures as s', 's.ticket_id', 't.id')
      // One parameter however many tickets a surge brings.
      .modify((q) => whereIdIn(db, q, 't.id', ids))
      .whereNot('t.status', 'closed')
      .modify((q) => {
        // Surge detection counts an unclassified ticket as OTHER.
        if (opts.category === 'OTHER') q.where((w) => w.where('t.category', 'OTHER').orWhereNull('t.category'));
        else if (opts.category !== undefined) q.where('t.category', opts.category);
      })
      // When capped, the newest look-alikes are the ones kept.
      .orderBy('t.id', 'desc')
      .limit(limit)
      .select('t.id', 't.customer_id', 't.category', 't.status', 't.created_at', 't.last_message_at', 't.incident_id', 's.signature');
    return toProblems(rows);
  }

  /** The largest ticket id with a stored signature (0 when none). */
  async lastSignatureId(db: Conn): Promise<number> {
    const row = await db('ticket_signatures').max({ id: 'ticket_id' }).first();
    return Number(row?.id ?? 0);
  }

  /**
   * PostgreSQL: what a snapshot taken now sees as finished: every transaction below its `xmax` but those in `running`.
   * Read it before what it is to cover, or in the same statement.
   */
  async snapshot(db: Conn): Promise<CommittedSnapshot> {
    const result = await db.raw(`SELECT ${SNAPSHOT_COLUMNS} FROM ${CURRENT_SNAPSHOT}`);
    const row = result.rows[0] as { xmax: string; running: string[] };
    return { xmax: row.xmax, running: row.running };
  }

  /**
   * PostgreSQL: ids and creation times of the signatures created since `since` by the transactions `after` did not see
   * finished (from its `xmax` on, and those it saw running), but not by this transaction; and what this statement's own
   * snapshot sees, for the next read. Several processes write, and ticket ids are drawn before their transaction commits:
   * an id order would skip a ticket committed late under a smaller id. A transaction left open for hours (a session idle
   * in a transaction) is one id in `running`, not a horizon that holds every later signature back to be read again.
   */
  async committedSince(
    db: Conn,
    after: CommittedSnapshot,
    since: number,
  ): Promise<{ snapshot: CommittedSnapshot; stored: Array<{ ticketId: number; createdAt: number }> }> {
    const result = await db.raw(
      `SELECT ${SNAPSHOT_COLUMNS},
         (SELECT coalesce(json_agg(json_build_array(t.ticket_id, t.created_at)), '[]'::json) FROM ticket_signatures t
           WHERE (t.xid >= ?::xid8 OR t.xid = ANY(?::xid8[])) AND t.created_at >= ?
             AND t.xid IS DISTINCT FROM pg_current_xact_id_if_assigned()) AS stored
       FROM ${CURRENT_SNAPSHOT}`,
      [after.xmax, after.running, since],
    );
    const row = result.rows[0] as { xmax: string; running: string[]; stored: Array<[number | string, number | string]> };
    return {
      snapshot: { xmax: row.xmax, running: row.running },
      stored: row.stored.map(([id, at]) => ({ ticketId: Number(id), createdAt: Number(at) })),
    };
  }

  /** Ids and creation times of the signatures stored after ticket `afterId`, in id order. */
  async signaturesAfter(db: Conn, afterId: number): Promise<Array<{ ticketId: number; createdAt: number }>> {
    const rows = await db('ticket_signatures').where('ticket_id', '>', afterId).orderBy('ticket_id').select('ticket_id', 'created_at');
    return rows.map((r: Record<string, any>) => ({ ticketId: Number(r.ticket_id), createdAt: Number(r.created_at) }));
  }

  /**
   * The MinHash of stored signatures, chosen by ticket id or by creation time (`since` inclusive,
   * `before` exclusive, and `upToId`): what band keys are computed from.
   */
  async minhashes(
    db: Conn,
    which: { ids: number[] } | { since: number; before?: number; upToId?: number },
  ): Promise<Array<{ ticketId: number; createdAt: number; minhash: number[] }>> {
    if ('ids' in which && which.ids.length === 0) return [];
    const q = db('ticket_signatures').select('ticket_id', 'created_at', 'signature');
    if ('ids' in which) whereIdIn(db, q, 'ticket_id', which.ids);
    else {
      q.where('created_at', '>=', which.since);
      if (which.upToId !== undefined) q.where('ticket_id', '<=', which.upToId);
      if (which.before !== undefined) q.where('created_at', '<', which.before);
    }
    return (await q).map((r: Record<string, any>) => ({
      ticketId: Number(r.ticket_id),
      createdAt: Number(r.created_at),
      minhash: signatures.get(r.signature).minhash,
    }));
  }

  private async withOrders(db: Conn, rows: Array<Record<string, any>>): Promise<TicketProblem[]> {
    const ids = rows.map((r) => Number(r.id));
    const orders = new Map<number, string[]>();
    if (ids.length > 0) {
      for (const o of await db('ticket_orders').whereIn('ticket_id', ids).select('ticket_id', 'order_number')) {
        const list = orders.get(Number(o.ticket_id)) ?? [];
        list.push(o.order_number);
        orders.set(Number(o.ticket_id), list);
      }
    }
    return toProblems(rows, orders);
  }
}

/** The customers' open (or resolved) tickets, `t`, with a message since `since`: the tickets a message may join. */
function openSince(q: Knex.QueryBuilder, customerIds: number[], since: number): Knex.QueryBuilder {
  return q
    .whereIn('t.customer_id', customerIds)
    .whereIn('t.status', [...OPEN_STATUSES, 'resolved'])
    .where('t.last_message_at', '>=', since);
}

/** Rows of tickets joined with their signatures as dedupe and surge detection compare them. */
function toProblems(rows: Array<Record<string, any>>, orders = new Map<number, string[]>()): TicketProblem[] {
  return rows.map((r) => ({
    ticketId: Number(r.id),
    customerId: Number(r.customer_id),
    category: r.category,
    status: r.status,
    createdAt: Number(r.created_at),
    lastMessageAt: Number(r.last_message_at),
    incidentId: r.incident_id == null ? null : Number(r.incident_id),
    signature: r.signature ? signatures.get(r.signature) : { features: [], minhash: [] },
    orderNumbers: orders.get(Number(r.id)) ?? [],
  }));
}
