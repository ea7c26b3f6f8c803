import type { Knex } from 'knex';

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
    const row = await db('customer_identities')
      .select('customer_id')
      .where((q) => {
        for (const i of identities) q.orWhere({ kind: i.kind, value: i.value });
      })
      .orderBy('id')
      .first();
    return row ? this.resolveMerged(db, Number(row.customer_id)) : undefined;
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
    const [row] = await db('customers')
      .insert({ display_name: input.displayName ?? null, language: input.language ?? null, created_at: now, updated_at: now })
      .returning('id');
    const id = Number(typeof row === 'object' ? row.id : row);
    await this.addIdentities(db, id, input.identities, now);
    return id;
  }

  /** Adds identities the customer does not have yet; identities owned by someone else are left alone. */
  async addIdentities(db: Conn, customerId: number, identities: Identity[], now = Date.now()): Promise<void> {
    if (identities.length === 0) return;
    await db('customer_identities')
      .insert(identities.map((i) => ({ customer_id: customerId, kind: i.kind, value: i.value, verified: i.verified ?? false, created_at: now })))
      .onConflict(['kind', 'value'])
      .ignore();
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
