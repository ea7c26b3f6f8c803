import type { Knex } from 'knex';
import type { NewMessage, Ticket, TicketPatch } from './ticket.store.js';

type Conn = Knex | Knex.Transaction;

/** A field a ticket update changed, with its value before and after. */
export type TicketChanges = Partial<Record<keyof TicketPatch, { before: unknown; after: unknown }>>;

/**
 * Told of every change the ticket and incident stores write, inside the transaction that writes it, so that what
 * it records (the gateway's event webhooks, gateway/webhooks/event-feed.ts) commits or rolls back with the change
 * itself. Attached once per database by the composition root; stores call it through {@link ChangeFeeds.of}, like
 * `DeferredWrites.of`, whichever store instance or transaction they write with.
 */
export interface ChangeFeed {
  /** A row of the ticket's event log (`created`, `csat_received`, `sla_breach`, `delivery_failed`, `notified`…). */
  ticketEvent(db: Conn, event: { ticketId: number; actor: string; type: string; before: unknown; after: unknown }, now: number): Promise<void>;
  /** One `TicketStore.update` that changed something: the ticket as it was, and each changed field. */
  ticketUpdated(db: Conn, before: Ticket, changes: TicketChanges, actor: string, now: number): Promise<void>;
  /** A message added to a ticket (inbound from the customer, or outbound). */
  messageAdded(db: Conn, message: NewMessage & { id: number }): Promise<void>;
  /** A message's delivery status is about to change (`sent` when a channel accepted it): the row still holds the old one. */
  deliveryStatus(db: Conn, messageId: number, status: string): Promise<void>;
  incidentOpened(db: Conn, incident: { id: number; title: string; category: string | null; severity: number }, now: number): Promise<void>;
  incidentResolved(db: Conn, incidentId: number, now: number): Promise<void>;
}

// Keyed by the knex client's config object: one per opened database, shared by all its transactions and savepoints.
const feeds = new WeakMap<object, ChangeFeed>();

export const ChangeFeeds = {
  attach(db: Knex, feed: ChangeFeed): void {
    feeds.set(db.client.config, feed);
  },
  detach(db: Knex): void {
    feeds.delete(db.client.config);
  },
  of(db: Conn): ChangeFeed | undefined {
    return feeds.get(db.client.config);
  },
};
