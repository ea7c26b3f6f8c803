import type { Knex } from 'knex';
import { ChunkReadAhead, identityKey, type IdentityOwner } from './chunk-read-ahead.js';
import { insertReturningId, resultRows } from './fixed-statements.js';
import { dialectOf, type Db } from './db.js';

export interface Identity {
  kind: string;
  value: string;
  verified?: boolean;
}

export interface Customer {
  id: number;
  displayName: string | null;
  tier: string;
  language: string | null;
  identities: Identity[];
}

type Conn = Knex | Knex.Transaction;

/** Customers and their identities (e-mail, phone, WeChat id, chat id, order numbers…). */
export class CustomerStore {
  /** The customer owning any of these identities, following merges. */
  async findByIdentities(db: Conn, identities: Identity[]): Promise<number | undefined> {
    if (identities.length === 0) return undefined;
    const ahead = identities.length === 1 ? ChunkReadAhead.of(db)?.owner(identities[0]!) : undefined;
    if (ahead !== undefined) {
      return ahead === null ? undefined : this.followMerge(db, ahead.customerId, ahead.mergedInto);
    }
    // The owner's merge pointer comes with it: an unmerged customer (nearly all) costs one query.
    const [oldest] = await this.ownerRows(db, identities);
    return oldest ? this.followMerge(db, oldest.customerId, oldest.mergedInto) : undefined;
  }

  /** The stored owner of each identity (null: nobody), merges not followed: one query for all. */
  async identityOwners(db: Conn, identities: Identity[]): Promise<Array<[Identity, IdentityOwner | null]>> {
    if (identities.length === 0) return [];
    const rows = await this.ownerRows(db, identities);
    const found = new Map(rows.map((r) => [identityKey(r), { customerId: r.customerId, mergedInto: r.mergedInto }]));
    return identities.map((i) => [i, found.get(identityKey(i)) ?? null]);
  }

  /** The stored identities among these with their owners, oldest identity first. */
  private async ownerRows(db: Conn, identities: Identity[]): Promise<Array<Identity & IdentityOwner>> {
    const rows = await db('customer_identities as i')
      .join('customers as c', 'c.id', 'i.customer_id')
      .select('i.kind', 'i.value', 'i.customer_id', 'c.merged_into')
      .where((q) => {
        for (const i of identities) q.orWhere({ 'i.kind': i.kind, 'i.value': i.value });
      })
      .orderBy('i.id');
    return rows.map((r) => ({
      kind: r.kind,
      value: r.value,
      customerId: Number(r.customer_id),
      mergedInto: r.merged_into == null ? null : Number(r.merged_into),
    }));
  }

  /** The identity owner's customer: itself, or (rarely) where it was merged. */
  private async followMerge(db: Conn, customerId: number, mergedInto: number | null): Promise<number> {
    return mergedInto === null ? customerId : this.resolveMerged(db, mergedInto);
  }

  async resolveMerged(db: Conn, id: number): Promise<number> {
    let current = id;
    for (let hops = 0; hops < 20; hops++) {
      const row = await db('customers').select('merged_into').where({ id: current }).first();
      if (!row || row.merged_into == null) return current;
      current = Number(row.merged_into);
    }
    return current;
  }

  async create(db: Conn, input: { displayName?: string; language?: string; identities: Identity[] }, now = Date.now()): Promise<number> {
    if (dialectOf(db as Db) === 'postgres' && input.identities.length > 0) return this.createInOneStatement(db, input, now);
    const id = await insertReturningId(db, 'customers', {
      display_name: input.displayName ?? null,
      language: input.language ?? null,
      created_at: now,
      updated_at: now,
    });
    await this.addIdentities(db, id, input.identities, now);
    return id;
  }

  /**
   * PostgreSQL: the customer and their identities by one statement (a data-modifying WITH), as `create` does by two:
   * a new customer comes with every new ticket of a new sender, and a statement is a round trip and a socket write.
   */
  private async createInOneStatement(db: Conn, input: { displayName?: string; language?: string; identities: Identity[] }, now: number): Promise<number> {
    ChunkReadAhead.of(db)?.forgetIdentities(input.identities);
    const values = input.identities.map(() => '(?, ?, ?::boolean)').join(', ');
    const result = await db.raw(
      `WITH c AS (INSERT INTO customers (display_name, language, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id),
         i AS (INSERT INTO customer_identities (customer_id, kind, value, verified, created_at)
               SELECT c.id, v.kind, v.value, v.verified, ? FROM c, (VALUES ${values}) AS v(kind, value, verified)
               ON CONFLICT (kind, value) DO NOTHING)
       SELECT id FROM c`,
      [input.displayName ?? null, input.language ?? null, now, now, now, ...input.identities.flatMap((i) => [i.kind, i.value, i.verified ?? false])],
    );
    return Number(resultRows(result)[0]!.id);
  }

  /** Adds identities the customer does not have yet; identities owned by someone else are left alone. */
  async addIdentities(db: Conn, customerId: number, identities: Identity[], now = Date.now()): Promise<void> {
    if (identities.length === 0) return;
    ChunkReadAhead.of(db)?.forgetIdentities(identities);
    await db('customer_identities')
      .insert(identities.map((i) => ({ customer_id: customerId, kind: i.kind, value: i.value, verified: i.verified ?? false, created_at: now })))
      .onConflict(['kind', 'value'])
      .ignore();
  }

  /** Owners (after merges) of each identity that has one. */
  async ownersOf(db: Conn, identities: Identity[]): Promise<Array<{ identity: Identity; customerId: number }>> {
    if (identities.length === 0) return [];
    const rows = await this.ownerRows(db, identities);
    const out: Array<{ identity: Identity; customerId: number }> = [];
    for (const r of rows) {
      const customerId = await this.followMerge(db, r.customerId, r.mergedInto);
      out.push({ identity: { kind: r.kind, value: r.value }, customerId });
    }
    return out;
  }

  /**
   * Merges `sourceId` into `targetId`: identities and tickets move, the source points at
   * the target. What moved is recorded so {@link unmerge} can restore it. Returns the merge id.
   */
  async merge(
    db: Conn,
    sourceId: number,
    targetId: number,
    actor: string,
    reason: string,
    now = Date.now(),
  ): Promise<{ mergeId: number; ticketIds: number[] }> {
    if (sourceId === targetId) throw new Error('cannot merge a customer into itself');
    ChunkReadAhead.of(db)?.forgetAll();
    const identityIds = (await db('customer_identities').where({ customer_id: sourceId }).select('id')).map((r) => Number(r.id));
    const ticketIds = (await db('tickets').where({ customer_id: sourceId }).select('id')).map((r) => Number(r.id));
    await db('customer_identities').where({ customer_id: sourceId }).update({ customer_id: targetId });
    await db('tickets').where({ customer_id: sourceId }).update({ customer_id: targetId });
    await db('customers').where({ id: sourceId }).update({ merged_into: targetId, updated_at: now });
    const [row] = await db('customer_merges')
      .insert({ source_customer_id: sourceId, target_customer_id: targetId, actor, reason, moved: JSON.stringify({ identityIds, ticketIds }), created_at: now })
      .returning('id');
    return { mergeId: Number(typeof row === 'object' ? row.id : row), ticketIds };
  }

  /** Undoes a merge: the recorded identities and tickets go back to the source customer. */
  async unmerge(db: Conn, mergeId: number, actor: string, now = Date.now()): Promise<{ sourceId: number; targetId: number; ticketIds: number[] } | undefined> {
    const m = await db('customer_merges').where({ id: mergeId }).whereNull('undone_at').first();
    if (!m) return undefined;
    ChunkReadAhead.of(db)?.forgetAll();
    const { identityIds, ticketIds } = JSON.parse(m.moved) as { identityIds: number[]; ticketIds: number[] };
    const sourceId = Number(m.source_customer_id);
    const targetId = Number(m.target_customer_id);
    if (identityIds.length) await db('customer_identities').whereIn('id', identityIds).update({ customer_id: sourceId });
    if (ticketIds.length) await db('tickets').whereIn('id', ticketIds).update({ customer_id: sourceId });
    await db('customers').where({ id: sourceId }).update({ merged_into: null, updated_at: now });
    await db('customer_merges').where({ id: mergeId }).update({ undone_at: now, undone_by: actor });
    return { sourceId, targetId, ticketIds };
  }

  async merges(
    db: Conn,
    customerId: number,
  ): Promise<Array<{ id: number; sourceId: number; targetId: number; actor: string; reason: string; createdAt: number; undoneAt: number | null }>> {
    const rows = await db('customer_merges').where('source_customer_id', customerId).orWhere('target_customer_id', customerId).orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id),
      sourceId: Number(r.source_customer_id),
      targetId: Number(r.target_customer_id),
      actor: r.actor,
      reason: r.reason,
      createdAt: Number(r.created_at),
      undoneAt: r.undone_at == null ? null : Number(r.undone_at),
    }));
  }

  async get(db: Conn, id: number): Promise<Customer | undefined> {
    const row = await db('customers').where({ id }).first();
    if (!row) return undefined;
    const identities = await db('customer_identities').where({ customer_id: id }).orderBy('id');
    return {
      id: Number(row.id),
      displayName: row.display_name,
      tier: row.tier,
      language: row.language,
      identities: identities.map((i) => ({ kind: i.kind, value: i.value, verified: Boolean(i.verified) })),
    };
  }
}
