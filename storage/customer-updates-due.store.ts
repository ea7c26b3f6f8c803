import type { Knex } from 'knex';
import { dialectOf } from './db.js';
import { DeferredWrites } from './deferred-writes.store.js';
import { resultRows } from './fixed-statements.js';

type Conn = Knex | Knex.Transaction;

/** A status change the customer may need to hear about, waiting to be turned into a progress message. */
export interface DueUpdate {
  /** The event's id. */
  id: number;
  ticketId: number;
  /** The status the ticket changed to. */
  status: string;
  actor: string;
  changedAt: number;
}

/** The event type that records a change to tell (not shown on the ticket's timeline: customer_notified follows it). */
export const DUE_EVENT = 'customer_update_due';
/** kv_state: the id of the last event the batches have looked at. */
export const TOLD_THROUGH_KEY = 'customer-updates:told-through';
/** PostgreSQL advisory lock that fences a batch's read against changes still writing their due event. */
const FENCE = 2_026_120_519;

const toldThrough = async (db: Conn): Promise<number | undefined> => {
  const row = await db('kv_state').where({ key: TOLD_THROUGH_KEY }).first('value');
  return row ? Number(JSON.parse(row.value)) : undefined;
};

/**
 * The queue between a ticket's status change and the customer's progress message (gateway/customer-updates.ts) is the
 * ticket's own event log: the change writes a `customer_update_due` event with its other events (one multi-row INSERT,
 * the same table and index pages: it costs the change next to nothing, where a row in a table of its own cost it a
 * quarter of a millisecond on SQLite), and batches read the due events after a cursor (`kv_state`).
 *
 * A cursor over ids must not pass an id that commits later. SQLite has one writer, so ids commit in order. On
 * PostgreSQL a change takes a shared advisory lock before it writes its due event, and a batch reads under the
 * exclusive one: no change is then between taking its id and committing, and a later change takes a larger id.
 */
export const CustomerUpdatesDue = {
  async add(db: Conn, update: Omit<DueUpdate, 'id'>): Promise<void> {
    if (dialectOf(db as Knex) === 'postgres') await db.raw('SELECT pg_advisory_xact_lock_shared(?)', [FENCE]);
    const row = {
      ticket_id: update.ticketId,
      actor: update.actor,
      type: DUE_EVENT,
      before: null,
      after: JSON.stringify({ status: update.status }),
      created_at: update.changedAt,
    };
    const deferred = DeferredWrites.of(db);
    if (deferred) deferred.add('ticket_events', row);
    else await db('ticket_events').insert(row);
  },

  /**
   * The oldest due events after the cursor (at most `limit`), and how far the cursor may move once they are told: to
   * the last of them, or when there are none, to the newest event there is (so an idle poll reads from the end). On
   * PostgreSQL under the fence, held until `trx` ends: {@link next} reads in a short transaction of its own.
   */
  async read(trx: Knex.Transaction, limit: number): Promise<{ due: DueUpdate[]; from: number; through: number }> {
    if (dialectOf(trx as unknown as Knex) === 'postgres') await trx.raw('SELECT pg_advisory_xact_lock(?)', [FENCE]);
    const cursor = await toldThrough(trx);
    // A database whose cursor row went missing starts it again (from 0: nothing is skipped).
    if (cursor === undefined) await trx('kv_state').insert({ key: TOLD_THROUGH_KEY, value: '0', updated_at: Date.now() }).onConflict('key').ignore();
    const from = cursor ?? 0;
    const rows = resultRows(
      await trx.raw(`SELECT id, ticket_id, actor, after, created_at FROM ticket_events WHERE id > ? AND type = ? ORDER BY id LIMIT ?`, [
        from,
        DUE_EVENT,
        limit,
      ]),
    );
    const due = rows.map((r) => ({
      id: Number(r.id),
      ticketId: Number(r.ticket_id),
      status: String((JSON.parse(r.after) as { status: string }).status),
      actor: r.actor,
      changedAt: Number(r.created_at),
    }));
    const through = due.length > 0 ? due.at(-1)!.id : Math.max(from, Number((await trx('ticket_events').max({ id: 'id' }).first())?.id ?? 0));
    return { due, from, through };
  },

  /** {@link read} in a short transaction of its own: on PostgreSQL the fence is released before the batch writes. */
  async next(db: Knex, limit: number): Promise<{ due: DueUpdate[]; from: number; through: number }> {
    return db.transaction((trx) => this.read(trx, limit));
  },

  /**
   * Moves the cursor from `from` to `through` inside the batch's transaction; false when another process moved it
   * first (it told the same events: the caller rolls back).
   */
  async advance(trx: Knex.Transaction, from: number, through: number, now: number): Promise<boolean> {
    const value = JSON.stringify(through);
    const moved = await trx('kv_state')
      .where({ key: TOLD_THROUGH_KEY, value: JSON.stringify(from) })
      .update({ value, updated_at: now });
    return moved === 1;
  },

  /** How many due events wait after the cursor (tests settle on it). */
  async waiting(db: Knex): Promise<number> {
    const from = (await toldThrough(db)) ?? 0;
    return Number((await db('ticket_events').where('id', '>', from).andWhere({ type: DUE_EVENT }).count({ n: '*' }).first())?.n ?? 0);
  },
};
