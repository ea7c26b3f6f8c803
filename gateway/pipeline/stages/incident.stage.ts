import { detectSurge, type SurgeTicket } from '../../../nlp/incident/surge-detector.js';
import { dialectOf, type Db } from '../../../storage/db.js';
import { IncidentStore } from '../../../storage/incident.store.js';
import { SimilarityStore } from '../../../storage/similarity.store.js';
import { TicketStore } from '../../../storage/ticket.store.js';
import type { Stage } from '../context.js';
import { RecentBands } from '../recent-bands.js';

export interface IncidentSettings {
  enabled: boolean;
  minTickets: number;
  windowMinutes: number;
  threshold: number;
  /** Member tickets' severity is raised to at least this (1 = urgent). */
  severity: number;
  /** Member tickets move to this queue (crisis handling). */
  queue: string;
}

const NEW = -1;
/** Advisory lock key for surge detection (any constant unique to this use). */
const SURGE_LOCK = 0x5_17_6e;
/**
 * The transactions (or savepoints) that hold the surge lock: taken again, it cost every new ticket of a chunk a
 * statement (a round trip and a socket write; 1,000 of 10,938 statements in a drain that opened 1,000 tickets).
 */
const holdingSurgeLock = new WeakSet<object>();

/**
 * Surges: when this complaint makes N tickets from different customers in the window
 * with the same category and similar text, they become one incident. Candidates come
 * from the LSH band index, never a scan. Members get the incident's severity and the
 * crisis queue; the new ticket is linked when it is stored.
 */
export function incidentStage(
  settings: () => IncidentSettings,
  stores = { similarity: new SimilarityStore(), incidents: new IncidentStore(), tickets: new TicketStore() },
): Stage {
  return {
    name: 'incident',
    async run(ctx, next) {
      const s = settings();
      const u = ctx.understanding;
      if (!s.enabled || !ctx.signature || !u || ctx.customerId === undefined) return next();
      const windowMs = s.windowMinutes * 60_000;
      const newTicket: SurgeTicket<number> = { id: NEW, customerId: ctx.customerId, category: u.category, createdAt: ctx.now, signature: ctx.signature };
      const postgres = dialectOf(ctx.trx as unknown as Db) === 'postgres';
      const look = async () => {
        const since = ctx.now - windowMs;
        // Recent tickets' bands are in memory (recent-bands.ts), brought up to what other writers committed.
        const ids = await RecentBands.of(ctx.trx).sharing(ctx.trx, ctx.signature!.bands, since, since - windowMs);
        const recent = await stores.similarity.lookAlikes(ctx.trx, ids, { category: u.category });
        const pool: Array<SurgeTicket<number>> = recent.map((t) => ({
          id: t.ticketId,
          customerId: t.customerId,
          category: t.category ?? 'OTHER',
          createdAt: t.createdAt,
          signature: t.signature,
        }));
        const surge = detectSurge(pool, newTicket, { minTickets: s.minTickets, windowMs, threshold: s.threshold });
        const members = surge ? surge.members.filter((id) => id !== NEW) : [];
        const existing = recent.find((t) => members.includes(t.ticketId) && t.incidentId !== null)?.incidentId ?? undefined;
        return { recent, surge, members, existing };
      };
      // Pipeline transactions side by side on PostgreSQL (lanes, processes) cannot see each other's uncommitted
      // tickets: one surge could split into two incidents, or reach its threshold unseen. So surge detection
      // reads its candidates under a lock held until the commit, by one transaction at a time.
      // - Alone (one lane, no other process at work), the lock is taken first and kept for the rest of the
      //   chunk: nobody waits for it.
      // - Side by side, kept for a chunk it made transactions that open tickets take turns (two processes
      //   drained no faster than one). A new ticket with look-alike candidates takes it, unless it only joins
      //   an incident every member of its surge is already in; it reads them again under it (every earlier
      //   holder has committed), and its transaction commits right after this message (ctx.endTransaction). A
      //   ticket with no candidate at all takes no lock: reports of one surge that all arrive at once, each
      //   unseen by the others, are gathered by the next report with look-alikes, and a surge that reaches its
      //   threshold that way opens only with that report.
      const lockSurges = async () => {
        if (holdingSurgeLock.has(ctx.trx)) return;
        await ctx.trx.raw('SELECT pg_advisory_xact_lock(?)', [SURGE_LOCK]);
        holdingSurgeLock.add(ctx.trx);
      };
      if (postgres && !ctx.sideBySide) await lockSurges();
      let found = await look();
      const joinsAsIs = ({ existing, members, recent }: typeof found) =>
        existing !== undefined && members.every((id) => recent.find((t) => t.ticketId === id)?.incidentId === existing);
      if (postgres && ctx.sideBySide && found.recent.length > 0 && !joinsAsIs(found)) {
        await lockSurges();
        ctx.endTransaction = true;
        found = await look();
      }
      if (!found.surge) return next();
      const { recent, members, existing } = found;
      const surge = found.surge;
      const incidentId =
        existing ??
        (await stores.incidents.create(
          ctx.trx,
          {
            title: incidentTitle(u.category, surge.symptoms, ctx.message.text),
            category: u.category,
            severity: s.severity,
            firstSeenAt: Math.min(...recent.filter((t) => members.includes(t.ticketId)).map((t) => t.createdAt)),
            lastSeenAt: ctx.now,
          },
          ctx.now,
        ));
      for (const id of members) {
        const t = recent.find((r) => r.ticketId === id)!;
        if (t.incidentId === incidentId) continue;
        // The member's row stays locked until the commit.
        if (postgres && ctx.sideBySide) ctx.endTransaction = true;
        const before = await stores.tickets.get(ctx.trx, id);
        await stores.tickets.update(
          ctx.trx,
          id,
          { incidentId, queue: s.queue, ...(before && (before.severity ?? 4) > s.severity ? { severity: s.severity } : {}) },
          'incident',
          ctx.now,
          before,
        );
        await stores.tickets.addEvent(
          ctx.trx,
          { ticketId: id, actor: 'incident', type: 'incident_linked', before: null, after: { incidentId, customers: surge.customers } },
          ctx.now,
        );
      }
      ctx.incidentId = incidentId;
      ctx.understanding = { ...u, severity: Math.min(u.severity, s.severity) };
      ctx.tags.push('incident');
      ctx.log.warn(
        { incidentId, members: surge.members.length, customers: surge.customers, category: u.category },
        'surge detected: tickets linked to an incident',
      );
      await next();
    },
  };
}

function incidentTitle(category: string, symptoms: string[], text: string): string {
  const what = symptoms.length > 0 ? symptoms.join(', ') : text.replace(/\s+/g, ' ').slice(0, 60);
  return `${category}: ${what}`;
}
