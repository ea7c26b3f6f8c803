import type { Migration } from '../migrations.js';

/**
 * Data subject rights and retention (issue 23): when a ticket's personal data was removed (a customer's
 * erasure or the retention job), when a customer was erased, and the record of every export and erasure
 * (who, when, why) that outlives the data. The retention job reads finished tickets by the time they were
 * closed or resolved; these two indexes keep that a range read at any table size.
 */
export const personalData: Migration = {
  name: '0015-personal-data',
  async up(db) {
    await db.schema.alterTable('tickets', (t) => {
      t.bigInteger('anonymised_at');
      t.index(['status', 'closed_at'], 'tickets_retention_closed_index');
      t.index(['status', 'resolved_at'], 'tickets_retention_resolved_index');
    });
    await db.schema.alterTable('customers', (t) => t.bigInteger('erased_at'));
    await db.schema.createTable('privacy_requests', (t) => {
      t.bigIncrements('id');
      /** export | erase */
      t.string('kind', 16).notNullable();
      t.bigInteger('customer_id').notNullable();
      t.string('actor', 200).notNullable();
      t.text('reason');
      /** What was exported or removed, as counts (JSON): never the data itself. */
      t.text('summary').notNullable().defaultTo('{}');
      t.bigInteger('created_at').notNullable();
      t.index(['customer_id', 'id'], 'privacy_requests_customer_index');
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists('privacy_requests');
    await db.schema.alterTable('customers', (t) => t.dropColumn('erased_at'));
    await db.schema.alterTable('tickets', (t) => {
      t.dropIndex(['status', 'resolved_at'], 'tickets_retention_resolved_index');
      t.dropIndex(['status', 'closed_at'], 'tickets_retention_closed_index');
      t.dropColumn('anonymised_at');
    });
  },
};
