import type { Migration } from '../migrations.js';

/**
 * The lead's insights read tickets by creation time: volume by channel and category, heat maps,
 * SLA compliance. `first_channel` is the channel the complaint came in on (the first of
 * `channels`), and one index in creation order carries what the charts group and filter by, so a
 * month of a large store is read from the index alone.
 */
/** What the charts group and filter by, and what load per agent counts (assignee, status). */
export const INSIGHTS_COLUMNS = ['created_at', 'category', 'first_channel', 'severity', 'queue', 'assignee', 'status'];

export const insights: Migration = {
  name: '0011-insights',
  async up(db) {
    await db.schema.alterTable('tickets', (t) => t.string('first_channel', 32));
    const firstOfList = db.client.config.client === 'pg' ? "split_part(channels, ',', 2)" : "substr(channels, 2, instr(substr(channels, 2), ',') - 1)";
    await db.raw(`UPDATE tickets SET first_channel = ${firstOfList}`);
    await db.schema.alterTable('tickets', (t) => {
      t.index(INSIGHTS_COLUMNS, 'tickets_insights_index');
      // Open tickets by age (backlog): the open statuses' ranges, in creation order, with their queue.
      t.index(['status', 'created_at', 'queue'], 'tickets_backlog_index');
    });
    // SLA compliance by customer tier reads each ticket's customer's tier: from this index alone.
    await db.schema.alterTable('customers', (t) => t.index(['id', 'tier'], 'customers_tier_index'));
  },
  async down(db) {
    await db.schema.alterTable('customers', (t) => t.dropIndex(['id', 'tier'], 'customers_tier_index'));
    await db.schema.alterTable('tickets', (t) => {
      t.dropIndex(['status', 'created_at', 'queue'], 'tickets_backlog_index');
      t.dropIndex(INSIGHTS_COLUMNS, 'tickets_insights_index');
    });
    await db.schema.alterTable('tickets', (t) => t.dropColumn('first_channel'));
  },
};
