import type { Migration } from '../migrations.js';

/**
 * Rate-limit windows kept in the database (storage/rate-limit.store.ts), so the web form's per-address limit,
 * the sign-in limits, the status page's and the e-mail sender limit hold across every gateway process (and a
 * restart) instead of per process.
 */
export const rateLimits: Migration = {
  name: '0018-rate-limits',
  async up(db) {
    await db.schema.createTable('rate_limit_hits', (t) => {
      t.string('key', 300).primary();
      t.integer('hits').notNullable();
      t.bigInteger('reset_at').notNullable();
      t.index(['reset_at']);
    });
  },
  async down(db) {
    await db.schema.dropTable('rate_limit_hits');
  },
};
