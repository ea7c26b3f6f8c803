import type { Knex } from 'knex';
import { configVersions } from './migrations/0010-config-versions.js';
import { insights } from './migrations/0011-insights.js';
import { customerLoop } from './migrations/0012-customer-loop.js';
import { customerUpdatesDue } from './migrations/0019-customer-updates-due.js';
import { bandIndexCoversTicket } from './migrations/0020-band-index-covers-ticket.js';
import { signatureTimeIndex } from './migrations/0021-signature-time-index.js';
import { signatureCommitOrder } from './migrations/0022-signature-commit-order.js';
import { ticketTier } from './migrations/0013-ticket-tier.js';
import { accessAudit } from './migrations/0016-access-audit.js';
import { rateLimits } from './migrations/0018-rate-limits.js';
import { personalData } from './migrations/0015-personal-data.js';
import { webhooks } from './migrations/0017-webhooks.js';

/**
 * Schema migrations, listed by hand (no directory scanning, so they run the same
 * under tsx, in tests and in a bundled build). Timestamps are epoch milliseconds
 * in BIGINT columns so SQLite and PostgreSQL behave the same; JSON is stored as text.
 */
export interface Migration {
  name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const initial: Migration = {
  name: '0001-initial',
  async up(db) {
    await db.schema.createTable('intake_journal', (t) => {
      t.bigIncrements('id');
      t.string('channel', 32).notNullable();
      t.string('external_id', 512).notNullable();
      t.text('payload').notNullable();
      t.bigInteger('received_at').notNullable();
      t.bigInteger('accepted_at').notNullable();
      // pending → processing (claimed, with a lease) → done | failed
      t.string('status', 16).notNullable().defaultTo('pending');
      t.integer('attempts').notNullable().defaultTo(0);
      t.string('claimed_by', 64);
      t.bigInteger('lease_until');
      t.text('last_error');
      t.bigInteger('ticket_id');
      t.bigInteger('processed_at');
      t.unique(['channel', 'external_id']);
      t.index(['status', 'id']);
    });

    await db.schema.createTable('customers', (t) => {
      t.bigIncrements('id');
      t.string('display_name', 256);
      t.string('tier', 32).notNullable().defaultTo('standard');
      t.string('language', 16);
      // Set when this customer was merged into another (issue: identity resolution).
      t.bigInteger('merged_into');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
    });

    await db.schema.createTable('customer_identities', (t) => {
      t.bigIncrements('id');
      t.bigInteger('customer_id').notNullable().references('customers.id');
      // email | phone | wechat | webchat | order | api…
      t.string('kind', 32).notNullable();
      t.string('value', 512).notNullable();
      t.boolean('verified').notNullable().defaultTo(false);
      t.bigInteger('created_at').notNullable();
      t.unique(['kind', 'value']);
      t.index(['customer_id']);
    });

    await db.schema.createTable('tickets', (t) => {
      t.bigIncrements('id');
      t.string('number', 32).notNullable().unique();
      t.string('status', 24).notNullable();
      t.string('category', 16);
      t.string('subcategory', 24);
      t.integer('severity');
      t.integer('emotion');
      t.float('confidence');
      t.string('priority', 16).notNullable().defaultTo('normal');
      t.string('queue', 64).notNullable();
      t.string('assignee', 128);
      t.bigInteger('customer_id').notNullable().references('customers.id');
      // ",email,sms," so one LIKE finds tickets that touched a channel.
      t.string('channels', 256).notNullable().defaultTo(',');
      t.string('last_channel', 32).notNullable();
      t.string('language', 16);
      t.text('subject');
      t.bigInteger('incident_id');
      t.text('tags').notNullable().defaultTo('[]');
      t.text('understanding');
      t.integer('message_count').notNullable().defaultTo(0);
      t.string('status_token', 64).notNullable().unique();
      t.bigInteger('first_response_due_at');
      t.bigInteger('resolution_due_at');
      t.bigInteger('first_responded_at');
      t.bigInteger('resolved_at');
      t.bigInteger('closed_at');
      t.integer('csat');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.bigInteger('last_message_at').notNullable();
      t.index(['status', 'id']);
      t.index(['queue', 'id']);
      t.index(['customer_id', 'status']);
    });

    await db.schema.createTable('ticket_threads', (t) => {
      t.bigInteger('ticket_id').notNullable().references('tickets.id');
      t.string('channel', 32).notNullable();
      t.string('thread_key', 512).notNullable();
      t.primary(['channel', 'thread_key']);
    });

    await db.schema.createTable('messages', (t) => {
      t.bigIncrements('id');
      t.bigInteger('ticket_id').notNullable().references('tickets.id');
      // At most one message per journal row: the last guard against double processing.
      t.bigInteger('journal_id').unique();
      t.string('direction', 8).notNullable(); // in | out
      t.string('author', 16).notNullable(); // customer | agent | bot | system
      t.string('author_id', 128);
      t.string('channel', 32).notNullable();
      t.string('external_id', 512);
      t.string('from_address', 512);
      t.string('to_address', 512);
      t.text('subject');
      t.text('text').notNullable();
      t.string('language', 16);
      t.text('attachments').notNullable().defaultTo('[]');
      t.text('meta').notNullable().defaultTo('{}');
      // Outbound only: queued | sent | delivered | failed | undeliverable
      t.string('delivery_status', 24);
      t.bigInteger('created_at').notNullable();
      t.index(['ticket_id', 'id']);
      t.index(['channel', 'external_id']);
    });

    await db.schema.createTable('ticket_events', (t) => {
      t.bigIncrements('id');
      t.bigInteger('ticket_id').notNullable().references('tickets.id');
      t.string('actor', 128).notNullable(); // system | pipeline | agent:<name> | bot | adapter:<channel>
      t.string('type', 48).notNullable();
      t.text('before');
      t.text('after');
      t.bigInteger('created_at').notNullable();
      t.index(['ticket_id', 'id']);
    });

    await db.schema.createTable('outbox', (t) => {
      t.bigIncrements('id');
      t.bigInteger('ticket_id').notNullable().references('tickets.id');
      t.bigInteger('message_id').notNullable().references('messages.id');
      t.string('channel', 32).notNullable();
      t.text('payload').notNullable();
      // pending → processing → sent | failed | undeliverable
      t.string('status', 16).notNullable().defaultTo('pending');
      t.integer('attempts').notNullable().defaultTo(0);
      t.bigInteger('next_attempt_at').notNullable();
      t.string('claimed_by', 64);
      t.bigInteger('lease_until');
      t.text('last_error');
      t.string('external_id', 512);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('sent_at');
      t.index(['status', 'next_attempt_at']);
    });

    await db.schema.createTable('counters', (t) => {
      t.string('name', 64).primary();
      t.bigInteger('value').notNullable();
    });

    await db.schema.createTable('api_tokens', (t) => {
      t.bigIncrements('id');
      t.string('name', 128).notNullable();
      t.string('role', 32).notNullable();
      t.string('token_hash', 64).notNullable().unique();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('revoked_at');
    });

    // Small durable state for adapters (IMAP checkpoints, access tokens, opt-outs) and leases.
    await db.schema.createTable('kv_state', (t) => {
      t.string('key', 256).primary();
      t.text('value').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
    await db.schema.createTable('leases', (t) => {
      t.string('name', 128).primary();
      t.string('holder', 128).notNullable();
      t.bigInteger('expires_at').notNullable();
    });
  },
  async down(db) {
    for (const table of [
      'leases',
      'kv_state',
      'api_tokens',
      'counters',
      'outbox',
      'ticket_events',
      'messages',
      'ticket_threads',
      'tickets',
      'customer_identities',
      'customers',
      'intake_journal',
    ]) {
      await db.schema.dropTableIfExists(table);
    }
  },
};

const slaState: Migration = {
  name: '0002-sla-state',
  async up(db) {
    await db.schema.alterTable('tickets', (t) => {
      // The SLA clock (policy, due and warning times, pause, warned/breached flags) as JSON.
      t.text('sla');
      // When the SLA worker must look at this ticket next (a warning or due time); null = nothing pending.
      t.bigInteger('sla_next_check_at');
      t.index(['sla_next_check_at']);
    });
  },
  async down(db) {
    await db.schema.alterTable('tickets', (t) => {
      t.dropIndex(['sla_next_check_at']);
      t.dropColumn('sla');
      t.dropColumn('sla_next_check_at');
    });
  },
};

const dedupe: Migration = {
  name: '0003-dedupe-incidents-merges',
  async up(db) {
    // "Same problem" signature of each ticket (features + MinHash) for near-duplicate checks.
    await db.schema.createTable('ticket_signatures', (t) => {
      t.bigInteger('ticket_id').primary().references('tickets.id');
      t.text('signature').notNullable();
      t.bigInteger('created_at').notNullable();
    });
    // LSH band keys: surge candidates are found by shared bands, never by scanning tickets.
    await db.schema.createTable('ticket_bands', (t) => {
      t.string('band', 32).notNullable();
      t.bigInteger('ticket_id').notNullable().references('tickets.id');
      t.bigInteger('created_at').notNullable();
      t.index(['band', 'created_at']);
    });
    await db.schema.createTable('ticket_orders', (t) => {
      t.string('order_number', 64).notNullable();
      t.bigInteger('ticket_id').notNullable().references('tickets.id');
      t.primary(['order_number', 'ticket_id']);
    });
    await db.schema.createTable('incidents', (t) => {
      t.bigIncrements('id');
      t.text('title').notNullable();
      t.string('category', 16);
      t.integer('severity').notNullable();
      t.string('status', 16).notNullable().defaultTo('open'); // open | resolved
      t.integer('ticket_count').notNullable().defaultTo(0);
      t.bigInteger('first_seen_at').notNullable();
      t.bigInteger('last_seen_at').notNullable();
      t.bigInteger('resolved_at');
      t.bigInteger('created_at').notNullable();
      t.index(['status', 'last_seen_at']);
    });
    await db.schema.createTable('customer_merges', (t) => {
      t.bigIncrements('id');
      t.bigInteger('source_customer_id').notNullable().references('customers.id');
      t.bigInteger('target_customer_id').notNullable().references('customers.id');
      t.string('actor', 128).notNullable();
      t.text('reason').notNullable();
      // What moved, so an unmerge can put it back exactly.
      t.text('moved').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('undone_at');
      t.string('undone_by', 128);
    });
  },
  async down(db) {
    for (const table of ['customer_merges', 'incidents', 'ticket_orders', 'ticket_bands', 'ticket_signatures']) await db.schema.dropTableIfExists(table);
  },
};

const faqUnanswered: Migration = {
  name: '0004-faq-unanswered',
  async up(db) {
    // Questions the FAQ bot could not answer, counted: what leads should add to faq.yaml next.
    await db.schema.createTable('faq_unanswered', (t) => {
      t.string('question', 200).primary();
      t.text('sample').notNullable();
      t.integer('count').notNullable();
      t.bigInteger('last_seen_at').notNullable();
      t.index(['count']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists('faq_unanswered');
  },
};

const scaleIndexes: Migration = {
  name: '0005-scale-indexes',
  async up(db) {
    // Found by bench/dedupe/scale.bench.ts at 1M tickets: these lookups read whole tables.
    await db.schema.alterTable('ticket_orders', (t) => t.index(['ticket_id']));
    await db.schema.alterTable('tickets', (t) => t.index(['incident_id']));
    // Band rows are read only within the incident window; old ones are purged by created_at.
    await db.schema.alterTable('ticket_bands', (t) => t.index(['created_at']));
  },
  async down(db) {
    await db.schema.alterTable('ticket_bands', (t) => t.dropIndex(['created_at']));
    await db.schema.alterTable('tickets', (t) => t.dropIndex(['incident_id']));
    await db.schema.alterTable('ticket_orders', (t) => t.dropIndex(['ticket_id']));
  },
};

const incidentPartialIndex: Migration = {
  name: '0006-incident-partial-index',
  async up(db) {
    // Almost no ticket belongs to an incident. With statistics from such a table (ANALYZE, or
    // `PRAGMA optimize`), SQLite judged the full incident_id index useless and counted an
    // incident's tickets by scanning all tickets (found by bench/dedupe/scale.bench.ts at 1M).
    // A partial index holds only member tickets, so its statistics say what it is good for.
    await db.schema.alterTable('tickets', (t) => t.dropIndex(['incident_id']));
    await db.raw('CREATE INDEX tickets_incident_member_index ON tickets (incident_id) WHERE incident_id IS NOT NULL');
  },
  async down(db) {
    await db.raw('DROP INDEX tickets_incident_member_index');
    await db.schema.alterTable('tickets', (t) => t.index(['incident_id']));
  },
};

const labelledExamples: Migration = {
  name: '0007-labelled-examples',
  async up(db) {
    // An agent's category correction kept as a training example (read by `gateway train --from-history`,
    // never by the pipeline). One current label per ticket; earlier labels stay in ticket_events.
    await db.schema.createTable('labelled_examples', (t) => {
      t.bigIncrements('id');
      t.bigInteger('ticket_id').notNullable().unique().references('tickets.id');
      t.text('text').notNullable();
      t.string('category', 16).notNullable();
      t.string('subcategory', 24);
      t.string('language', 16);
      t.string('labelled_by', 128).notNullable();
      t.bigInteger('labelled_at').notNullable();
      // 'agent' today; an import of older labels would say so here.
      t.string('source', 16).notNullable().defaultTo('agent');
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists('labelled_examples');
  },
};

const usersSessions: Migration = {
  name: '0008-users-sessions',
  async up(db) {
    // People who sign in to the console. The role is checked in code (PERSON_ROLES), not by a
    // database constraint, so a new role needs no migration on either database.
    await db.schema.createTable('users', (t) => {
      t.bigIncrements('id');
      t.string('username', 64).notNullable().unique();
      t.string('display_name', 128).notNullable();
      t.string('role', 16).notNullable();
      t.string('password_hash', 255).notNullable();
      t.boolean('disabled').notNullable().defaultTo(false);
      // Consecutive failed sign-ins; reaching the limit sets locked_until and starts the count again.
      t.integer('failed_logins').notNullable().defaultTo(0);
      t.bigInteger('locked_until');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
    });
    // A signed-in browser. The id is the SHA-256 of the cookie's token: a copy of this table signs nobody in.
    await db.schema.createTable('sessions', (t) => {
      t.string('id', 64).primary();
      t.bigInteger('user_id').notNullable().references('users.id');
      t.string('csrf_token', 64).notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('expires_at').notNullable();
      t.bigInteger('last_seen_at').notNullable();
      // Ending one person's sessions (disable, reset), and purging expired ones.
      t.index(['user_id']);
      t.index(['expires_at']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists('sessions');
    await db.schema.dropTableIfExists('users');
  },
};

const inboxIndexes: Migration = {
  name: '0009-inbox-indexes',
  async up(db) {
    // The console's inbox sorts by the next pending SLA due time. The clock is JSON (tickets.sla), so its
    // due time is kept in a column of its own (storage/ticket-sla-due.ts); null = nothing pending.
    await db.schema.alterTable('tickets', (t) => t.bigInteger('sla_due_at'));
    // Existing rows, from the columns (a paused clock is recognised by its status).
    await db.raw(`UPDATE tickets SET sla_due_at = CASE
        WHEN status IN ('resolved', 'closed', 'pending_customer') THEN NULL
        WHEN first_responded_at IS NULL AND first_response_due_at IS NOT NULL THEN first_response_due_at
        ELSE resolution_due_at END`);
    // Each inbox order, alone and behind the filters agents use most (a queue, "mine" / "unassigned"),
    // so the first page is read from an index in order and stops at the page size, at any table size.
    await db.schema.alterTable('tickets', (t) => {
      t.index(['sla_due_at', 'id'], 'tickets_inbox_due_index');
      t.index(['queue', 'sla_due_at', 'id'], 'tickets_inbox_queue_due_index');
      t.index(['assignee', 'sla_due_at', 'id'], 'tickets_inbox_assignee_due_index');
      t.index(['updated_at', 'id'], 'tickets_inbox_updated_index');
      // Queue counts read only this index, and only its open-status ranges (a small part of a large store).
      t.index(['status', 'queue', 'assignee', 'sla_due_at'], 'tickets_queue_counts_index');
    });
    // "Unassigned" in SLA order. PostgreSQL does not take `assignee IS NULL` as fixing the first column of
    // the assignee index, so it would sort every unassigned ticket; this index is in the page's order.
    await db.raw('CREATE INDEX tickets_inbox_unassigned_index ON tickets (sla_due_at, id) WHERE assignee IS NULL');
    // Search by a customer's e-mail, phone or WeChat id finds the identity whatever its kind.
    await db.schema.alterTable('customer_identities', (t) => t.index(['value'], 'customer_identities_value_index'));
  },
  async down(db) {
    await db.schema.alterTable('customer_identities', (t) => t.dropIndex(['value'], 'customer_identities_value_index'));
    await db.raw('DROP INDEX tickets_inbox_unassigned_index');
    await db.schema.alterTable('tickets', (t) => {
      t.dropIndex(['status', 'queue', 'assignee', 'sla_due_at'], 'tickets_queue_counts_index');
      t.dropIndex(['updated_at', 'id'], 'tickets_inbox_updated_index');
      t.dropIndex(['assignee', 'sla_due_at', 'id'], 'tickets_inbox_assignee_due_index');
      t.dropIndex(['queue', 'sla_due_at', 'id'], 'tickets_inbox_queue_due_index');
      t.dropIndex(['sla_due_at', 'id'], 'tickets_inbox_due_index');
    });
    await db.schema.alterTable('tickets', (t) => t.dropColumn('sla_due_at'));
  },
};

const MIGRATIONS: Migration[] = [
  initial,
  slaState,
  dedupe,
  faqUnanswered,
  scaleIndexes,
  incidentPartialIndex,
  labelledExamples,
  usersSessions,
  inboxIndexes,
  configVersions,
  insights,
  customerLoop,
  ticketTier,
  personalData,
  rateLimits,
  webhooks,
  accessAudit,
  customerUpdatesDue,
  bandIndexCoversTicket,
  signatureTimeIndex,
  signatureCommitOrder,
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  async getMigrations() {
    return MIGRATIONS;
  },
  getMigrationName(migration) {
    return migration.name;
  },
  async getMigration(migration) {
    return { up: migration.up, down: migration.down };
  },
};
