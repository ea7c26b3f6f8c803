import type { Migration } from '../migrations.js';

/**
 * PostgreSQL, like SQLite, keeps the band keys of recent tickets in each gateway's memory
 * (gateway/pipeline/recent-bands.ts) instead of 64 band rows per ticket. Several processes write there,
 * and ticket ids are drawn before a transaction commits, so "signatures after the last id read" could skip
 * a ticket committed late under a smaller id. Each signature records the transaction that stored it
 * (`xid`, a 64-bit transaction id that never wraps): a process reads those from the oldest transaction
 * still running at its last read on, which every ticket committed since has. The created_at index serves
 * a restarted process's first read of the incident window.
 */
const isPostgres = (db: Parameters<Migration['up']>[0]) => db.client.config.client === 'pg';

export const signatureCommitOrder: Migration = {
  name: '0022-signature-commit-order',
  async up(db) {
    if (!isPostgres(db)) return;
    await db.raw('ALTER TABLE ticket_signatures ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()');
    await db.raw('CREATE INDEX ticket_signatures_xid_index ON ticket_signatures (xid)');
    await db.schema.alterTable('ticket_signatures', (t) => t.index(['created_at']));
  },
  async down(db) {
    if (!isPostgres(db)) return;
    await db.schema.alterTable('ticket_signatures', (t) => t.dropIndex(['created_at']));
    await db.raw('DROP INDEX ticket_signatures_xid_index');
    await db.raw('ALTER TABLE ticket_signatures DROP COLUMN xid');
  },
};
