import { dialectOf, type Db } from '../../storage/db.js';

/**
 * Grows a store the pipeline filled to `target` tickets by set-based copies (INSERT … SELECT, a
 * few seconds for 100,000 rows where the pipeline takes ~10 ms a message): copy k of every ticket,
 * its messages and events, and of every customer, with ids shifted past the originals. Each copy
 * has its own customers (so a customer's repeat counts, which routing reads, are those of the
 * original) and the same creation and receipt times, so every copy is decided exactly as its
 * original was: the stored category, queue and SLA policy stay what the pipeline chose. Only what
 * replay reads is copied (customer identities, threads, bands and the outbox are not).
 * `distinctTexts` appends " (copy k)" to each copied message, so no two texts are the same (the
 * stored decisions then need not fit the text any more). Returns the number of tickets in the store.
 */
export async function copyStoreTo(db: Db, target: number, opts: { distinctTexts?: boolean } = {}): Promise<number> {
  const ids = (await db('tickets').orderBy('id').pluck('id')).map(Number);
  const n = ids.length;
  if (n === 0 || target <= n) return n;
  const max = async (table: string) => Number((await db(table).max({ m: 'id' }).first())?.m ?? 0);
  const offsets = {
    tickets: await max('tickets'),
    messages: await max('messages'),
    ticket_events: await max('ticket_events'),
    customers: await max('customers'),
  };
  const columns = async (table: string) => Object.keys(await db(table).columnInfo());
  const cols = {
    tickets: await columns('tickets'),
    messages: await columns('messages'),
    ticket_events: await columns('ticket_events'),
    customers: await columns('customers'),
  };
  /** INSERT INTO table SELECT (each column as is, or as `override` says) FROM table WHERE `where`. */
  const copy = (table: keyof typeof cols, override: Record<string, string>, where: string) => {
    const list = cols[table];
    return db.raw(`INSERT INTO ${table} (${list.join(', ')}) SELECT ${list.map((c) => override[c] ?? c).join(', ')} FROM ${table} WHERE ${where}`);
  };
  for (let k = 1; n * k < target; k++) {
    const take = Math.min(n, target - n * k);
    const last = ids[take - 1]!;
    const t = k * offsets.tickets;
    const c = k * offsets.customers;
    await copy(
      'customers',
      { id: `id + ${c}`, merged_into: `CASE WHEN merged_into IS NULL THEN NULL ELSE merged_into + ${c} END` },
      `id <= ${offsets.customers}`,
    );
    await copy(
      'tickets',
      {
        id: `id + ${t}`,
        number: `number || '-${k}'`,
        status_token: `status_token || '-${k}'`,
        customer_id: `customer_id + ${c}`,
        incident_id: 'NULL',
      },
      `id <= ${last}`,
    );
    await copy(
      'messages',
      {
        id: `id + ${k * offsets.messages}`,
        ticket_id: `ticket_id + ${t}`,
        journal_id: 'NULL',
        external_id: `external_id || '-${k}'`,
        ...(opts.distinctTexts ? { text: `text || ' (copy ${k})'` } : {}),
      },
      `ticket_id <= ${last} AND id <= ${offsets.messages}`,
    );
    await copy(
      'ticket_events',
      { id: `id + ${k * offsets.ticket_events}`, ticket_id: `ticket_id + ${t}` },
      `ticket_id <= ${last} AND id <= ${offsets.ticket_events}`,
    );
  }
  if (dialectOf(db) === 'postgres') {
    for (const table of Object.keys(cols)) await db.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    await db.raw('VACUUM ANALYZE');
  } else {
    await db.raw('ANALYZE');
  }
  return Number((await db('tickets').count({ n: '*' }).first())?.n ?? 0);
}
