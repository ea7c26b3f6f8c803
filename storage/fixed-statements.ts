import type { Knex } from 'knex';
import type { DbRow } from './db.js';

type Conn = Knex | Knex.Transaction;

/** SQL text by table and column list, so a row of the same shape is written by the same statement. */
const insertSql = new Map<string, string>();

/**
 * Inserts one row and returns its id, with one fixed SQL text per table and column list instead of
 * a query knex builds for every row. For the rows written once or more per message (messages,
 * tickets, customers): on SQLite the text finds its statement still prepared
 * (storage/sqlite-statement-cache.ts), and the call skips knex's query compiler (together about
 * half of a short statement's CPU). Values are bound as given: `undefined` is refused, as knex
 * refuses it in a raw statement (write null).
 */
export async function insertReturningId(db: Conn, table: string, row: Record<string, Knex.Value>): Promise<number> {
  const columns = Object.keys(row);
  const key = `${table}(${columns.join(',')})`;
  let sql = insertSql.get(key);
  if (sql === undefined) {
    sql = `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING id`;
    insertSql.set(key, sql);
  }
  const rows = resultRows(await db.raw(sql, Object.values(row)));
  return Number(rows[0]!.id);
}

const byIdSql = new Map<string, string>();

/** The row of `table` with this id (all columns), by one fixed SQL text per table. */
export async function rowById(db: Conn, table: string, id: number): Promise<DbRow | undefined> {
  let sql = byIdSql.get(table);
  if (sql === undefined) byIdSql.set(table, (sql = `SELECT * FROM ${table} WHERE id = ?`));
  return resultRows(await db.raw(sql, [id]))[0];
}

/** A raw statement's rows: an array on SQLite, `.rows` of the result on PostgreSQL. */
export function resultRows(result: unknown): DbRow[] {
  return Array.isArray(result) ? result : (result as { rows: DbRow[] }).rows;
}

/**
 * Rows of one shape inserted by one statement (plain VALUES lists: knex would write SQLite multi-row inserts as a
 * compound SELECT). With `returning`, the new ids in the order of `rows` (ids are assigned in the VALUES list's order).
 */
export async function insertRows(db: Conn, table: string, rows: ReadonlyArray<Record<string, unknown>>, returning?: 'id'): Promise<number[]> {
  const columns = Object.keys(rows[0]!);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const result = await db.raw(
    `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}${returning ? ' RETURNING id' : ''}`,
    rows.flatMap((r) => columns.map((c) => (r[c] ?? null) as Knex.Value)),
  );
  return returning
    ? resultRows(result)
        .map((r) => Number(r.id))
        .sort((a, b) => a - b)
    : [];
}
