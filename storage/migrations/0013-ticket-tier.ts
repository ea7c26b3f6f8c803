import type { Migration } from '../migrations.js';

/**
 * The customer's tier when the ticket was opened, on the ticket: the tier its SLA policy was chosen
 * by, and what SLA compliance by tier groups on without joining every ticket to its customer (the join
 * cost SQLite 1.3 s on a month of a million tickets). Existing tickets take their customer's tier now.
 */
export const ticketTier: Migration = {
  name: '0013-ticket-tier',
  async up(db) {
    await db.schema.alterTable('tickets', (t) => t.string('customer_tier', 32));
    await db.raw('UPDATE tickets SET customer_tier = (SELECT tier FROM customers WHERE customers.id = tickets.customer_id)');
  },
  async down(db) {
    await db.schema.alterTable('tickets', (t) => t.dropColumn('customer_tier'));
  },
};
