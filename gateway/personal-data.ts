import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Logger } from 'pino';
import { pack as tarPack } from 'tar-stream';
import type { Clock } from '../contracts/clock.js';
import type { ChannelId } from '../contracts/channel-ids.js';
import { AttachmentFiles } from '../storage/attachment-files.js';
import type { CustomerStore } from '../storage/customer.store.js';
import type { Db } from '../storage/db.js';
import { type AnonymiseCause, type AnonymiseCounts, PersonalDataStore } from '../storage/personal-data.store.js';
import type { TicketStore } from '../storage/ticket.store.js';
import { NotFoundError } from './errors.js';
import { identityOf } from './identity.js';

export interface PersonalDataDeps {
  db: Db;
  store: PersonalDataStore;
  customers: CustomerStore;
  tickets: TicketStore;
  files: AttachmentFiles;
  clock: Clock;
  log: Logger;
}

/** What an erasure did, in counts: the answer of the API and CLI, and the audit record's summary. */
export interface ErasureReport {
  requestId: number;
  customerId: number;
  /** The customers erased: the one asked for and every customer merged into it. */
  customerIds: number[];
  erasedAt: string;
  identities: number;
  adapterState: number;
  filesDeleted: number;
  counts: AnonymiseCounts;
}

/** One customer's export: the archive (a gzipped tar, streamed) and what it holds. */
export interface CustomerExport {
  customerId: number;
  fileName: string;
  summary: { tickets: number; messages: number; events: number; identities: number; attachments: number; attachmentsMissing: number };
  archive: Readable;
}

/** Columns that hold JSON text in the database; an export shows them as JSON, not as strings. */
const JSON_COLUMNS = new Set(['attachments', 'meta', 'tags', 'understanding', 'sla', 'before', 'after', 'moved', 'summary']);
/** Columns an export leaves out: the status page's access token is a key, not data about the person. */
const SECRET_COLUMNS = new Set(['status_token']);

/** A stored row as an export shows it: camelCase names, JSON parsed, times as ISO-8601. */
function exported(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (SECRET_COLUMNS.has(column)) continue;
    const key = column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (value != null && JSON_COLUMNS.has(column) && typeof value === 'string') {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        /* not JSON after all: shown as stored */
      }
    }
    out[key] = value != null && /_at$/.test(column) && Number.isFinite(Number(value)) ? new Date(Number(value)).toISOString() : value;
  }
  return out;
}

/** A file name safe inside an archive (no directories, no control characters), keeping its extension. */
function safeName(name: unknown, fallback: string): string {
  const s = typeof name === 'string' ? name.replace(/[\\/\p{Cc}]/gu, '_').trim() : '';
  return (s || fallback).slice(0, 120);
}

const README = `This archive holds the personal data the complaint gateway keeps about one customer.

export.json   the customer, their identities (e-mail, phone, WeChat id, chat id, order numbers), merges,
              every ticket with its messages (sent and received, every channel) and events (the audit
              trail, internal notes included), messages they wrote on other tickets, labelled examples
              made from their text, and the record of earlier exports and erasures.
attachments/  the files they sent that the gateway keeps, named <message id>-<n>-<file name>; each
              message's "attachments" list in export.json names its file in "exportedAs".

本压缩包包含投诉网关保存的该客户的全部个人数据：export.json 为客户资料、身份、工单、消息与事件记录；
attachments/ 为客户发送且由网关保存的附件文件。
`;

/**
 * Data subject rights (PIPL art. 45/47, GDPR art. 15/17/20): one customer's data exported as an
 * archive, or erased. An erasure removes the personal data of every ticket of the customer (and of
 * customers merged into them) and of what they wrote elsewhere, deletes their identities, adapter
 * state and attachment files, and keeps the tickets' skeletons so reports still count them. Both
 * leave an audit record (privacy_requests, and an event on each erased ticket).
 */
export class PersonalData {
  constructor(private readonly deps: PersonalDataDeps) {}

  /** The customer an id names (following merges), or a 404 saying so. */
  private async resolve(requested: number): Promise<number> {
    const id = await this.deps.customers.resolveMerged(this.deps.db, requested);
    if ((await this.deps.store.erasedAt(this.deps.db, id)) === undefined) throw new NotFoundError(`customer ${requested} does not exist`);
    return id;
  }

  /** Everything stored about the customer, as `export.json` + attachment files in a .tar.gz stream. */
  async export(requested: number, actor: string): Promise<CustomerExport> {
    const { db, store, files } = this.deps;
    const customerId = await this.resolve(requested);
    const family = await store.family(db, customerId);
    const rows = await store.exportRows(db, family);
    const at = this.deps.clock.now();

    const entries: Array<{ name: string; data: Buffer }> = [];
    let attachments = 0;
    let attachmentsMissing = 0;
    const messages: Array<Record<string, unknown>> = [];
    for (const row of rows.messages) {
      const m = exported(row);
      const list = Array.isArray(m.attachments) ? (m.attachments as Array<Record<string, unknown>>) : [];
      const shown = [];
      for (const [i, a] of list.entries()) {
        const name = `attachments/${row.id}-${i + 1}-${safeName(a.name, `attachment-${i + 1}`)}`;
        const ref = typeof a.ref === 'string' ? a.ref : '';
        const inline = /^data:[^;,]*;base64,(.*)$/s.exec(ref);
        let data: Buffer | undefined;
        if (AttachmentFiles.isStoredRef(ref)) {
          const file = await files.open(ref);
          if (file) data = await streamToBuffer(file.stream);
        } else if (inline) data = Buffer.from(inline[1]!, 'base64');
        if (data) {
          entries.push({ name, data });
          attachments++;
          shown.push({ ...a, exportedAs: name });
        } else {
          // A provider's link (Twilio media, WeChat media id) or a file no longer on disk: named, not included.
          if (AttachmentFiles.isStoredRef(ref)) attachmentsMissing++;
          shown.push(a);
        }
      }
      messages.push({ ...m, attachments: shown });
    }
    const byTicket = (list: Array<Record<string, unknown>>, id: unknown) => list.filter((x) => x.ticketId === id);
    const allEvents = rows.events.map(exported);
    const ticketIds = new Set(rows.tickets.map((t) => Number(t.id)));
    const document = {
      format: 'complaint-gateway customer export, version 1',
      exportedAt: new Date(at).toISOString(),
      customerId,
      ...(requested !== customerId ? { requestedId: requested } : {}),
      customers: rows.customers.map(exported),
      identities: rows.identities.map(exported),
      merges: rows.merges.map(exported),
      tickets: rows.tickets.map((t) => {
        const ticket = exported(t);
        return { ...ticket, messages: byTicket(messages, ticket.id), events: byTicket(allEvents, ticket.id) };
      }),
      messagesOnOtherTickets: messages.filter((m) => !ticketIds.has(Number(m.ticketId))),
      labelledExamples: rows.labelledExamples.map(exported),
      privacyRequests: rows.privacyRequests.map(exported),
    };
    const summary = {
      tickets: rows.tickets.length,
      messages: rows.messages.length,
      events: rows.events.length,
      identities: rows.identities.length,
      attachments,
      attachmentsMissing,
    };
    await store.record(db, { kind: 'export', customerId, actor, summary, at });
    this.deps.log.info({ customerId, actor, ...summary }, 'customer data exported');

    const archive = tarPack();
    const mtime = new Date(at);
    archive.entry({ name: 'README.txt', mtime }, README);
    archive.entry({ name: 'export.json', mtime }, `${JSON.stringify(document, null, 2)}\n`);
    for (const e of entries) archive.entry({ name: e.name, mtime }, e.data);
    archive.finalize();
    return {
      customerId,
      fileName: `customer-${customerId}-export-${mtime.toISOString().slice(0, 10)}.tar.gz`,
      summary,
      archive: Readable.from(archive).pipe(createGzip()),
    };
  }

  /**
   * Erases the customer's personal data (and that of customers merged into them): irreversible.
   * Re-running it on an erased customer is harmless (it finds nothing more, or what came since).
   */
  async erase(requested: number, actor: string, reason: string): Promise<ErasureReport> {
    const { db, store, files } = this.deps;
    const customerId = await this.resolve(requested);
    const at = this.deps.clock.now();
    const report = await store.withSecureDelete(db, () =>
      db.transaction(async (trx) => {
        const family = await store.family(trx, customerId);
        const ticketIds = await store.ticketIdsOf(trx, family);
        const identities = await trx('customer_identities').whereIn('customer_id', family).select('kind', 'value');
        const names = (await trx('customers').whereIn('id', family).whereNotNull('display_name').select('display_name')).map((r) => String(r.display_name));
        // The addresses as the channels gave them (a phone without +86, an e-mail in capitals), names from headers, chat threads.
        const inbound = ticketIds.length
          ? await trx('messages').whereIn('ticket_id', ticketIds.slice(0, 5000)).where('direction', 'in').select('from_address', 'meta')
          : [];
        const addresses = new Set<string>(identities.filter((i) => i.kind !== 'order').map((i) => String(i.value)));
        for (const m of inbound) {
          if (m.from_address) addresses.add(String(m.from_address));
          const fromName = safeJson(m.meta).fromName;
          if (typeof fromName === 'string' && fromName.trim()) names.push(fromName.trim());
        }
        const threads = ticketIds.length
          ? (await trx('ticket_threads').whereIn('ticket_id', ticketIds.slice(0, 5000)).select('thread_key')).map((r) => String(r.thread_key))
          : [];
        const personal = [...addresses, ...names, ...identities.map((i) => String(i.value))].filter((p) => p.length >= 3);

        const tickets = await store.anonymiseTickets(trx, ticketIds, { at, cause: 'erasure', personal });
        const counts = tickets.counts;
        const refs = [...tickets.unusedRefs];
        // What they wrote on someone else's ticket (quoting its number from their address).
        const elsewhere = await store.anonymiseMessages(trx, await store.messagesFromElsewhere(trx, [...addresses], ticketIds), { at, cause: 'erasure' });
        counts.messages += elsewhere.messages;
        counts.attachments += elsewhere.attachments;
        counts.journalRows += elsewhere.journalRows;
        counts.outboxRows += elsewhere.outboxRows;
        counts.faqQuestions += elsewhere.faqQuestions;
        refs.push(...(await store.unusedRefs(trx, elsewhere.refs)));
        // Messages of theirs the pipeline has not made into tickets yet: never processed now.
        const known = new Set([...addresses].map((a) => a.toLowerCase()));
        const pending = (await store.unfinishedJournal(trx)).filter((row) => {
          const address = (row.payload as { from?: { address?: unknown } } | undefined)?.from?.address;
          if (typeof address !== 'string') return false;
          return known.has(address.toLowerCase()) || known.has(identityOf(row.channel as ChannelId, address).value.toLowerCase());
        });
        if (pending.length > 0)
          counts.journalRows += await store.scrubJournal(
            trx,
            trx('intake_journal').whereIn(
              'id',
              pending.map((p) => p.id),
            ),
            at,
          );
        const customer = await store.eraseCustomers(trx, family, [...personal, ...threads], at);

        const summary = { customerIds: family, ...counts, identities: customer.identities, adapterState: customer.adapterState };
        const requestId = await store.record(trx, { kind: 'erase', customerId, actor, reason, summary: { ...summary, filesDeleted: refs.length }, at });
        for (const ticketId of ticketIds) {
          await this.deps.tickets.addEvent(trx, { ticketId, actor, type: 'personal_data_erased', before: null, after: { requestId, reason, customerId } }, at);
        }
        // Deleted before the commit: if the commit failed, the files would be gone and the erasure is simply run again.
        let filesDeleted = 0;
        for (const ref of refs) if (await files.delete(ref)) filesDeleted++;
        return {
          requestId,
          customerId,
          customerIds: family,
          erasedAt: new Date(at).toISOString(),
          identities: customer.identities,
          adapterState: customer.adapterState,
          filesDeleted,
          counts,
        };
      }),
    );
    this.deps.log.info({ customerId, requestId: report.requestId, tickets: report.counts.tickets, messages: report.counts.messages }, 'customer erased');
    return report;
  }

  /**
   * Removes the personal data of finished tickets whose retention period ran out, the way an erasure
   * does for each ticket (the customer and their identities stay: they may have other tickets).
   */
  async anonymiseTickets(
    ticketIds: number[],
    cause: AnonymiseCause,
    event: (ticketId: number) => Record<string, unknown>,
    at = this.deps.clock.now(),
  ): Promise<AnonymiseCounts & { filesDeleted: number }> {
    const { db, store, files } = this.deps;
    return store.withSecureDelete(db, () =>
      db.transaction(async (trx) => {
        const { counts, unusedRefs } = await store.anonymiseTickets(trx, ticketIds, { at, cause });
        for (const ticketId of ticketIds)
          await this.deps.tickets.addEvent(trx, { ticketId, actor: cause, type: 'retention_anonymised', before: null, after: event(ticketId) }, at);
        let filesDeleted = 0;
        for (const ref of unusedRefs) if (await files.delete(ref)) filesDeleted++;
        return { ...counts, filesDeleted };
      }),
    );
  }
}

function safeJson(text: unknown): Record<string, unknown> {
  try {
    const v = JSON.parse(String(text ?? '{}'));
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
