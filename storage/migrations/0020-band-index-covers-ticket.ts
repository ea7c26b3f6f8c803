import type { Migration } from '../migrations.js';

/**
 * The band index carries the ticket id. A surge lookup probes 64 band keys and reads every ticket id
 * found (hundreds per new ticket where complaints share common words); with the id in the index each
 * hit is answered from the index alone instead of a second read of the band row
 * (storage/similarity.store.ts `sharingBands`).
 */
export const bandIndexCoversTicket: Migration = {
  name: '0020-band-index-covers-ticket',
  async up(db) {
    await db.schema.alterTable('ticket_bands', (t) => t.index(['band', 'created_at', 'ticket_id']));
    await db.schema.alterTable('ticket_bands', (t) => t.dropIndex(['band', 'created_at']));
  },
  async down(db) {
    await db.schema.alterTable('ticket_bands', (t) => t.index(['band', 'created_at']));
    await db.schema.alterTable('ticket_bands', (t) => t.dropIndex(['band', 'created_at', 'ticket_id']));
  },
};
