import type { Migration } from '../migrations.js';

/**
 * On SQLite the band index carries the ticket id. A surge lookup probes 64 band keys and reads every ticket id
 * found (hundreds per new ticket where complaints share common words); with the id in the index each hit is
 * answered from the index alone instead of a second read of the band row (storage/similarity.store.ts
 * `sharingBands`, which names the index). PostgreSQL keeps (band, created_at): its band rows are read within
 * the hour they were written, before a vacuum marks them visible to an index-only scan, so a wider index only
 * costs its inserts.
 */
const isPostgres = (db: Parameters<Migration['up']>[0]) => db.client.config.client === 'pg';

export const bandIndexCoversTicket: Migration = {
  name: '0020-band-index-covers-ticket',
  async up(db) {
    if (isPostgres(db)) return;
    await db.schema.alterTable('ticket_bands', (t) => t.index(['band', 'created_at', 'ticket_id']));
    await db.schema.alterTable('ticket_bands', (t) => t.dropIndex(['band', 'created_at']));
  },
  async down(db) {
    if (isPostgres(db)) return;
    await db.schema.alterTable('ticket_bands', (t) => t.index(['band', 'created_at']));
    await db.schema.alterTable('ticket_bands', (t) => t.dropIndex(['band', 'created_at', 'ticket_id']));
  },
};
