import type { Knex } from 'knex';
import { dialectOf, type Db } from './db.js';

/** What intake appends: one provider message, already normalized by its adapter. */
export interface JournalEntry {
  channel: string;
  externalId: string;
  receivedAt: number;
  payload: unknown;
}

export interface AppendResult {
  id: number;
  duplicate: boolean;
}

export interface ClaimedEntry {
  id: number;
  channel: string;
  externalId: string;
  receivedAt: number;
  acceptedAt: number;
  attempts: number;
  payload: unknown;
}

const INSERT_CHUNK = 200;

export type JournalStatus = 'pending' | 'processing' | 'done' | 'failed';

/** The intake journal: the durable, idempotent record of every accepted message. */
export class JournalStore {
  constructor(private readonly db: Db) {}

  /**
   * Appends many entries in one transaction (group commit). Entries already in the
   * journal — or repeated within the batch — come back as `duplicate: true` with the
   * id of the first copy. Resolves only after the commit.
   */
  async appendMany(entries: JournalEntry[], now = Date.now()): Promise<AppendResult[]> {
    const key = (e: { channel: string; externalId: string }) => `${e.channel}\u0000${e.externalId}`;
    const firstIndex = new Map<string, number>();
    entries.forEach((e, i) => {
      if (!firstIndex.has(key(e))) firstIndex.set(key(e), i);
    });
    const unique = [...firstIndex.values()].map((i) => entries[i]!);

    const ids = new Map<string, { id: number; inserted: boolean }>();
    await this.db.transaction(async (trx) => {
      const inserted: Array<{ id: number; channel: string; external_id: string }> = [];
      // knex writes a multi-row SQLite insert as a compound SELECT, limited to 500 terms.
      for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
        const rows: Array<{ id: number; channel: string; external_id: string }> = await trx('intake_journal')
          .insert(
            unique.slice(i, i + INSERT_CHUNK).map((e) => ({
              channel: e.channel,
              external_id: e.externalId,
              payload: JSON.stringify(e.payload),
              received_at: e.receivedAt,
              accepted_at: now,
              status: 'pending',
            })),
          )
          .onConflict(['channel', 'external_id'])
          .ignore()
          .returning(['id', 'channel', 'external_id']);
        inserted.push(...rows);
      }
      for (const row of inserted) ids.set(key({ channel: row.channel, externalId: row.external_id }), { id: Number(row.id), inserted: true });

      const missing = unique.filter((e) => !ids.has(key(e)));
      for (let i = 0; i < missing.length; i += INSERT_CHUNK) {
        const part = missing.slice(i, i + INSERT_CHUNK);
        const existing: Array<{ id: number; channel: string; external_id: string }> = await trx('intake_journal')
          .select('id', 'channel', 'external_id')
          .where((q) => {
            for (const e of part) q.orWhere({ channel: e.channel, external_id: e.externalId });
          });
        for (const row of existing) ids.set(key({ channel: row.channel, externalId: row.external_id }), { id: Number(row.id), inserted: false });
      }
    });

    return entries.map((e, i) => {
      const found = ids.get(key(e));
      if (!found) throw new Error(`journal append lost ${e.channel}/${e.externalId}`);
      return { id: found.id, duplicate: !found.inserted || firstIndex.get(key(e)) !== i };
    });
  }

  /**
   * Claims up to `limit` rows that are pending or whose lease expired (their worker
   * died). On PostgreSQL rows locked by another worker are skipped.
   */
  async claim(workerId: string, limit: number, leaseMs: number, maxAttempts: number, now = Date.now()): Promise<ClaimedEntry[]> {
    const lockClause = dialectOf(this.db) === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    // Two index ranges on (status, id) rather than one OR: with an OR, SQLite walks the table
    // through every done row (bench/dedupe/scale.bench.ts measured ~90 ms per claim at 1M rows).
    const result = await this.db.raw(
      `UPDATE intake_journal
          SET status = 'processing', claimed_by = ?, lease_until = ?, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM (
            SELECT id FROM (SELECT id FROM intake_journal WHERE status = 'pending' AND attempts < ? ORDER BY id LIMIT ? ${lockClause}) pending
            UNION ALL
            SELECT id FROM (SELECT id FROM intake_journal WHERE status = 'processing' AND lease_until < ? AND attempts < ? ORDER BY id LIMIT ? ${lockClause}) expired
          ) claimable
          ORDER BY id
          LIMIT ?)
        RETURNING id, channel, external_id, received_at, accepted_at, attempts, payload`,
      [workerId, now + leaseMs, maxAttempts, limit, now, maxAttempts, limit, limit],
    );
    const rows: RawJournalRow[] = Array.isArray(result) ? result : result.rows;
    return rows
      .map((r) => ({
        id: Number(r.id),
        channel: r.channel,
        externalId: r.external_id,
        receivedAt: Number(r.received_at),
        acceptedAt: Number(r.accepted_at),
        attempts: Number(r.attempts),
        payload: JSON.parse(r.payload),
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** Whether a worker other than `workerId` is processing journal rows now (rows it claimed and has not finished). */
  async othersProcessing(workerId: string): Promise<boolean> {
    const row = await this.db('intake_journal').where({ status: 'processing' }).whereNot({ claimed_by: workerId }).first('id');
    return row !== undefined;
  }

  /**
   * Hands back the rows `workerId` holds, for any worker to claim at once instead of after the lease:
   * called when a worker stops, and when a process that restarts under the same name finds what its
   * predecessor (killed mid-batch) had claimed. Attempts stay counted, so a message that kills its
   * worker is still parked after the configured number of tries.
   */
  async releaseClaims(workerId: string): Promise<number> {
    return this.db('intake_journal').where({ claimed_by: workerId, status: 'processing' }).update({ status: 'pending', lease_until: null });
  }

  /**
   * Marks a claimed row done inside the pipeline's transaction. Returns false when the
   * lease was lost (another worker re-claimed it): the caller must roll back.
   */
  async complete(trx: Knex.Transaction, id: number, workerId: string, ticketId: number | null, now = Date.now()): Promise<boolean> {
    const changed = await trx('intake_journal')
      .where({ id, claimed_by: workerId, status: 'processing' })
      .update({ status: 'done', ticket_id: ticketId, processed_at: now, lease_until: null, last_error: null });
    return changed === 1;
  }

  /**
   * `complete` for several rows in one statement (ticket and time per row). Returns how
   * many rows changed: fewer than given means a lease was lost and the caller must roll back.
   */
  async completeMany(trx: Knex.Transaction, rows: ReadonlyArray<{ id: number; ticketId: number | null; now: number }>, workerId: string): Promise<number> {
    if (rows.length === 0) return 0;
    if (rows.length === 1) return (await this.complete(trx, rows[0]!.id, workerId, rows[0]!.ticketId, rows[0]!.now)) ? 1 : 0;
    // Typed values: PostgreSQL would take untyped parameters in a CASE for text.
    const ticketCase = rows.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ');
    const timeCase = rows.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ');
    const changed = await trx('intake_journal')
      .whereIn(
        'id',
        rows.map((r) => r.id),
      )
      .where({ claimed_by: workerId, status: 'processing' })
      .update({
        status: 'done',
        ticket_id: trx.raw(
          `CASE id ${ticketCase} END`,
          rows.flatMap((r) => [r.id, r.ticketId]),
        ),
        processed_at: trx.raw(
          `CASE id ${timeCase} END`,
          rows.flatMap((r) => [r.id, r.now]),
        ),
        lease_until: null,
        last_error: null,
      });
    return Number(changed);
  }

  /** Records a failed attempt; after `maxAttempts` the row is parked as `failed` (kept, never deleted). */
  async fail(id: number, workerId: string, error: string, maxAttempts: number): Promise<void> {
    await this.db('intake_journal')
      .where({ id, claimed_by: workerId })
      .update({
        status: this.db.raw(`CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END`, [maxAttempts]),
        last_error: error.slice(0, 2000),
        lease_until: null,
      });
  }

  async get(
    id: number,
  ): Promise<{ id: number; channel: string; externalId: string; status: JournalStatus; ticketId: number | null; lastError: string | null } | undefined> {
    const row = await this.db('intake_journal').where({ id }).first();
    if (!row) return undefined;
    return {
      id: Number(row.id),
      channel: row.channel,
      externalId: row.external_id,
      status: row.status,
      ticketId: row.ticket_id == null ? null : Number(row.ticket_id),
      lastError: row.last_error ?? null,
    };
  }

  /** The entry of a provider message (a form's nonce, an e-mail's Message-ID), if it was journalled. */
  async findByExternalId(channel: string, externalId: string): Promise<{ id: number; status: JournalStatus; ticketId: number | null } | undefined> {
    const row = await this.db('intake_journal').where({ channel, external_id: externalId }).first('id', 'status', 'ticket_id');
    return row ? { id: Number(row.id), status: row.status, ticketId: row.ticket_id == null ? null : Number(row.ticket_id) } : undefined;
  }

  /** Rows not yet done, and the age of the oldest: the journal lag metric. */
  async lag(now = Date.now()): Promise<{ pending: number; oldestAgeMs: number }> {
    const row = await this.db('intake_journal')
      .whereIn('status', ['pending', 'processing'])
      .select(this.db.raw('count(*) as n'), this.db.raw('min(accepted_at) as oldest'))
      .first();
    const pending = Number(row?.n ?? 0);
    return { pending, oldestAgeMs: pending > 0 && row?.oldest != null ? Math.max(0, now - Number(row.oldest)) : 0 };
  }
}

interface RawJournalRow {
  id: number | string;
  channel: string;
  external_id: string;
  received_at: number | string;
  accepted_at: number | string;
  attempts: number | string;
  payload: string;
}
