import type { Knex } from 'knex';
import { insertRows, resultRows } from './fixed-statements.js';

type Conn = Knex | Knex.Transaction;

/** A per-transaction accumulator of updates, written once at flush (after the inserts). */
export interface DeferredTask {
  write(trx: Knex.Transaction): Promise<void>;
}

const open = new WeakMap<object, DeferredWrites>();

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_STATEMENT = 200;

/** Where `addWithId` takes ids from: SQLite's AUTOINCREMENT counter, or PostgreSQL's sequence. */
export type IdSource = 'sqlite' | 'postgres';

/** Ids taken at a time for `addWithId` (on PostgreSQL, those not used are gaps). */
const IDS_PER_DRAW = 16;

/**
 * Append-only rows (ticket events, outbox items, messages) that a transaction
 * writes but never reads back, gathered and inserted as multi-row statements just before its
 * commit, and accumulated updates (a ticket's message count) written as one statement after them.
 * Only a transaction that registered itself with `begin` defers; any other connection
 * writes at once. Rows keep their order within each table, so ids (and timelines) come
 * out as if they had been inserted one by one.
 */
export class DeferredWrites {
  private readonly tables = new Map<string, Array<Record<string, unknown>>>();
  private readonly tasks = new Map<string, DeferredTask>();
  /** Per table: ids drawn for `addWithId` and not yet given out, and the draw under way. */
  private readonly freeIds = new Map<string, number[]>();
  private readonly drawing = new Map<string, Promise<void>>();
  /** SQLite: the last id counted out per table (the table's AUTOINCREMENT counter is read once). */
  private readonly counted = new Map<string, number>();

  /** Where `addWithId` takes ids from, if anywhere (see `begin`). */
  readonly ids: IdSource | undefined;

  private constructor(ids: IdSource | undefined) {
    this.ids = ids;
  }

  /**
   * Starts deferring writes made through `trx`; call `flush(trx)` before it commits. With `ids`, rows whose
   * id the caller needs at once can be deferred too (`addWithId`): on SQLite counted on from the larger of
   * the table's AUTOINCREMENT counter and its largest id (the transaction must be the only writer of that table:
   * one connection, and every row of it written in the transaction goes through `addWithId`); on PostgreSQL drawn from the
   * table's sequence a few at a time (ids drawn and not used leave gaps, as a rolled-back insert does; an id is
   * fixed when drawn, so a message another connection writes meanwhile, an agent's reply, may sort before this
   * transaction's later messages: a window of one chunk's transaction, milliseconds).
   */
  static begin(trx: Knex.Transaction, options: { ids?: IdSource } = {}): DeferredWrites {
    const d = new DeferredWrites(options.ids);
    open.set(trx, d);
    return d;
  }

  /** The deferral registered for this connection, if any. */
  static of(db: Conn): DeferredWrites | undefined {
    return open.get(db);
  }

  add(table: string, row: Record<string, unknown>): void {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = []));
    rows.push(row);
  }

  /**
   * Defers a row whose id the caller needs now, and returns that id (see `begin`). Only where `ids` is
   * set. Rows deferred this way are inserted first at the flush, before the rows that may name them. On
   * SQLite an id that something else took meanwhile makes the flush fail (the pipeline then redoes the
   * chunk message by message, writing at once).
   */
  async addWithId(trx: Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
    if (!this.ids) throw new Error('this transaction does not assign ids (DeferredWrites.begin without ids)');
    for (;;) {
      const id = this.freeIds.get(table)?.shift();
      if (id !== undefined) {
        this.add(table, { id, ...row });
        return id;
      }
      let draw = this.drawing.get(table);
      if (!draw) {
        draw = this.draw(trx, table).finally(() => this.drawing.delete(table));
        this.drawing.set(table, draw);
      }
      await draw;
    }
  }

  private async draw(trx: Knex.Transaction, table: string): Promise<void> {
    let ids: number[];
    if (this.ids === 'sqlite') {
      let last = this.counted.get(table);
      // The larger of the counter and the largest id: a counter row lost or behind (a hand-made copy of the table) would
      // otherwise make every transaction's flush fail and be redone.
      if (last === undefined) {
        const sql = `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), coalesce((SELECT max(id) FROM "${table}"), 0)) AS last`;
        last = Number(resultRows(await trx.raw(sql, [table]))[0]!.last);
      }
      ids = Array.from({ length: IDS_PER_DRAW }, (_, i) => last! + 1 + i);
      this.counted.set(table, last + IDS_PER_DRAW);
    } else {
      const drawn = await trx.raw(`SELECT nextval(pg_get_serial_sequence(?, 'id')) AS id FROM generate_series(1, ?)`, [table, IDS_PER_DRAW]);
      ids = resultRows(drawn)
        .map((r) => Number(r.id))
        .sort((a, b) => a - b);
    }
    this.freeIds.set(table, [...(this.freeIds.get(table) ?? []), ...ids]);
  }

  /** The transaction's accumulator under `key`, created on first use; flush writes it. */
  task<T extends DeferredTask>(key: string, create: () => T): T {
    let task = this.tasks.get(key);
    if (!task) this.tasks.set(key, (task = create()));
    return task as T;
  }

  /** Inserts everything gathered, in order, then writes the accumulated updates, and stops deferring. */
  async flush(trx: Knex.Transaction): Promise<void> {
    open.delete(trx);
    // Rows with assigned ids first: the other tables' rows may refer to them (an outbox item to its message).
    const order = [...this.freeIds.keys(), ...[...this.tables.keys()].filter((t) => !this.freeIds.has(t))];
    for (const table of order) {
      const rows = this.tables.get(table) ?? [];
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertRows(trx, table, rows.slice(i, i + ROWS_PER_STATEMENT));
    }
    this.tables.clear();
    for (const task of this.tasks.values()) await task.write(trx);
    this.tasks.clear();
  }
}
