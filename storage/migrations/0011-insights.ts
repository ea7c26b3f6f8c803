import type { Migration } from '../migrations.js';

/**
 * The lead's insights read tickets by creation time: volume by channel and category, heat maps,
 * SLA compliance. `first_channel` is the channel the complaint came in on (the first of
 * `channels`), and one index in creation order carries what the charts group and filter by, so a
 * month of a large store is read from the index alone.
 */
export const insights: Migration = {
  name: '0011-insights',
  async up(db) {
    await db.schema.alterTable('tickets', (t) => t.string('first_channel', 32));
    const firstOfList = db.client.config.client === 'pg' ? "split_part(channels, ',', 2)" : "substr(channels, 2, instr(substr(channels, 2), ',') - 1)";
    await db.raw(`UPDATE tickets SET first_channel = ${firstOfList}`);
    await db.schema.alterTable('tickets', (t) => t.index(['created_at', 'category', 'first_channel', 'severity', 'queue'], 'tickets_insights_index'));
  },
  async down(db) {
    await db.schema.alterTable('tickets', (t) => t.dropIndex(['created_at', 'category', 'first_channel', 'severity', 'queue'], 'tickets_insights_index'));
    await db.schema.alterTable('tickets', (t) => t.dropColumn('first_channel'));
  },
};
