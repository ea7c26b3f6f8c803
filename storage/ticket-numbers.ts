import type { Knex } from 'knex';
import type { TicketStore } from './ticket.store.js';

type Conn = Knex | Knex.Transaction;

/**
 * A number drawn outside a transaction waits for nobody in this version; a transaction that still holds the counter
 * row (a process of an earlier version, during an upgrade) could make it wait for as long as that transaction waits
 * for this one, a deadlock PostgreSQL cannot see: the draw is cancelled instead, and its message retried.
 */
const DRAW_TIMEOUT_MS = 10_000;

/**
 * Ticket numbers for one transaction.
 *
 * Without `drawOutside` (SQLite, one writer) the transaction holds the counter row from its first number to its
 * commit: the row is incremented once, later numbers are counted here, and `flush` writes the final value (before
 * the commit, in the same transaction). Gap-free like `nextNumber`, with two statements per day instead of one
 * per ticket.
 *
 * With `drawOutside` (PostgreSQL: the pool, not the transaction) each number is drawn by a statement that commits
 * on its own, so the counter row is locked for that statement only. Held to the commit, it made every other
 * transaction that opens a ticket, in this process or another, wait for this one's commit: the processes of
 * `gateway start --processes N` took turns instead of working side by side. A transaction that rolls back leaves
 * its numbers unused, a gap in the day's numbers (as a database sequence does).
 */
export class TicketNumberSequence {
  private readonly counters = new Map<string, { value: number; written: number }>();

  constructor(
    private readonly store: TicketStore,
    private readonly drawOutside?: Knex,
    private readonly drawTimeoutMs = DRAW_TIMEOUT_MS,
  ) {}

  async next(db: Conn, prefix: string, day: string): Promise<string> {
    const name = `ticket:${prefix}:${day}`;
    if (this.drawOutside) return formatTicketNumber(prefix, day, await this.store.incrementCounter(this.drawOutside, name, this.drawTimeoutMs));
    const c = this.counters.get(name);
    let value: number;
    if (c) value = ++c.value;
    else {
      value = await this.store.incrementCounter(db, name);
      this.counters.set(name, { value, written: value });
    }
    return formatTicketNumber(prefix, day, value);
  }

  async flush(db: Conn): Promise<void> {
    for (const [name, c] of this.counters) {
      if (c.value === c.written) continue;
      await db('counters').where({ name }).update({ value: c.value });
      c.written = c.value;
    }
  }
}

export function formatTicketNumber(prefix: string, day: string, value: number): string {
  return `${prefix}-${day}-${String(value).padStart(4, '0')}`;
}
