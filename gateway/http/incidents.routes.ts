import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../storage/db.js';
import type { Incident, IncidentStore } from '../../storage/incident.store.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import { ConflictError, NotFoundError, BadRequestError } from '../errors.js';
import { templateLanguage } from '../reply-target.js';
import type { TicketService } from '../ticket-service.js';
import type { Authenticator } from './auth.js';
import type { FieldMask } from './contact-view.js';
import { recordId } from './input-guards.js';
import { parseInput } from './parse-input.js';
import { ticketSummary } from './serialize.js';

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

/**
 * An incident as the asker may see it: its title may quote the first 60 characters of a complaint, so contact
 * details in it are masked as in message text, and a cut-off run of digits or an address at its end is dropped
 * (half a phone number is not recognised as one).
 */
function incidentJson(i: Incident, mask: FieldMask) {
  return {
    id: i.id,
    title: mask.full ? i.title : (mask.words(i.title.replace(/[\w.%+@()-]*[\d@][\w.%+@()-]*$/, '').trimEnd()) ?? ''),
    category: i.category,
    severity: i.severity,
    ticketCount: i.ticketCount,
    firstSeenAt: iso(i.firstSeenAt),
    lastSeenAt: iso(i.lastSeenAt),
    status: i.status,
    resolvedAt: iso(i.resolvedAt),
  };
}

/** GET /api/v1/incidents: `status` (open or resolved) and `limit` (1–200, default 50). */
export const incidentsQuery = z.object({ status: z.enum(['open', 'resolved']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const resolveBody = z
  .object({
    notifyCustomers: z.boolean().default(false),
    // Optional custom texts; {ticketNumber} is filled in per customer.
    message: z
      .object({ zh: z.string().min(1).max(2000).optional(), en: z.string().min(1).max(2000).optional() })
      .strict()
      .optional(),
    resolveTickets: z.boolean().default(true),
  })
  .strict();

/** Incidents (surges): list, read with member tickets, resolve — optionally telling every customer on their own channel. */
export function incidentsRoutes(deps: {
  auth: Authenticator;
  db: Db;
  incidents: IncidentStore;
  tickets: TicketStore;
  service: TicketService;
  templates: () => { zh: string; en: string };
}): Router {
  const router = Router();
  const readers = deps.auth.require('agent', 'lead', 'finance');

  router.get('/api/v1/incidents', readers, async (req, res, next) => {
    try {
      const q = parseInput(incidentsQuery, req.query, 'query');
      const items = await deps.incidents.list(deps.db, { status: q.status, limit: q.limit });
      const mask = deps.auth.viewOf(req.principal!).on();
      res.json({ items: items.map((i) => incidentJson(i, mask)) });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/incidents/:id', readers, async (req, res, next) => {
    try {
      const incident = await deps.incidents.get(deps.db, recordId(req.params.id, 'incident'));
      if (!incident) throw new NotFoundError(`incident ${req.params.id} does not exist`);
      const tickets = await deps
        .db('tickets as t')
        .join('customers as c', 'c.id', 't.customer_id')
        .where({ 't.incident_id': incident.id })
        .orderBy('t.id')
        .select('t.id', 'c.display_name');
      const names = new Map(tickets.map((t) => [Number(t.id), (t.display_name as string | null) ?? null]));
      const members = (await Promise.all(tickets.map((t) => deps.tickets.get(deps.db, Number(t.id))))).filter((t) => t !== undefined);
      // What the board shows beside the list: how many complaints came in on each channel.
      const channels: Record<string, number> = {};
      for (const t of members) for (const c of t.channels) channels[c] = (channels[c] ?? 0) + 1;
      res.json({
        ...incidentJson(incident, deps.auth.viewOf(req.principal!).on()),
        channels,
        customers: new Set(members.map((t) => t.customerId)).size,
        tickets: members.map((t) => ({ ...ticketSummary(t, deps.auth.viewOf(req.principal!).on(t.queue)), customerName: names.get(t.id) ?? null })),
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/incidents/:id/resolve', deps.auth.require('lead'), async (req, res, next) => {
    try {
      const body = resolveBody.safeParse(req.body ?? {});
      if (!body.success) throw new BadRequestError(`invalid request: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const incident = await deps.incidents.get(deps.db, recordId(req.params.id, 'incident'));
      if (!incident) throw new NotFoundError(`incident ${req.params.id} does not exist`);
      if (incident.status === 'resolved') throw new ConflictError(`incident ${incident.id} is already resolved`);
      await deps.incidents.resolve(deps.db, incident.id, Date.now());
      const actor = `agent:${req.principal!.name}`;
      const members = (await deps
        .db('tickets')
        .where({ incident_id: incident.id })
        .whereNot('status', 'closed')
        .select('id', 'number', 'language', 'status')) as Array<{ id: number; number: string; language: string | null; status: string }>;
      let notified = 0;
      for (const t of members) {
        if (body.data.notifyCustomers) {
          const lang = templateLanguage(t.language);
          const template = body.data.message?.[lang] ?? deps.templates()[lang];
          await deps.service.reply(String(t.id), { text: template.replaceAll('{ticketNumber}', t.number) }, actor);
          notified++;
        }
        // The incident message (or the lead's choice not to send one) is what the customer hears: no second, per-ticket one.
        if (body.data.resolveTickets && t.status !== 'resolved')
          await deps.service.patch(String(t.id), { status: 'resolved' }, actor, { notifyCustomer: false });
      }
      res.json({ ...incidentJson((await deps.incidents.get(deps.db, incident.id))!, deps.auth.viewOf(req.principal!).on()), notified });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
