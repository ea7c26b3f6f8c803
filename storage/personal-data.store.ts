import type { Knex } from 'knex';
import { ChunkReadAhead } from './chunk-read-ahead.js';
import { dialectOf } from './db.js';
import { newStatusToken } from './ticket.store.js';

type Conn = Knex | Knex.Transaction;

/** The events that record an erasure or retention run: their reason is the audit trail and stays. */
export const AUDIT_EVENT_TYPES = ['personal_data_erased', 'retention_anonymised'];

/** What a removed text, reason or title reads after erasure or retention. */
export const ERASED = '[erased]';

/** Why a ticket's personal data was removed: the customer's erasure, or the retention period ran out. */
export type AnonymiseCause = 'erasure' | 'retention';

/** What one anonymisation removed, counted (the numbers go into the audit record; never the data). */
export interface AnonymiseCounts {
  tickets: number;
  messages: number;
  attachments: number;
  journalRows: number;
  outboxRows: number;
  events: number;
  labelledExamples: number;
  dedupeRows: number;
  faqQuestions: number;
  incidentTitles: number;
}

/**
 * Keys of ticket-event payloads that hold what a person wrote or who they are: a note's or a
 * comment's text, a merge's evidence ("e-mail address … given in the message"), an opt-out's words.
 * Everything else in an event (status, queue, ids, times, rule ids) is the ticket's skeleton and stays.
 */
const PERSONAL_EVENT_KEYS = new Set([
  'text',
  'comment',
  'reason',
  'subject',
  'address',
  'fromAddress',
  'toAddress',
  'from',
  'name',
  'fromName',
  'displayName',
  'value',
  'excerpt',
  'sample',
  'why',
]);

/** An event payload with every personal field replaced by ERASED (recursively), numbers and flags kept. */
export function scrubEventPayload(value: unknown, personal: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => scrubEventPayload(v, personal));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        PERSONAL_EVENT_KEYS.has(k) && v != null && typeof v !== 'number' && typeof v !== 'boolean' ? ERASED : scrubEventPayload(v, personal),
      ]),
    );
  }
  // A value under another key that still names the person (an address in a free-form field) goes too.
  if (typeof value === 'string' && personal.some((p) => value.includes(p))) return ERASED;
  return value;
}

/**
 * What the classifier kept on a ticket, without the words it read: the category and figures stay
 * (reports, `gateway explain`'s rule ids), the entities (phones, e-mails, order numbers) and the
 * evidence (the matched words of the text) go.
 */
function skeletonOfUnderstanding(raw: string | null): string | null {
  if (raw == null) return null;
  let u: Record<string, any>;
  try {
    u = JSON.parse(raw);
  } catch {
    return null;
  }
  const keep: Record<string, unknown> = {};
  for (const k of ['category', 'subcategory', 'severity', 'emotion', 'language', 'confidence', 'source']) if (k in u) keep[k] = u[k];
  if (u.route && typeof u.route === 'object') {
    keep.route = {
      fired: Array.isArray(u.route.fired) ? u.route.fired.map((f: { ruleId?: unknown }) => ({ ruleId: f?.ruleId })) : [],
      slaPolicy: u.route.slaPolicy,
      slaSource: u.route.slaSource,
    };
  }
  if (u.faq && typeof u.faq === 'object') keep.faq = { answered: u.faq.answered, entryId: u.faq.entryId, score: u.faq.score };
  keep.erased = true;
  return JSON.stringify(keep);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Rows of `ids` in slices small enough for any database's parameter limit. */
async function inChunks<T>(ids: readonly T[], size: number, each: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let i = 0; i < ids.length; i += size) await each(ids.slice(i, i + size));
}

const CHUNK = 500;

/** The attachment store's refs among a message's attachments. */
function storedRefs(attachments: string | null): string[] {
  if (!attachments) return [];
  try {
    const list = JSON.parse(attachments) as Array<{ ref?: unknown }>;
    return Array.isArray(list) ? list.map((a) => a?.ref).filter((r): r is string => typeof r === 'string' && r.startsWith('attachment:sha256:')) : [];
  } catch {
    return [];
  }
}

/**
 * A customer's personal data across the tables (issue 23): read for an export, removed for an
 * erasure or when the retention period of a finished ticket runs out. Removal keeps each ticket's
 * skeleton and figures (number, category, severity, queue, channels, times, SLA clock, CSAT score)
 * so reports still count it, and keeps each journal row's (channel, external id): the dedupe key
 * that makes a channel's re-delivery of an erased message a duplicate instead of a new complaint.
 */
export class PersonalDataStore {
  /**
   * Runs `fn` so that what it deletes or overwrites leaves no copy in the database file: on SQLite with
   * `secure_delete` fully on (freed space and freed pages are zeroed) and a WAL checkpoint that truncates
   * the log afterwards (a reader holding an old snapshot can keep it from truncating; the next one does).
   * PostgreSQL keeps old row versions until VACUUM reclaims them (autovacuum does, soon after).
   */
  async withSecureDelete<T>(db: Knex, fn: () => Promise<T>): Promise<T> {
    if (dialectOf(db) !== 'sqlite') return fn();
    await db.raw('PRAGMA secure_delete = ON');
    try {
      return await fn();
    } finally {
      // Back to what every connection runs with (storage/db.ts): freed space within a page zeroed at no extra I/O.
      await db.raw('PRAGMA secure_delete = FAST');
      await db.raw('PRAGMA wal_checkpoint(TRUNCATE)').catch(() => undefined);
    }
  }

  /** The customer (after merges) and every customer merged into it: one person's records. */
  async family(db: Conn, customerId: number): Promise<number[]> {
    const ids = [customerId];
    for (let i = 0; i < ids.length && ids.length < 10_000; i++) {
      for (const r of await db('customers').where('merged_into', ids[i]!).select('id')) if (!ids.includes(Number(r.id))) ids.push(Number(r.id));
    }
    return ids;
  }

  async ticketIdsOf(db: Conn, customerIds: number[]): Promise<number[]> {
    if (customerIds.length === 0) return [];
    return (await db('tickets').whereIn('customer_id', customerIds).orderBy('id').select('id')).map((r) => Number(r.id));
  }

  /** When the customer was erased (epoch ms), or null; undefined when there is no such customer. */
  async erasedAt(db: Conn, customerId: number): Promise<number | null | undefined> {
    const row = await db('customers').where({ id: customerId }).first('erased_at');
    return row ? (row.erased_at == null ? null : Number(row.erased_at)) : undefined;
  }

  /** Every row of the customer's records that an export holds, as stored (JSON columns parsed). */
  async exportRows(db: Conn, customerIds: number[]): Promise<ExportRows> {
    const ticketIds = await this.ticketIdsOf(db, customerIds);
    const customers = await db('customers').whereIn('id', customerIds).orderBy('id');
    const identities = await db('customer_identities').whereIn('customer_id', customerIds).orderBy('id');
    const merges = await db('customer_merges').whereIn('source_customer_id', customerIds).orWhereIn('target_customer_id', customerIds).orderBy('id');
    const tickets: DbRecord[] = [];
    const messages: DbRecord[] = [];
    const events: DbRecord[] = [];
    const labelled: DbRecord[] = [];
    await inChunks(ticketIds, CHUNK, async (ids) => {
      tickets.push(...(await db('tickets').whereIn('id', ids).orderBy('id')));
      messages.push(...(await db('messages').whereIn('ticket_id', ids).orderBy('id')));
      events.push(...(await db('ticket_events').whereIn('ticket_id', ids).orderBy('id')));
      labelled.push(...(await db('labelled_examples').whereIn('ticket_id', ids).orderBy('id')));
    });
    // What they wrote onto other people's tickets (quoting a ticket number from their address).
    const addresses = identities.map((i) => String(i.value));
    const elsewhere = addresses.length
      ? await db('messages')
          .where('direction', 'in')
          .whereIn('from_address', addresses)
          .modify((q) => {
            if (ticketIds.length > 0 && ticketIds.length <= CHUNK) q.whereNotIn('ticket_id', ticketIds);
          })
          .orderBy('id')
      : [];
    const mine = new Set(ticketIds);
    return {
      customers,
      identities,
      merges,
      tickets,
      messages: [...messages, ...elsewhere.filter((m: DbRecord) => !mine.has(Number(m.ticket_id)))],
      events,
      labelledExamples: labelled,
      privacyRequests: await db('privacy_requests').whereIn('customer_id', customerIds).orderBy('id'),
    };
  }

  /** Inbound messages from these addresses on tickets that are not in `ticketIds` (another customer's ticket they wrote on). */
  async messagesFromElsewhere(db: Conn, addresses: string[], ticketIds: number[]): Promise<number[]> {
    if (addresses.length === 0) return [];
    const mine = new Set(ticketIds);
    const rows = await db('messages').where('direction', 'in').whereIn('from_address', addresses).select('id', 'ticket_id');
    return rows.filter((r) => !mine.has(Number(r.ticket_id))).map((r) => Number(r.id));
  }

  /**
   * Removes the personal data of whole tickets: their messages (text, subject, addresses, meta,
   * attachments), the journal rows and outbox payloads behind them, events' free text, the dedupe
   * signature, LSH bands and order numbers, thread keys, the labelled example, the FAQ's unanswered
   * question they fed, an incident title quoting them; the ticket keeps its skeleton and figures and
   * gets `anonymised_at` and a fresh status-page token (old links show nothing). Returns the counts
   * and the attachment-store refs no other message uses any more (the caller deletes those files).
   */
  async anonymiseTickets(
    trx: Knex.Transaction,
    ticketIds: number[],
    opts: { at: number; cause: AnonymiseCause; personal?: readonly string[] },
  ): Promise<{ counts: AnonymiseCounts; unusedRefs: string[] }> {
    const counts: AnonymiseCounts = {
      tickets: 0,
      messages: 0,
      attachments: 0,
      journalRows: 0,
      outboxRows: 0,
      events: 0,
      labelledExamples: 0,
      dedupeRows: 0,
      faqQuestions: 0,
      incidentTitles: 0,
    };
    const refs = new Set<string>();
    ChunkReadAhead.of(trx)?.forgetAll();
    await inChunks(ticketIds, CHUNK, async (ids) => {
      // Other writers (the pipeline attaching a message) wait for this transaction, then see the skeleton.
      if (dialectOf(trx) === 'postgres') await trx('tickets').whereIn('id', ids).forUpdate().select('id');
      const messageIds = (await trx('messages').whereIn('ticket_id', ids).select('id')).map((r) => Number(r.id));
      const m = await this.anonymiseMessages(trx, messageIds, opts);
      for (const r of m.refs) refs.add(r);
      counts.messages += m.messages;
      counts.attachments += m.attachments;
      counts.journalRows += m.journalRows;
      counts.outboxRows += m.outboxRows;
      counts.faqQuestions += m.faqQuestions;
      counts.incidentTitles += await this.scrubIncidentTitles(trx, ids, m.texts);
      // Journal rows that made these tickets but no message (a rating or opt-out reply kept only as an event).
      counts.journalRows += await this.scrubJournal(trx, trx('intake_journal').whereIn('ticket_id', ids), opts.at);

      for (const e of await trx('ticket_events').whereIn('ticket_id', ids).whereNotIn('type', AUDIT_EVENT_TYPES).select('id', 'before', 'after')) {
        const before = e.before == null ? null : JSON.stringify(scrubEventPayload(JSON.parse(e.before), opts.personal));
        const after = e.after == null ? null : JSON.stringify(scrubEventPayload(JSON.parse(e.after), opts.personal));
        if (before !== e.before || after !== e.after) {
          await trx('ticket_events').where({ id: e.id }).update({ before, after });
          counts.events++;
        }
      }
      counts.labelledExamples += Number(await trx('labelled_examples').whereIn('ticket_id', ids).delete());
      counts.dedupeRows += Number(await trx('ticket_signatures').whereIn('ticket_id', ids).delete());
      counts.dedupeRows += Number(await trx('ticket_bands').whereIn('ticket_id', ids).delete());
      counts.dedupeRows += Number(await trx('ticket_orders').whereIn('ticket_id', ids).delete());
      await trx('ticket_threads').whereIn('ticket_id', ids).delete();
      // Webhook deliveries carry the ticket's events (a message's text, a rating's comment): the ones not yet
      // delivered are never sent, and every stored body is emptied (the delivery history keeps ids, types, statuses).
      await trx('webhook_deliveries')
        .whereIn('ticket_id', ids)
        .whereIn('status', ['pending', 'processing', 'dead'])
        .update({ status: 'cancelled', finished_at: opts.at, lease_until: null });
      await trx('webhook_deliveries')
        .whereIn('ticket_id', ids)
        .update({ payload: JSON.stringify({ erased: true }) });

      for (const t of await trx('tickets').whereIn('id', ids).select('id', 'understanding', 'last_message_at')) {
        await trx('tickets')
          .where({ id: t.id })
          .update({
            subject: null,
            csat_comment: null,
            understanding: skeletonOfUnderstanding(t.understanding),
            status_token: newStatusToken(),
            // Never before its last message (a channel's clock may run ahead): retention would take it again and again.
            anonymised_at: Math.max(opts.at, Number(t.last_message_at)),
          });
        counts.tickets++;
      }
    });
    return { counts, unusedRefs: await this.unusedRefs(trx, [...refs]) };
  }

  /**
   * Removes what the customer wrote or was sent in these messages, wherever they sit, with the journal
   * rows they came from and their outbox rows (a reply not sent yet is cancelled).
   */
  async anonymiseMessages(
    trx: Knex.Transaction,
    messageIds: number[],
    opts: { at: number; cause: AnonymiseCause },
  ): Promise<{ messages: number; attachments: number; journalRows: number; outboxRows: number; faqQuestions: number; refs: string[]; texts: string[] }> {
    const out = { messages: 0, attachments: 0, journalRows: 0, outboxRows: 0, faqQuestions: 0, refs: [] as string[], texts: [] as string[] };
    await inChunks(messageIds, CHUNK, async (ids) => {
      const rows = await trx('messages').whereIn('id', ids).select('id', 'journal_id', 'direction', 'text', 'attachments', 'meta');
      const journalIds: number[] = [];
      for (const r of rows) {
        let meta: Record<string, unknown> = {};
        try {
          meta = JSON.parse(r.meta ?? '{}');
        } catch {
          /* unreadable meta: nothing of it is kept */
        }
        if (meta.erased) continue;
        const refs = storedRefs(r.attachments);
        out.refs.push(...refs);
        const attachmentCount = (() => {
          try {
            const list = JSON.parse(r.attachments ?? '[]');
            return Array.isArray(list) ? list.length : 0;
          } catch {
            return 0;
          }
        })();
        out.attachments += attachmentCount;
        if (r.direction === 'in' && r.text) out.texts.push(r.text);
        if (r.journal_id != null) journalIds.push(Number(r.journal_id));
        await trx('messages')
          .where({ id: r.id })
          .update({
            text: '',
            subject: null,
            from_address: null,
            to_address: null,
            attachments: '[]',
            meta: JSON.stringify({ erased: { at: opts.at, cause: opts.cause, attachments: attachmentCount } }),
          });
        out.messages++;
      }
      out.faqQuestions += await this.scrubUnanswered(trx, out.texts);
      if (journalIds.length > 0) out.journalRows += await this.scrubJournal(trx, trx('intake_journal').whereIn('id', journalIds), opts.at);
      // A reply still waiting is cancelled (its payload is gone); a sent one keeps its row for delivery receipts.
      out.outboxRows += Number(
        await trx('outbox')
          .whereIn('message_id', ids)
          .update({
            payload: JSON.stringify({ erased: true }),
            last_error: null,
            status: trx.raw(`CASE WHEN status IN ('pending', 'processing') THEN 'failed' ELSE status END`),
          }),
      );
    });
    return out;
  }

  /**
   * Empties the payload of journal rows (keeping channel, external id, status and ticket): a
   * re-delivery of the same provider message stays a duplicate, and nothing can be processed from them.
   * A row not processed yet is marked done, so no worker makes a ticket of it.
   */
  async scrubJournal(trx: Knex.Transaction, rows: Knex.QueryBuilder, at: number): Promise<number> {
    return Number(
      await rows.whereNot('payload', JSON.stringify({ erased: at })).update({
        payload: JSON.stringify({ erased: at }),
        last_error: null,
        status: 'done',
        lease_until: null,
      }),
    );
  }

  /** Journal rows not processed (pending, in a worker's hands, or parked as failed), with their payloads. */
  async unfinishedJournal(db: Conn): Promise<Array<{ id: number; channel: string; payload: unknown }>> {
    const rows = await db('intake_journal').whereIn('status', ['pending', 'processing', 'failed']).select('id', 'channel', 'payload');
    return rows.map((r) => {
      let payload: unknown;
      try {
        payload = JSON.parse(r.payload);
      } catch {
        payload = undefined;
      }
      return { id: Number(r.id), channel: r.channel, payload };
    });
  }

  /** FAQ questions nobody answered that were these texts (the list leads read): removed. */
  private async scrubUnanswered(trx: Knex.Transaction, texts: string[]): Promise<number> {
    if (texts.length === 0) return 0;
    const keys = [...new Set(texts.map(unansweredKey).filter(Boolean))];
    const samples = [...new Set(texts.map((t) => t.slice(0, 500)))];
    let n = 0;
    await inChunks(keys, CHUNK, async (k) => void (n += Number(await trx('faq_unanswered').whereIn('question', k).delete())));
    await inChunks(samples, CHUNK, async (s) => void (n += Number(await trx('faq_unanswered').whereIn('sample', s).delete())));
    return n;
  }

  /** An incident titled with the start of one of these texts (the surge's first message) gets a neutral title. */
  private async scrubIncidentTitles(trx: Knex.Transaction, ticketIds: number[], texts: string[]): Promise<number> {
    const incidentIds = (await trx('tickets').whereIn('id', ticketIds).whereNotNull('incident_id').distinct('incident_id')).map((r) => Number(r.incident_id));
    if (incidentIds.length === 0 || texts.length === 0) return 0;
    const starts = texts.map((t) => t.replace(/\s+/g, ' ').slice(0, 60)).filter((s) => s.trim().length > 0);
    let n = 0;
    for (const i of await trx('incidents').whereIn('id', incidentIds).select('id', 'title', 'category')) {
      if (starts.some((s) => String(i.title).includes(s))) {
        await trx('incidents')
          .where({ id: i.id })
          .update({ title: `${i.category ?? 'OTHER'}: ${ERASED}` });
        n++;
      }
    }
    return n;
  }

  /** Of these attachment-store refs, the ones no message refers to any more (their files can go). */
  async unusedRefs(db: Conn, refs: string[]): Promise<string[]> {
    const used = new Set<string>();
    // The same bytes sent by someone else are stored once: their message keeps the file. One pass over
    // the messages holding any of a slice of refs (a scan, but only of messages with stored attachments).
    await inChunks([...new Set(refs)], 50, async (chunk) => {
      const rows = await db('messages')
        .where((q) => {
          for (const ref of chunk) q.orWhereRaw(`attachments like ? escape '\\'`, [`%${escapeLike(ref)}%`]);
        })
        .select('attachments');
      for (const r of rows) for (const ref of storedRefs(r.attachments)) used.add(ref);
    });
    return [...new Set(refs)].filter((r) => !used.has(r));
  }

  /**
   * The customer-level part of an erasure: identities deleted, names removed, the reasons of their
   * merges (which quote the linking evidence) replaced, and adapter state naming them (an SMS opt-out
   * keyed by phone, a WeChat follower's last interaction, a chat's conversation reference) deleted.
   */
  async eraseCustomers(
    trx: Knex.Transaction,
    customerIds: number[],
    personal: readonly string[],
    at: number,
  ): Promise<{ identities: number; adapterState: number }> {
    ChunkReadAhead.of(trx)?.forgetAll();
    const identities = Number(await trx('customer_identities').whereIn('customer_id', customerIds).delete());
    await trx('customers').whereIn('id', customerIds).update({ display_name: null, erased_at: at, updated_at: at });
    await trx('customer_merges')
      .where((q) => q.whereIn('source_customer_id', customerIds).orWhereIn('target_customer_id', customerIds))
      .update({ reason: ERASED });
    let adapterState = 0;
    // Short strings (a one-letter chat id) would match unrelated keys: they are not looked for.
    const needles = [...new Set(personal)].filter((p) => p.length >= 4);
    await inChunks(needles, 50, async (chunk) => {
      adapterState += Number(
        await trx('kv_state')
          .where((q) => {
            for (const p of chunk)
              q.orWhereRaw(`"key" like ? escape '\\'`, [`%${escapeLike(p)}%`]).orWhereRaw(`"value" like ? escape '\\'`, [`%${escapeLike(p)}%`]);
          })
          .delete(),
      );
    });
    return { identities, adapterState };
  }

  /** The audit record of an export or erasure: who, when, why, and what it covered (counts only). */
  async record(
    db: Conn,
    r: { kind: 'export' | 'erase'; customerId: number; actor: string; reason?: string | null; summary: Record<string, unknown>; at: number },
  ): Promise<number> {
    const [row] = await db('privacy_requests')
      .insert({ kind: r.kind, customer_id: r.customerId, actor: r.actor, reason: r.reason ?? null, summary: JSON.stringify(r.summary), created_at: r.at })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /**
   * Finished tickets (closed, or resolved and never closed) whose text the retention rules say must
   * go at `now`: finished before their category's cutoff, and not anonymised since their last message.
   * Oldest first, at most `limit`.
   */
  async retentionDue(db: Conn, cutoffs: { fallback: number; byCategory: Record<string, number> }, limit: number, afterId = 0): Promise<RetentionCandidate[]> {
    const categories = Object.keys(cutoffs.byCategory);
    const latest = Math.max(cutoffs.fallback, ...Object.values(cutoffs.byCategory));
    const finishedBefore = (q: Knex.QueryBuilder, cutoff: number) =>
      q
        .where((w) => w.where('status', 'closed').where('closed_at', '<', cutoff))
        .orWhere((w) => w.where('status', 'resolved').where('resolved_at', '<', cutoff));
    const rows = await db('tickets')
      // The indexed range first: nothing finished after the latest cutoff can be due.
      .where((q) => finishedBefore(q, latest))
      .where((q) => {
        q.where((w) => w.where((c) => c.whereNotIn('category', categories).orWhereNull('category')).where((f) => finishedBefore(f, cutoffs.fallback)));
        for (const [category, cutoff] of Object.entries(cutoffs.byCategory))
          q.orWhere((w) => w.where('category', category).where((f) => finishedBefore(f, cutoff)));
      })
      .where((q) => q.whereNull('anonymised_at').orWhereRaw('last_message_at > anonymised_at'))
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .select('id', 'number', 'category', 'status', 'closed_at', 'resolved_at');
    return rows.map((r) => ({
      id: Number(r.id),
      number: r.number,
      category: r.category ?? null,
      status: r.status,
      finishedAt: Number(r.status === 'closed' ? r.closed_at : r.resolved_at),
    }));
  }
}

/** The key the pipeline counts an unanswered FAQ question under (gateway/pipeline/persist.ts). */
export function unansweredKey(text: string): string {
  return text.slice(0, 1000).normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200);
}

type DbRecord = Record<string, any>;

export interface ExportRows {
  customers: DbRecord[];
  identities: DbRecord[];
  merges: DbRecord[];
  tickets: DbRecord[];
  messages: DbRecord[];
  events: DbRecord[];
  labelledExamples: DbRecord[];
  privacyRequests: DbRecord[];
}

export interface RetentionCandidate {
  id: number;
  number: string;
  category: string | null;
  status: string;
  finishedAt: number;
}
