import type { Migration } from '../migrations.js';

/**
 * The customer's loop: when the satisfaction question went out (a reply within the window is read
 * as the answer), the comment beside the score and when it came; and a customer's opt-out from
 * progress messages (STOP / 退订), which the gateway honours on every channel.
 */
export const customerLoop: Migration = {
  name: '0012-customer-loop',
  async up(db) {
    await db.schema.alterTable('tickets', (t) => {
      t.bigInteger('csat_requested_at');
      t.bigInteger('csat_at');
      t.text('csat_comment');
    });
    await db.schema.alterTable('customers', (t) => t.bigInteger('updates_opted_out_at'));
  },
  async down(db) {
    await db.schema.alterTable('customers', (t) => t.dropColumn('updates_opted_out_at'));
    await db.schema.alterTable('tickets', (t) => {
      t.dropColumn('csat_comment');
      t.dropColumn('csat_at');
      t.dropColumn('csat_requested_at');
    });
  },
};
