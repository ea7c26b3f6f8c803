import type { Knex } from 'knex';
import type { Identity } from './customer.store.js';

type Conn = Knex | Knex.Transaction;

/** An identity's owner as stored: the customer and where it was merged, if it was. */
export interface IdentityOwner {
  customerId: number;
  mergedInto: number | null;
}

const open = new WeakMap<object, ChunkReadAhead>();

/** One string per identity (kind and value), for maps. */
export const identityKey = (i: Identity): string => `${i.kind}\u0000${i.value}`;

/**
 * The two reads every message of a pipeline transaction starts with — who owns the sender's
 * identity, and that customer's open tickets (with their dedupe signatures) — made once for
 * the whole chunk, at its start, instead of once per message.
 *
 * An answer is given only while nothing the chunk wrote since could have changed it: the stores
 * report their writes (`forget…`), and a forgotten key is read from the database again. Only a
 * transaction that registered a read-ahead uses it; savepoints and other connections always
 * query. The reads themselves are the pipeline's (gateway/pipeline/read-ahead.ts).
 */
export class ChunkReadAhead {
  private readonly ownerOfTicket = new Map<number, number>();

  /**
   * `owners`: every identity read ahead, with its stored owner or null; `openTickets`: for each
   * customer read ahead, their open and resolved ticket rows (with a `signature` column) that
   * had a message since `since`, newest first.
   */
  private constructor(
    private readonly since: number,
    private readonly owners: Map<string, IdentityOwner | null>,
    private readonly openTickets: Map<number, Array<Record<string, any>>>,
  ) {
    for (const [customer, rows] of openTickets) for (const t of rows) this.ownerOfTicket.set(Number(t.id), customer);
  }

  /** Answers the transaction's reads from now on, until `end`. */
  static register(
    trx: Knex.Transaction,
    read: { since: number; owners: Array<[Identity, IdentityOwner | null]>; openTickets: Map<number, Array<Record<string, any>>> },
  ): ChunkReadAhead {
    const r = new ChunkReadAhead(read.since, new Map(read.owners.map(([i, o]) => [identityKey(i), o])), read.openTickets);
    open.set(trx, r);
    return r;
  }

  static of(db: Conn): ChunkReadAhead | undefined {
    return open.get(db);
  }

  /** Stops answering for this transaction. */
  end(trx: Knex.Transaction): void {
    open.delete(trx);
  }

  /** The identity's owner (null: nobody), or undefined when not read ahead (query it). */
  owner(identity: Identity): IdentityOwner | null | undefined {
    return this.owners.get(identityKey(identity));
  }

  /**
   * The customer's open and resolved tickets with a message since `since` (newest first, ticket
   * rows with their `signature` column), or undefined when not read ahead (query them).
   */
  openTicketsOf(customerId: number, since: number): Array<Record<string, any>> | undefined {
    if (since < this.since) return undefined;
    return this.openTickets.get(customerId)?.filter((t) => Number(t.last_message_at) >= since);
  }

  /** Identities were given an owner or moved. */
  forgetIdentities(identities: Identity[]): void {
    for (const i of identities) this.owners.delete(identityKey(i));
  }

  /** The customer has a new ticket. */
  forgetCustomer(customerId: number): void {
    this.openTickets.delete(customerId);
  }

  /** A ticket was changed: its customer's list is read again. */
  forgetTicket(ticketId: number): void {
    const customer = this.ownerOfTicket.get(ticketId);
    if (customer !== undefined) this.openTickets.delete(customer);
  }

  /** Customers were merged or unmerged: nothing read ahead holds. */
  forgetAll(): void {
    this.owners.clear();
    this.openTickets.clear();
  }
}
