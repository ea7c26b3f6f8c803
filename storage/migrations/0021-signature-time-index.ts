import type { Migration } from '../migrations.js';

/**
 * On SQLite the band keys of recent tickets live in the gateway's memory (gateway/pipeline/recent-bands.ts),
 * rebuilt after a restart from the signatures stored within the incident window: found by their creation time.
 * PostgreSQL keeps band rows and never reads signatures by time.
 */
const isPostgres = (db: Parameters<Migration['up']>[0]) => db.client.config.client === 'pg';

export const signatureTimeIndex: Migration = {
  name: '0021-signature-time-index',
  async up(db) {
    if (isPostgres(db)) return;
    await db.schema.alterTable('ticket_signatures', (t) => t.index(['created_at']));
  },
  async down(db) {
    if (isPostgres(db)) return;
    await db.schema.alterTable('ticket_signatures', (t) => t.dropIndex(['created_at']));
  },
};
