import type { Migration } from '../migrations.js';

/**
 * The cursor of the customer-updates batches over the due events of `ticket_events`
 * (storage/customer-updates-due.store.ts), starting after the events already there: none of them is due.
 */
export const customerUpdatesDue: Migration = {
  name: '0019-customer-updates-due',
  async up(db) {
    const newest = Number((await db('ticket_events').max({ id: 'id' }).first())?.id ?? 0);
    await db('kv_state').insert({ key: 'customer-updates:told-through', value: JSON.stringify(newest), updated_at: Date.now() });
  },
  async down(db) {
    await db('kv_state').where({ key: 'customer-updates:told-through' }).delete();
  },
};
