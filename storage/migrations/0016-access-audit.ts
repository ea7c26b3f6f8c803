import type { Migration } from '../migrations.js';

/**
 * Who looked at what, and tokens that lapse (issue 23). `audit_log` records what people do that is no ticket
 * change: revealing a customer's contact details, creating and revoking API tokens. GET /api/v1/audit reads it
 * together with `ticket_events` (the changes), newest first, so both get an index in time order and one by actor.
 * API tokens get an expiry (null: a token made before this migration, which does not lapse) and the time they
 * were last used.
 */
export const accessAudit: Migration = {
  name: '0016-access-audit',
  async up(db) {
    await db.schema.alterTable('api_tokens', (t) => {
      t.bigInteger('expires_at');
      t.bigInteger('last_used_at');
    });
    await db.schema.createTable('audit_log', (t) => {
      t.bigIncrements('id');
      // user:<name> (a console session), token:<name> (an API token) or cli:<user> (a command).
      t.string('actor', 200).notNullable();
      t.string('role', 32);
      // contact.revealed, token.created, token.revoked …
      t.string('action', 48).notNullable();
      t.bigInteger('ticket_id');
      t.bigInteger('customer_id');
      t.text('detail').notNullable().defaultTo('{}');
      t.bigInteger('created_at').notNullable();
      t.index(['created_at', 'id'], 'audit_log_time_index');
      t.index(['actor', 'created_at', 'id'], 'audit_log_actor_index');
      t.index(['ticket_id', 'created_at', 'id'], 'audit_log_ticket_index');
      t.index(['customer_id', 'created_at', 'id'], 'audit_log_customer_index');
    });
    await db.schema.alterTable('ticket_events', (t) => {
      t.index(['created_at', 'id'], 'ticket_events_time_index');
      t.index(['actor', 'created_at', 'id'], 'ticket_events_actor_index');
    });
  },
  async down(db) {
    await db.schema.alterTable('ticket_events', (t) => {
      t.dropIndex(['actor', 'created_at', 'id'], 'ticket_events_actor_index');
      t.dropIndex(['created_at', 'id'], 'ticket_events_time_index');
    });
    await db.schema.dropTableIfExists('audit_log');
    await db.schema.alterTable('api_tokens', (t) => {
      t.dropColumn('last_used_at');
      t.dropColumn('expires_at');
    });
  },
};
