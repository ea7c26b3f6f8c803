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

/**
 * Append-only rows (ticket events, outbox items; on SQLite messages too) that a transaction
 * writes but never reads back, gathered and inserted as multi-row statements just before its
 * commit, and accumulated updates (a ticket's message count) written as one statement after them.
 * Only a transaction that registered itself with `begin` defers; any other connection
 * writes at once. Rows keep their order within each table, so ids (and timelines) come
 * out as if they had been inserted one by one.
 */
export class DeferredWrites {
  private readonly tables = new Map<string, Array<Record<string, unknown>>>();
  private readonly tasks = new Map<string, DeferredTask>();
  /** Per table: the table's AUTOINCREMENT counter as this transaction found it, and the last id `addWithId` gave out since. */
  private readonly counters = new Map<string, Promise<number>>();
  private readonly lastIds = new Map<string, number>();

  /** Whether `addWithId` may be used (see `begin`). */
  readonly assignsIds: boolean;

  private constructor(assignsIds: boolean) {
    this.assignsIds = assignsIds;
  }

  /**
   * Starts deferring writes made through `trx`; call `flush(trx)` before it commits. With `assignIds`
   * (SQLite only: one connection, and the transaction is its only writer) rows that need their id at once
   * can be deferred too (`addWithId`).
   */
  static begin(trx: Knex.Transaction, options: { assignIds?: boolean } = {}): DeferredWrites {
    const d = new DeferredWrites(options.assignIds === true);
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
   * Defers a row whose id the caller needs now, and returns that id: the next after the largest the
   * table ever used (SQLite's AUTOINCREMENT counter, read once per table and transaction), as the
   * insert would have given it. Only where `assignsIds`. Every row of `table` written in this transaction must then come through here, or the ids would
   * collide (the flush fails and the pipeline redoes the chunk message by message). Rows deferred
   * this way are inserted first at the flush, before the rows that refer to them.
   */
  async addWithId(trx: Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
    if (!this.assignsIds) throw new Error('this transaction does not assign ids (DeferredWrites.begin without assignIds)');
    let counter = this.counters.get(table);
    if (!counter) {
      counter = trx.raw('SELECT seq FROM sqlite_sequence WHERE name = ?', [table]).then((r) => Number(resultRows(r)[0]?.seq ?? 0));
      this.counters.set(table, counter);
    }
    const found = await counter;
    const id = (this.lastIds.get(table) ?? found) + 1;
    this.lastIds.set(table, id);
    this.add(table, { id, ...row });
    return id;
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
    const order = [...this.counters.keys(), ...[...this.tables.keys()].filter((t) => !this.counters.has(t))];
    for (const table of order) {
      const rows = this.tables.get(table) ?? [];
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertRows(trx, table, rows.slice(i, i + ROWS_PER_STATEMENT));
    }
    this.tables.clear();
    for (const task of this.tasks.values()) await task.write(trx);
    this.tasks.clear();
  }
}
