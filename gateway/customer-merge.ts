import type { Knex } from 'knex';
import { CustomerStore } from '../storage/customer.store.js';
import { TicketStore } from '../storage/ticket.store.js';

type Conn = Knex | Knex.Transaction;

/**
 * Merges two customers (the younger into the older, so ids stay stable) and writes
 * the merge on every ticket it touches. Used by the identify stage (evidence in a
 * message) and by agents (explicit link).
 */
export async function mergeCustomers(
  db: Conn,
  a: number,
  b: number,
  actor: string,
  reason: string,
  now: number,
  stores = { customers: new CustomerStore(), tickets: new TicketStore() },
): Promise<{ targetId: number; mergeId: number }> {
  const targetId = Math.min(a, b);
  const sourceId = Math.max(a, b);
  const { mergeId, ticketIds } = await stores.customers.merge(db, sourceId, targetId, actor, reason, now);
  for (const ticketId of ticketIds) {
    await stores.tickets.addEvent(
      db,
      { ticketId, actor, type: 'customer_merged', before: { customerId: sourceId }, after: { customerId: targetId, mergeId, reason } },
      now,
    );
  }
  return { targetId, mergeId };
}

/** Undoes a merge and records it on the tickets that move back. */
export async function unmergeCustomers(
  db: Conn,
  mergeId: number,
  actor: string,
  now: number,
  stores = { customers: new CustomerStore(), tickets: new TicketStore() },
) {
  const undone = await stores.customers.unmerge(db, mergeId, actor, now);
  if (!undone) return undefined;
  for (const ticketId of undone.ticketIds) {
    await stores.tickets.addEvent(
      db,
      { ticketId, actor, type: 'customer_unmerged', before: { customerId: undone.targetId }, after: { customerId: undone.sourceId, mergeId } },
      now,
    );
  }
  return undone;
}
