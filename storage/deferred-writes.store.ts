import type { Knex } from 'knex';
import { insertRows } from './fixed-statements.js';

type Conn = Knex | Knex.Transaction;

/** A per-transaction accumulator of updates, written once at flush (after the inserts). */
export interface DeferredTask {
  write(trx: Knex.Transaction): Promise<void>;
}

const open = new WeakMap<object, DeferredWrites>();

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_STATEMENT = 200;

/**
 * Append-only rows (ticket events, outbox items) that a transaction writes but never
 * reads back, gathered and inserted as multi-row statements just before its commit, and
 * accumulated updates (a ticket's message count) written as one statement after them.
 * Only a transaction that registered itself with `begin` defers; any other connection
 * writes at once. Rows keep their order within each table, so ids (and timelines) come
 * out as if they had been inserted one by one.
 */
export class DeferredWrites {
  private readonly tables = new Map<string, Array<Record<string, unknown>>>();
  private readonly tasks = new Map<string, DeferredTask>();

  private constructor() {}

  /** Starts deferring writes made through `trx`; call `flush(trx)` before it commits. */
  static begin(trx: Knex.Transaction): DeferredWrites {
    const d = new DeferredWrites();
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

  /** The transaction's accumulator under `key`, created on first use; flush writes it. */
  task<T extends DeferredTask>(key: string, create: () => T): T {
    let task = this.tasks.get(key);
    if (!task) this.tasks.set(key, (task = create()));
    return task as T;
  }

  /** Inserts everything gathered, in order, then writes the accumulated updates, and stops deferring. */
  async flush(trx: Knex.Transaction): Promise<void> {
    open.delete(trx);
    for (const [table, rows] of this.tables) {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await insertRows(trx, table, rows.slice(i, i + ROWS_PER_STATEMENT));
    }
    this.tables.clear();
    for (const task of this.tasks.values()) await task.write(trx);
    this.tasks.clear();
  }
}
