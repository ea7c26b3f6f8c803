import { Router } from 'express';
import { z } from 'zod';
import type { AuditStore } from '../../storage/audit.store.js';
import type { CustomerStore } from '../../storage/customer.store.js';
import type { Db } from '../../storage/db.js';
import type { TicketStore } from '../../storage/ticket.store.js';
import { NotFoundError } from '../errors.js';
import type { TicketService } from '../ticket-service.js';
import { configActor, type Authenticator } from './auth.js';
import { recordId } from './input-guards.js';
import { parseInput } from './parse-input.js';
import { ticketDetail } from './serialize.js';

export const revealBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional().describe('why the full values are needed (kept in the audit trail)') })
  .strict();

/**
 * The full contact details behind what an agent sees masked, as an explicit, audited action (issue 23 item 3):
 * POST /api/v1/tickets/:id/reveal answers the ticket as GET does but with phone numbers and e-mail addresses in
 * full (identities, addresses, message text, notes, events), POST /api/v1/customers/:id/reveal the customer's
 * identities in full. Each writes a `contact.revealed` entry to the audit trail (who, when, which ticket or
 * customer, why): never the values themselves. Agents and leads (and admins); finance, who sees no message text,
 * may not.
 */
export function contactRevealRoutes(deps: {
  auth: Authenticator;
  db: Db;
  tickets: TicketStore;
  customers: CustomerStore;
  service: TicketService;
  audit: AuditStore;
}): Router {
  const router = Router();
  const revealers = deps.auth.require('agent', 'lead');

  router.post('/api/v1/tickets/:id/reveal', revealers, async (req, res, next) => {
    try {
      const body = parseInput(revealBody, req.body ?? {}, 'reveal');
      const t = await deps.service.find(req.params.id as string);
      const [messages, events, customer] = await Promise.all([
        deps.tickets.messages(deps.db, t.id),
        deps.tickets.events(deps.db, t.id),
        deps.customers.get(deps.db, t.customerId),
      ]);
      const p = req.principal!;
      await deps.audit.record(deps.db, {
        actor: configActor(p),
        role: p.role,
        action: 'contact.revealed',
        ticketId: t.id,
        customerId: t.customerId,
        detail: {
          of: 'ticket',
          ticket: t.number,
          identities: customer?.identities.length ?? 0,
          messages: messages.length,
          ...(body.reason ? { reason: body.reason } : {}),
        },
      });
      res.set('Cache-Control', 'no-store').json(ticketDetail(t, messages, events, customer, deps.auth.viewOf(p).revealed()));
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/customers/:id/reveal', revealers, async (req, res, next) => {
    try {
      const body = parseInput(revealBody, req.body ?? {}, 'reveal');
      const id = await deps.customers.resolveMerged(deps.db, recordId(req.params.id, 'customer'));
      const customer = await deps.customers.get(deps.db, id);
      if (!customer) throw new NotFoundError(`customer ${req.params.id} does not exist`);
      const p = req.principal!;
      await deps.audit.record(deps.db, {
        actor: configActor(p),
        role: p.role,
        action: 'contact.revealed',
        customerId: id,
        detail: { of: 'customer', identities: customer.identities.length, ...(body.reason ? { reason: body.reason } : {}) },
      });
      res.set('Cache-Control', 'no-store').json({ id: customer.id, displayName: customer.displayName, identities: customer.identities });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
