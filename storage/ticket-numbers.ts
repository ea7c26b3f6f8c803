import type { Knex } from 'knex';
import type { TicketStore } from './ticket.store.js';

type Conn = Knex | Knex.Transaction;

/**
 * A number drawn outside a transaction waits for nobody in this version; a transaction that still holds the counter
 * row (a process of an earlier version, during an upgrade) could make it wait for as long as that transaction waits
 * for this one, a deadlock PostgreSQL cannot see: the draw is cancelled instead, and its message retried.
 */
const DRAW_TIMEOUT_MS = 10_000;

/** The most numbers one draw reserves for this process (the most a stopped process can leave unused). */
const MAX_BLOCK = 16;
/** A block used up within this time of its draw is followed by one twice as large; otherwise by a single number. */
const BURST_MS = 1_000;

/**
 * PostgreSQL: a process's numbers drawn ahead, per counter. One number per draw cost every new ticket a statement on a
 * connection of its own (1,000 of 9,988 statements in a drain that opened 1,000 tickets). In a burst a process reserves
 * blocks (2, 4 … 16 numbers) and hands them out in order; when tickets come one at a time it draws one number at a time,
 * so a quiet gateway numbers its tickets as before. Numbers reserved and not handed out when the process stops are
 * gaps, like those of a transaction that rolled back; with several processes in a burst, numbers follow each process's
 * order, not quite the order of arrival.
 */
class DrawnAhead {
  /** Per series of numbers (a prefix), the block being handed out and the day it counts. */
  private readonly blocks = new Map<string, { day: string; next: number; last: number; size: number; drawnAt: number }>();
  private readonly drawing = new Map<string, Promise<unknown>>();

  /** The next number of `series` on `day`; `draw(count)` adds count to the day's counter and returns its new value. */
  async take(series: string, day: string, draw: (count: number) => Promise<number>): Promise<number> {
    for (;;) {
      // A block of another day is not handed out any more (its rest is a gap, like a stopped process's).
      const block = this.blocks.get(series);
      const today = block?.day === day ? block : undefined;
      if (today && today.next <= today.last) return today.next++;
      const inFlight = this.drawing.get(series);
      if (inFlight) {
        // Another transaction of this process is drawing: take from its block (or draw after it).
        await inFlight.catch(() => undefined);
        continue;
      }
      const at = Date.now();
      const size = today && at - today.drawnAt < BURST_MS ? Math.min(MAX_BLOCK, today.size * 2) : 1;
      const drawn = draw(size);
      this.drawing.set(series, drawn);
      try {
        const last = await drawn;
        this.blocks.set(series, { day, next: last - size + 2, last, size, drawnAt: at });
        return last - size + 1;
      } finally {
        this.drawing.delete(series);
      }
    }
  }
}

const drawnAhead = new WeakMap<object, DrawnAhead>();

/**
 * Ticket numbers for one transaction.
 *
 * Without `drawOutside` (SQLite, one writer) the transaction holds the counter row from its first number to its
 * commit: the row is incremented once, later numbers are counted here, and `flush` writes the final value (before
 * the commit, in the same transaction). Gap-free like `nextNumber`, with two statements per day instead of one
 * per ticket.
 *
 * With `drawOutside` (PostgreSQL: the pool, not the transaction) numbers are drawn by statements that commit on
 * their own, so the counter row is locked for that statement only. Held to the commit, it made every other
 * transaction that opens a ticket, in this process or another, wait for this one's commit: the processes of
 * `gateway start --processes N` took turns instead of working side by side. A transaction that rolls back leaves
 * its numbers unused, a gap in the day's numbers (as a database sequence does). In a burst the process draws blocks
 * of numbers ahead ({@link DrawnAhead}).
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
    const outside = this.drawOutside;
    if (outside) {
      const key = outside.client.config as object;
      let ahead = drawnAhead.get(key);
      if (!ahead) drawnAhead.set(key, (ahead = new DrawnAhead()));
      const value = await ahead.take(prefix, day, (count) => this.store.incrementCounter(outside, name, this.drawTimeoutMs, count));
      return formatTicketNumber(prefix, day, value);
    }
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
