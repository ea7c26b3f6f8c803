import { Router } from 'express';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../contracts/channel-ids.js';
import type { CustomerStore } from '../../storage/customer.store.js';
import type { Db } from '../../storage/db.js';
import { TICKET_STATUSES, type TicketStore } from '../../storage/ticket.store.js';
import { BadRequestError } from '../errors.js';
import type { TicketService } from '../ticket-service.js';
import type { Authenticator } from './auth.js';
import { ticketDetail, ticketSummary } from './serialize.js';

export const replyBody = z
  .object({ text: z.string().trim().min(1, 'text is required').max(20_000), html: z.string().max(200_000).optional(), channel: z.enum(CHANNEL_IDS).optional() })
  .strict();

export const patchBody = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    assignee: z.string().min(1).max(128).nullable().optional(),
    queue: z.string().min(1).max(64).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    // Checked against the active categories.yaml by the ticket service (the codes change on reload).
    category: z.string().trim().min(1).max(16).optional(),
    subcategory: z.string().trim().min(1).max(24).nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'send at least one of status, assignee, queue, priority, category, subcategory');

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
    throw new BadRequestError(`invalid ${what}: ${problems.join('; ')}`, problems);
  }
  return r.data;
}

/** The shared ticket queue: read the cross-channel timeline, reply, change (the list is inbox.routes.ts). */
export function ticketsRoutes(deps: { auth: Authenticator; db: Db; tickets: TicketStore; customers: CustomerStore; service: TicketService }): Router {
  const router = Router();
  const readers = deps.auth.require('agent', 'lead', 'finance');
  const writers = deps.auth.require('agent', 'lead');

  router.get('/api/v1/tickets/:id', readers, async (req, res, next) => {
    try {
      const t = await deps.service.find(req.params.id as string);
      const [messages, events, customer] = await Promise.all([
        deps.tickets.messages(deps.db, t.id),
        deps.tickets.events(deps.db, t.id),
        deps.customers.get(deps.db, t.customerId),
      ]);
      const view = deps.auth.viewOf(req.principal!);
      res.json(ticketDetail(t, messages, events, customer, view.on(t.queue), view.mayReveal));
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/tickets/:id/replies', writers, async (req, res, next) => {
    try {
      const body = parse(replyBody, req.body, 'reply');
      const result = await deps.service.reply(req.params.id as string, body, `agent:${req.principal!.name}`);
      // Where it went, as the agent may see it (the ticket's queue decides, as on the ticket page).
      const { queue } = await deps.service.find(req.params.id as string);
      res.status(202).json({ ...result, to: deps.auth.viewOf(req.principal!).on(queue).address(result.to) });
    } catch (err) {
      next(err);
    }
  });

  router.patch('/api/v1/tickets/:id', writers, async (req, res, next) => {
    try {
      const body = parse(patchBody, req.body, 'change');
      const t = await deps.service.patch(req.params.id as string, body, `agent:${req.principal!.name}`);
      res.json(ticketSummary(t, deps.auth.viewOf(req.principal!).on(t.queue)));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
