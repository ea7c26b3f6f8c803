import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { ChangeFeeds, type TicketChanges } from './change-feed.js';
import { ChunkReadAhead } from './chunk-read-ahead.js';
import { DUE_EVENT } from './customer-updates-due.store.js';
import { DeferredWrites } from './deferred-writes.store.js';
import { insertReturningId, insertRows, rowById } from './fixed-statements.js';
import { formatTicketNumber } from './ticket-numbers.js';
import { TicketTouches } from './ticket-touches.js';
import { pendingSlaDueAt, type SlaClockFields } from './ticket-sla-due.js';

type Conn = Knex | Knex.Transaction;

export const TICKET_STATUSES = ['new', 'open', 'pending_customer', 'resolved', 'closed', 'reopened'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const OPEN_STATUSES: TicketStatus[] = ['new', 'open', 'pending_customer', 'reopened'];

export interface Ticket {
  id: number;
  number: string;
  status: TicketStatus;
  category: string | null;
  subcategory: string | null;
  severity: number | null;
  emotion: number | null;
  confidence: number | null;
  priority: string;
  queue: string;
  assignee: string | null;
  customerId: number;
  channels: string[];
  lastChannel: string;
  language: string | null;
  subject: string | null;
  incidentId: number | null;
  tags: string[];
  understanding: unknown;
  messageCount: number;
  statusToken: string;
  firstResponseDueAt: number | null;
  resolutionDueAt: number | null;
  firstRespondedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  csat: number | null;
  /** When the satisfaction question went out (a reply within the window is read as the answer). */
  csatRequestedAt: number | null;
  csatAt: number | null;
  csatComment: string | null;
  /** The SLA clock as JSON (see gateway/sla/ticket-sla.ts). */
  sla: Record<string, unknown> | null;
  slaNextCheckAt: number | null;
  createdAt: number;
  updatedAt: number;
  lastMessageAt: number;
}

export interface NewTicket {
  number: string;
  customerId: number;
  channel: string;
  queue: string;
  priority?: string;
  subject?: string | null;
  language?: string | null;
  category?: string | null;
  subcategory?: string | null;
  severity?: number | null;
  emotion?: number | null;
  confidence?: number | null;
  tags?: string[];
  understanding?: unknown;
  firstResponseDueAt?: number | null;
  resolutionDueAt?: number | null;
  assignee?: string | null;
  incidentId?: number | null;
  status?: TicketStatus;
  /** The unguessable status-page token; generated when not given. */
  statusToken?: string;
  sla?: Record<string, unknown> | null;
  slaNextCheckAt?: number | null;
  /** The customer's tier when the ticket is opened (the one its SLA policy was chosen by). */
  customerTier?: string | null;
  /**
   * The ticket is created with its first inbound message: counted and timed here, so
   * that message is added with `touchTicket = false` (one write instead of two).
   */
  firstMessageAt?: number;
}

export interface Message {
  id: number;
  ticketId: number;
  journalId: number | null;
  direction: 'in' | 'out';
  author: 'customer' | 'agent' | 'bot' | 'system';
  authorId: string | null;
  channel: string;
  externalId: string | null;
  fromAddress: string | null;
  toAddress: string | null;
  subject: string | null;
  text: string;
  language: string | null;
  attachments: unknown[];
  meta: Record<string, unknown>;
  deliveryStatus: string | null;
  createdAt: number;
}

export type NewMessage = Omit<
  Message,
  'id' | 'attachments' | 'meta' | 'deliveryStatus' | 'journalId' | 'authorId' | 'externalId' | 'fromAddress' | 'toAddress' | 'subject' | 'language'
> &
  Partial<
    Pick<Message, 'attachments' | 'meta' | 'deliveryStatus' | 'journalId' | 'authorId' | 'externalId' | 'fromAddress' | 'toAddress' | 'subject' | 'language'>
  >;

export interface TicketEvent {
  id: number;
  ticketId: number;
  actor: string;
  type: string;
  before: unknown;
  after: unknown;
  createdAt: number;
}

/** Ticket fields an agent or the pipeline may change; each change becomes an event. */
export type TicketPatch = Partial<
  Pick<
    Ticket,
    | 'status'
    | 'assignee'
    | 'queue'
    | 'priority'
    | 'category'
    | 'subcategory'
    | 'severity'
    | 'emotion'
    | 'tags'
    | 'incidentId'
    | 'firstResponseDueAt'
    | 'resolutionDueAt'
    | 'firstRespondedAt'
    | 'resolvedAt'
    | 'closedAt'
    | 'csat'
  >
>;

const COLUMN: Record<keyof TicketPatch, string> = {
  status: 'status',
  assignee: 'assignee',
  queue: 'queue',
  priority: 'priority',
  category: 'category',
  subcategory: 'subcategory',
  severity: 'severity',
  emotion: 'emotion',
  tags: 'tags',
  incidentId: 'incident_id',
  firstResponseDueAt: 'first_response_due_at',
  resolutionDueAt: 'resolution_due_at',
  firstRespondedAt: 'first_responded_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  csat: 'csat',
};

/** A token for the customer's status page (/t/<token>): 192 random bits. */
export function newStatusToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The ticket aggregate: tickets, their messages, threads and the append-only event log. */
export class TicketStore {
  /** Next human number for the day: C-20261124-0042. Serialised by the counter row's lock. */
  async nextNumber(db: Conn, prefix: string, day: string): Promise<string> {
    return formatTicketNumber(prefix, day, await this.incrementCounter(db, `ticket:${prefix}:${day}`));
  }

  /**
   * Adds `by` (default 1) to a named counter (created at `by`) and returns the new value. `timeoutMs` (PostgreSQL): the
   * statement is cancelled after that long, an error instead of a wait nobody ends.
   */
  async incrementCounter(db: Conn, name: string, timeoutMs?: number, by = 1): Promise<number> {
    const statement = db.raw(
      `INSERT INTO counters (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value
       RETURNING value`,
      [name, by],
    );
    const result = await (timeoutMs === undefined ? statement : statement.timeout(timeoutMs, { cancel: true }));
    const rows = Array.isArray(result) ? result : result.rows;
    return Number(rows[0].value);
  }

  async create(db: Conn, t: NewTicket, now = Date.now()): Promise<number> {
    ChunkReadAhead.of(db)?.forgetCustomer(t.customerId);
    return insertReturningId(db, 'tickets', {
      number: t.number,
      status: t.status ?? 'new',
      category: t.category ?? null,
      subcategory: t.subcategory ?? null,
      severity: t.severity ?? null,
      emotion: t.emotion ?? null,
      confidence: t.confidence ?? null,
      priority: t.priority ?? 'normal',
      queue: t.queue,
      customer_id: t.customerId,
      channels: `,${t.channel},`,
      first_channel: t.channel,
      last_channel: t.channel,
      language: t.language ?? null,
      subject: t.subject ?? null,
      tags: JSON.stringify(t.tags ?? []),
      understanding: t.understanding === undefined ? null : JSON.stringify(t.understanding),
      message_count: t.firstMessageAt === undefined ? 0 : 1,
      status_token: t.statusToken ?? newStatusToken(),
      first_response_due_at: t.firstResponseDueAt ?? null,
      resolution_due_at: t.resolutionDueAt ?? null,
      assignee: t.assignee ?? null,
      incident_id: t.incidentId ?? null,
      sla: t.sla ? JSON.stringify(t.sla) : null,
      sla_next_check_at: t.slaNextCheckAt ?? null,
      sla_due_at: newTicketSlaDueAt(t),
      customer_tier: t.customerTier ?? null,
      created_at: now,
      updated_at: t.firstMessageAt ?? now,
      last_message_at: t.firstMessageAt ?? now,
    });
  }

  async get(db: Conn, id: number): Promise<Ticket | undefined> {
    const row = await rowById(db, 'tickets', id);
    return row ? toTicket(row) : undefined;
  }

  async getByNumber(db: Conn, number: string): Promise<Ticket | undefined> {
    const row = await db('tickets').where({ number }).first();
    return row ? toTicket(row) : undefined;
  }

  async getByStatusToken(db: Conn, token: string): Promise<Ticket | undefined> {
    const row = await db('tickets').where({ status_token: token }).first();
    return row ? toTicket(row) : undefined;
  }

  /**
   * The newest tickets, of one customer when `customerId` is given. The inbox's filters, search
   * and sorts live in inbox.store.ts.
   */
  async list(db: Conn, f: { customerId?: number; limit: number }): Promise<Ticket[]> {
    const q = db('tickets').select('*').orderBy('id', 'desc').limit(f.limit);
    if (f.customerId != null) q.where('customer_id', f.customerId);
    return (await q).map(toTicket);
  }

  /**
   * Applies a patch and writes one event per changed field (before/after). Returns the changed fields.
   * `current`: the row as the caller just read it in this transaction (saves reading it again).
   */
  async update(db: Conn, id: number, patch: TicketPatch, actor: string, now = Date.now(), current?: Ticket): Promise<Array<keyof TicketPatch>> {
    current ??= await this.get(db, id);
    if (!current) throw new Error(`ticket ${id} not found`);
    const changes: Record<string, unknown> = {};
    const changed: Array<keyof TicketPatch> = [];
    const fields: TicketChanges = {};
    for (const [field, value] of Object.entries(patch) as Array<[keyof TicketPatch, unknown]>) {
      if (value === undefined) continue;
      const before = current[field];
      if (JSON.stringify(before) === JSON.stringify(value)) continue;
      changes[COLUMN[field]] = field === 'tags' ? JSON.stringify(value) : value;
      changed.push(field);
      fields[field] = { before, after: value };
      await this.addEvent(db, { ticketId: id, actor, type: `${field}_changed`, before: { [field]: before }, after: { [field]: value } }, now);
    }
    if (changed.length > 0) {
      ChunkReadAhead.of(db)?.forgetTicket(id);
      await db('tickets')
        .where({ id })
        .update({ ...changes, updated_at: now });
      await ChangeFeeds.of(db)?.ticketUpdated(db, current, fields, actor, now);
    }
    return changed;
  }

  /** Stores the SLA clock (no event: the SLA logic writes its own events for warnings, breaches, pauses). */
  async setSla(
    db: Conn,
    id: number,
    sla: Record<string, unknown> | null,
    nextCheckAt: number | null,
    due?: { firstResponseDueAt: number | null; resolutionDueAt: number | null },
  ): Promise<void> {
    ChunkReadAhead.of(db)?.forgetTicket(id);
    await db('tickets')
      .where({ id })
      .update({
        sla: sla ? JSON.stringify(sla) : null,
        sla_next_check_at: nextCheckAt,
        // The inbox's sort key follows the clock it is derived from.
        sla_due_at: pendingSlaDueAt(sla as SlaClockFields | null),
        ...(due ? { first_response_due_at: due.firstResponseDueAt, resolution_due_at: due.resolutionDueAt } : {}),
      });
  }

  /**
   * Takes the SLA check of a ticket found due, inside the transaction that handles it, and returns the ticket
   * as it is now; undefined when another process handled it since (its next check is no longer due). On
   * PostgreSQL the UPDATE waits for a concurrent handler's commit and then sees its new check time.
   */
  async claimSlaCheck(db: Conn, id: number, now: number): Promise<Ticket | undefined> {
    const claimed = await db('tickets').where({ id }).where('sla_next_check_at', '<=', now).update({ sla_next_check_at: null });
    return claimed > 0 ? this.get(db, id) : undefined;
  }

  /** Open tickets whose SLA clock needs a look at `now` (indexed by sla_next_check_at). */
  async slaDue(db: Conn, now: number, limit: number): Promise<Ticket[]> {
    const rows = await db('tickets').where('sla_next_check_at', '<=', now).orderBy('sla_next_check_at').limit(limit);
    return rows.map(toTicket);
  }

  /** Open tickets per assignee among `agents` (for capacity-aware round robin). */
  async openCountByAssignee(db: Conn, agents: string[]): Promise<Record<string, number>> {
    if (agents.length === 0) return {};
    const rows: Array<{ assignee: string; n: number | string }> = await db('tickets')
      .whereIn('assignee', agents)
      .whereIn('status', OPEN_STATUSES)
      .select('assignee')
      .count({ n: '*' })
      .groupBy('assignee');
    return Object.fromEntries(rows.map((r) => [r.assignee, Number(r.n)]));
  }

  /** Creation times of a customer's tickets since `since` (repeat-complaint counts). */
  async createdTimesForCustomer(db: Conn, customerId: number, since: number): Promise<number[]> {
    const rows = await db('tickets')
      .where('customer_id', customerId)
      .where('created_at', '>=', since)
      .select('created_at')
      .orderBy('created_at', 'desc')
      .limit(1000);
    return rows.map((r) => Number(r.created_at));
  }

  /**
   * A customer's message at `at` joined a ticket whose last message is older than the dedupe window: its
   * last-message time is written at once instead of with the transaction's other touches, so the customer's
   * next message in the same transaction finds the ticket open to join, as the next transaction would.
   */
  async revive(db: Conn, ticket: Pick<Ticket, 'id' | 'customerId'>, at: number): Promise<void> {
    await db('tickets').where({ id: ticket.id }).where('last_message_at', '<', at).update({ last_message_at: at });
    ChunkReadAhead.of(db)?.forgetCustomer(ticket.customerId);
  }

  async addMessage(db: Conn, m: NewMessage, touchTicket = true): Promise<number> {
    const deferred = DeferredWrites.of(db);
    // In a pipeline transaction the row is inserted with the others before the commit, its id known now.
    const id = deferred?.ids
      ? await deferred.addWithId(db as Knex.Transaction, 'messages', messageRow(m))
      : await insertReturningId(db, 'messages', messageRow(m));
    await ChangeFeeds.of(db)?.messageAdded(db, { ...m, id });
    // Messages written with the ticket (its first inbound one, acknowledgement, bot answer) need no second touch.
    if (touchTicket === false) return id;
    ChunkReadAhead.of(db)?.forgetTicket(m.ticketId);
    // In a pipeline transaction the ticket is updated once for all its messages, before the commit.
    if (deferred) {
      deferred.task(TicketTouches.key, () => new TicketTouches()).add(m.ticketId, m);
      return id;
    }
    const touch: Record<string, unknown> = { updated_at: m.createdAt };
    if (m.direction === 'in') {
      touch.message_count = db.raw('message_count + 1');
      touch.last_message_at = m.createdAt;
      touch.last_channel = m.channel;
      // Append the channel to ",email,sms," once.
      touch.channels = db.raw(`CASE WHEN channels LIKE ? THEN channels ELSE channels || ? END`, [`%,${m.channel},%`, `${m.channel},`]);
    }
    await db('tickets').where({ id: m.ticketId }).update(touch);
    return id;
  }

  /**
   * Outbound messages written together (a batch of progress messages) by one INSERT, without touching their tickets;
   * returns their ids in the order given (ids are assigned in the order of the VALUES list).
   */
  async addMessages(db: Conn, messages: readonly NewMessage[]): Promise<number[]> {
    if (messages.length === 0) return [];
    const deferred = DeferredWrites.of(db);
    // Where the transaction assigns message ids (see addMessage), every message of it goes through that.
    const ids = deferred?.ids
      ? await Promise.all(messages.map((m) => deferred.addWithId(db as Knex.Transaction, 'messages', messageRow(m))))
      : await insertRows(db, 'messages', messages.map(messageRow), 'id');
    const feed = ChangeFeeds.of(db);
    if (feed) for (const [i, m] of messages.entries()) await feed.messageAdded(db, { ...m, id: ids[i]! });
    return ids;
  }

  async messages(db: Conn, ticketId: number): Promise<Message[]> {
    return (await db('messages').where({ ticket_id: ticketId }).orderBy('id')).map(toMessage);
  }

  /** The customer's latest message (skipping ones from unverified senders while a verified one exists). */
  async lastInbound(db: Conn, ticketId: number, channel?: string): Promise<Message | undefined> {
    const q = db('messages').where({ ticket_id: ticketId, direction: 'in' }).orderBy('id', 'desc').limit(50);
    if (channel) q.where({ channel });
    return lastVerified((await q).map(toMessage));
  }

  /** The message that opened the ticket: what the classifier read when it chose the category. */
  async firstInbound(db: Conn, ticketId: number): Promise<Message | undefined> {
    const row = await db('messages').where({ ticket_id: ticketId, direction: 'in' }).orderBy('id').first();
    return row ? toMessage(row) : undefined;
  }

  async setDeliveryStatus(db: Conn, messageId: number, status: string, externalId?: string): Promise<void> {
    await ChangeFeeds.of(db)?.deliveryStatus(db, messageId, status);
    await db('messages')
      .where({ id: messageId })
      .update({ delivery_status: status, ...(externalId ? { external_id: externalId } : {}) });
  }

  /**
   * `setDeliveryStatus` for a batch of messages (the outbox's sends) in one UPDATE, each keeping its own external id.
   * Answers each message's ticket with that ticket's tags, read by the same statement.
   */
  async setDeliveryStatuses(
    db: Conn,
    status: string,
    messages: ReadonlyArray<{ messageId: number; externalId?: string }>,
  ): Promise<Array<{ messageId: number; ticketId: number; tags: string[] }>> {
    const feed = ChangeFeeds.of(db);
    for (const m of messages) await feed?.deliveryStatus(db, m.messageId, status);
    const updated: Array<{ messageId: number; ticketId: number; tags: string[] }> = [];
    for (let i = 0; i < messages.length; i += 200) {
      const part = messages.slice(i, i + 200);
      const named = part.filter((m) => m.externalId);
      const externalIds = named.length > 0 ? `, external_id = CASE id ${named.map(() => 'WHEN ? THEN ?').join(' ')} ELSE external_id END` : '';
      const result = await db.raw(
        `UPDATE messages SET delivery_status = ?${externalIds} WHERE id IN (${part.map(() => '?').join(', ')})
         RETURNING id, ticket_id, (SELECT tags FROM tickets WHERE tickets.id = messages.ticket_id) AS tags`,
        [status, ...named.flatMap((m) => [m.messageId, m.externalId!]), ...part.map((m) => m.messageId)],
      );
      const rows: Array<Record<string, any>> = Array.isArray(result) ? result : result.rows;
      for (const r of rows) updated.push({ messageId: Number(r.id), ticketId: Number(r.ticket_id), tags: r.tags ? JSON.parse(r.tags) : [] });
    }
    return updated;
  }

  async addEvent(db: Conn, e: Omit<TicketEvent, 'id' | 'createdAt'>, now = Date.now()): Promise<void> {
    const row = {
      ticket_id: e.ticketId,
      actor: e.actor,
      type: e.type,
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
      created_at: now,
    };
    // The pipeline's chunk transaction writes its events in one statement before it commits.
    const deferred = DeferredWrites.of(db);
    if (deferred) deferred.add('ticket_events', row);
    else await db('ticket_events').insert(row);
    await ChangeFeeds.of(db)?.ticketEvent(db, { ticketId: e.ticketId, actor: e.actor, type: e.type, before: e.before, after: e.after }, now);
  }

  /**
   * An agent's internal note: an event of type `note` marked internal, never a message, so nothing
   * that reads messages to answer or show the customer (outbox, status page, chat transcript) sees it.
   * The ticket counts as updated (the inbox's "recently updated" order). Returns the event id.
   */
  async addNote(db: Conn, ticketId: number, actor: string, text: string, now = Date.now()): Promise<number> {
    const [row] = await db('ticket_events')
      .insert({ ticket_id: ticketId, actor, type: 'note', before: null, after: JSON.stringify({ text, internal: true }), created_at: now })
      .returning('id');
    ChunkReadAhead.of(db)?.forgetTicket(ticketId);
    await db('tickets').where({ id: ticketId }).update({ updated_at: now });
    return Number(typeof row === 'object' ? row.id : row);
  }

  /** The ticket's timeline: every event but the customer-updates bookkeeping (customer_notified says what came of it). */
  async events(db: Conn, ticketId: number): Promise<TicketEvent[]> {
    const rows = await db('ticket_events').where({ ticket_id: ticketId }).whereNot({ type: DUE_EVENT }).orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id),
      ticketId: Number(r.ticket_id),
      actor: r.actor,
      type: r.type,
      before: r.before == null ? null : JSON.parse(r.before),
      after: r.after == null ? null : JSON.parse(r.after),
      createdAt: Number(r.created_at),
    }));
  }

  async attachThread(db: Conn, ticketId: number, channel: string, threadKey: string): Promise<void> {
    await db('ticket_threads').insert({ ticket_id: ticketId, channel, thread_key: threadKey }).onConflict(['channel', 'thread_key']).merge(['ticket_id']);
  }

  async findByThread(db: Conn, channel: string, threadKey: string): Promise<Ticket | undefined> {
    const row = await db('tickets')
      .join('ticket_threads', 'ticket_threads.ticket_id', 'tickets.id')
      .where({ 'ticket_threads.channel': channel, 'ticket_threads.thread_key': threadKey })
      .select('tickets.*')
      .first();
    return row ? toTicket(row) : undefined;
  }

  async countByStatus(db: Conn): Promise<Record<string, number>> {
    const rows: Array<{ status: string; n: number | string }> = await db('tickets').select('status').count({ n: '*' }).groupBy('status');
    return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
  }
}

/** A new ticket's pending SLA due time: from its clock, or (tickets written without one) from its due columns. */
function newTicketSlaDueAt(t: NewTicket): number | null {
  if (t.sla) return pendingSlaDueAt(t.sla as SlaClockFields);
  if (t.status === 'resolved' || t.status === 'closed' || t.status === 'pending_customer') return null;
  return pendingSlaDueAt({ firstResponseDueAt: t.firstResponseDueAt, resolutionDueAt: t.resolutionDueAt });
}

function num(v: unknown): number | null {
  return v == null ? null : Number(v);
}

/** A ticket row as the API and the pipeline see it. */
export function toTicket(r: Record<string, any>): Ticket {
  // The classifier's reading (evidence and all) is the row's largest text and the SLA state the next,
  // and a customer's follow-up joining the ticket rarely reads them: each is parsed when first read.
  let understanding: Ticket['understanding'] | undefined;
  let sla: Ticket['sla'] | undefined;
  return {
    id: Number(r.id),
    number: r.number,
    status: r.status,
    category: r.category,
    subcategory: r.subcategory,
    severity: num(r.severity),
    emotion: num(r.emotion),
    confidence: num(r.confidence),
    priority: r.priority,
    queue: r.queue,
    assignee: r.assignee,
    customerId: Number(r.customer_id),
    channels: String(r.channels).split(',').filter(Boolean),
    lastChannel: r.last_channel,
    language: r.language,
    subject: r.subject,
    incidentId: num(r.incident_id),
    tags: JSON.parse(r.tags),
    get understanding() {
      if (understanding === undefined) understanding = r.understanding == null ? null : JSON.parse(r.understanding);
      return understanding!;
    },
    messageCount: Number(r.message_count),
    statusToken: r.status_token,
    firstResponseDueAt: num(r.first_response_due_at),
    resolutionDueAt: num(r.resolution_due_at),
    firstRespondedAt: num(r.first_responded_at),
    resolvedAt: num(r.resolved_at),
    closedAt: num(r.closed_at),
    csat: num(r.csat),
    csatRequestedAt: num(r.csat_requested_at),
    csatAt: num(r.csat_at),
    csatComment: r.csat_comment ?? null,
    get sla() {
      if (sla === undefined) sla = r.sla == null ? null : JSON.parse(r.sla);
      return sla!;
    },
    slaNextCheckAt: num(r.sla_next_check_at),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    lastMessageAt: Number(r.last_message_at),
  };
}

/** Of a ticket's inbound messages, newest first (at most 50): the newest from a verified sender, else the newest. */
export function lastVerified(newestFirst: Message[]): Message | undefined {
  return newestFirst.find((m) => m.meta.unverifiedSender !== true) ?? newestFirst[0];
}

/** A new message as the messages table stores it. */
function messageRow(m: NewMessage): Record<string, Knex.Value> {
  return {
    ticket_id: m.ticketId,
    journal_id: m.journalId ?? null,
    direction: m.direction,
    author: m.author,
    author_id: m.authorId ?? null,
    channel: m.channel,
    external_id: m.externalId ?? null,
    from_address: m.fromAddress ?? null,
    to_address: m.toAddress ?? null,
    subject: m.subject ?? null,
    text: m.text,
    language: m.language ?? null,
    attachments: JSON.stringify(m.attachments ?? []),
    meta: JSON.stringify(m.meta ?? {}),
    delivery_status: m.deliveryStatus ?? null,
    created_at: m.createdAt,
  };
}

export function toMessage(r: Record<string, any>): Message {
  return {
    id: Number(r.id),
    ticketId: Number(r.ticket_id),
    journalId: num(r.journal_id),
    direction: r.direction,
    author: r.author,
    authorId: r.author_id,
    channel: r.channel,
    externalId: r.external_id,
    fromAddress: r.from_address,
    toAddress: r.to_address,
    subject: r.subject,
    text: r.text,
    language: r.language,
    attachments: JSON.parse(r.attachments),
    meta: JSON.parse(r.meta),
    deliveryStatus: r.delivery_status,
    createdAt: Number(r.created_at),
  };
}
