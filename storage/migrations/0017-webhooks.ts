import type { Migration } from '../migrations.js';

/**
 * Event webhooks and chat-room alerts (issue 24). `webhook_subscriptions` holds the subscriptions made through the
 * admin API (the ones in config/webhooks.yaml live in the file). `webhook_deliveries` is their outbox: one row per
 * event and target, written in the transaction that made the change, claimed with a lease like `outbox`; a row waits
 * while an earlier row of the same target and `order_key` (one ticket, one incident) is still undelivered.
 * `webhook_attempts` is each try's answer, the history an admin reads.
 */
export const webhooks: Migration = {
  name: '0017-webhooks',
  async up(db) {
    await db.schema.createTable('webhook_subscriptions', (t) => {
      t.string('id', 64).primary();
      t.text('url').notNullable();
      t.text('secret').notNullable();
      // JSON array of event types.
      t.text('events').notNullable();
      t.string('description', 200);
      t.string('created_by', 160).notNullable();
      t.bigInteger('created_at').notNullable();
      // Set when deleted: its deliveries stay readable in the history until they are purged.
      t.bigInteger('deleted_at');
    });
    await db.schema.createTable('webhook_deliveries', (t) => {
      t.bigIncrements('id');
      // subscription | robot
      t.string('target_kind', 16).notNullable();
      t.string('target', 64).notNullable();
      // The same for every target of one event, and kept across retries and redeliveries: receivers de-duplicate on it.
      t.string('event_id', 64).notNullable();
      t.string('event_type', 48).notNullable();
      t.bigInteger('ticket_id');
      t.bigInteger('incident_id');
      // Deliveries of one target with the same key go out one after the other, in id order (`ticket:12`).
      t.string('order_key', 64);
      // Subscriptions: the exact JSON body that is signed and sent. Robots: the alert card.
      t.text('payload').notNullable();
      // pending → processing (claimed, leased) → delivered | dead | cancelled
      t.string('status', 16).notNullable().defaultTo('pending');
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('next_attempt_at').notNullable();
      t.string('claimed_by', 64);
      t.bigInteger('lease_until');
      t.text('last_error');
      t.integer('last_status_code');
      // A robot alert sent as part of a summary: the delivery that carried the summary.
      t.bigInteger('collapsed_into');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('finished_at');
      t.index(['status', 'next_attempt_at']);
      t.index(['target', 'order_key', 'id']);
      t.index(['target', 'id']);
      t.index(['target_kind', 'target', 'finished_at']);
    });
    await db.schema.createTable('webhook_attempts', (t) => {
      t.bigIncrements('id');
      t.bigInteger('delivery_id').notNullable();
      t.integer('attempt').notNullable();
      t.bigInteger('at').notNullable();
      t.integer('status_code');
      t.text('error');
      t.integer('duration_ms').notNullable();
      t.index(['delivery_id', 'id']);
    });
  },
  async down(db) {
    await db.schema.dropTable('webhook_attempts');
    await db.schema.dropTable('webhook_deliveries');
    await db.schema.dropTable('webhook_subscriptions');
  },
};
