import type { Knex } from 'knex';
import { dialectOf, type Db } from './db.js';
import { DeferredWrites } from './deferred-writes.store.js';

type Conn = Knex | Knex.Transaction;

/** Items per set-based UPDATE (three bound values each): well under SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_UPDATE = 200;

export interface OutboxItem {
  id: number;
  ticketId: number;
  messageId: number;
  channel: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** A message to queue for a channel adapter. */
interface OutboxEntry {
  ticketId: number;
  messageId: number;
  channel: string;
  payload: unknown;
  /** Not sent before this time (quiet hours); at once when absent. */
  notBefore?: number;
}

/** The row a new outbox entry is stored as, due at once (or at `notBefore`). */
function outboxRow(item: OutboxEntry, now: number): Record<string, unknown> {
  return {
    ticket_id: item.ticketId,
    message_id: item.messageId,
    channel: item.channel,
    payload: JSON.stringify(item.payload),
    status: 'pending',
    next_attempt_at: Math.max(now, item.notBefore ?? now),
    created_at: now,
  };
}

/** Messages waiting to be sent by a channel adapter; claimed with a lease like the journal. */
export class OutboxStore {
  constructor(private readonly db: Db) {}

  async enqueue(db: Conn, item: OutboxEntry, now = Date.now()): Promise<number> {
    const [row] = await db('outbox').insert(outboxRow(item, now)).returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /**
   * `enqueue` for a caller that needs no id: inside a transaction that defers its writes
   * (the pipeline's chunk) the row is inserted with the others just before the commit.
   */
  async add(db: Conn, item: OutboxEntry, now = Date.now()): Promise<void> {
    const deferred = DeferredWrites.of(db);
    if (!deferred) {
      await this.enqueue(db, item, now);
      return;
    }
    deferred.add('outbox', outboxRow(item, now));
  }

  /** Hands back the items `workerId` holds (see JournalStore.releaseClaims): sent again at once, not after the lease. */
  async releaseClaims(workerId: string): Promise<number> {
    return this.db('outbox').where({ claimed_by: workerId, status: 'processing' }).update({ status: 'pending', lease_until: null });
  }

  async claim(workerId: string, limit: number, leaseMs: number, now = Date.now()): Promise<OutboxItem[]> {
    const lockClause = dialectOf(this.db) === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const result = await this.db.raw(
      `UPDATE outbox SET status = 'processing', claimed_by = ?, lease_until = ?, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM outbox
           WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'processing' AND lease_until < ?)
           ORDER BY id LIMIT ? ${lockClause})
        RETURNING id, ticket_id, message_id, channel, payload, attempts`,
      [workerId, now + leaseMs, now, now, limit],
    );
    const rows: Array<Record<string, any>> = Array.isArray(result) ? result : result.rows;
    return rows
      .map((r) => ({
        id: Number(r.id),
        ticketId: Number(r.ticket_id),
        messageId: Number(r.message_id),
        channel: r.channel,
        payload: JSON.parse(r.payload),
        attempts: Number(r.attempts),
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Items a channel took: one UPDATE per {@link ROWS_PER_UPDATE} of them, each keeping its own external id. */
  async markSentMany(db: Conn, items: ReadonlyArray<{ id: number; externalId: string }>, now = Date.now()): Promise<void> {
    for (let i = 0; i < items.length; i += ROWS_PER_UPDATE) {
      const part = items.slice(i, i + ROWS_PER_UPDATE);
      await db('outbox')
        .whereIn(
          'id',
          part.map((p) => p.id),
        )
        .update({
          status: 'sent',
          external_id: db.raw(
            `CASE id ${part.map(() => 'WHEN ? THEN ?').join(' ')} END`,
            part.flatMap((p) => [p.id, p.externalId]),
          ),
          sent_at: now,
          lease_until: null,
          last_error: null,
        });
    }
  }

  async retryLater(db: Conn, id: number, error: string, nextAttemptAt: number): Promise<void> {
    await db('outbox')
      .where({ id })
      .update({ status: 'pending', last_error: error.slice(0, 2000), next_attempt_at: nextAttemptAt, lease_until: null });
  }

  /** `failed`: the provider refused for good; `undeliverable`: no adapter can carry it. */
  async markFinal(db: Conn, id: number, status: 'failed' | 'undeliverable', error: string): Promise<void> {
    await db('outbox')
      .where({ id })
      .update({ status, last_error: error.slice(0, 2000), lease_until: null });
  }

  async get(id: number): Promise<{ id: number; status: string; attempts: number; lastError: string | null; externalId: string | null } | undefined> {
    const r = await this.db('outbox').where({ id }).first();
    return r ? { id: Number(r.id), status: r.status, attempts: Number(r.attempts), lastError: r.last_error, externalId: r.external_id } : undefined;
  }

  async findByExternalId(db: Conn, channel: string, externalId: string): Promise<{ id: number; ticketId: number; messageId: number } | undefined> {
    const r = await db('outbox').where({ channel, external_id: externalId }).first();
    return r ? { id: Number(r.id), ticketId: Number(r.ticket_id), messageId: Number(r.message_id) } : undefined;
  }
}
