import { Router } from 'express';
import { z } from 'zod';
import { ForbiddenError } from '../errors.js';
import type { TicketPresence } from '../ticket-presence.js';
import type { TicketService } from '../ticket-service.js';
import type { Authenticator } from './auth.js';
import { parseInput } from './parse-input.js';

export const presenceBody = z.object({ state: z.enum(['viewing', 'typing', 'left']) }).strict();

/**
 * POST /api/v1/tickets/:id/presence `{state}`: the console says this person has the ticket open
 * ("viewing", every 15 s), is writing on it ("typing") or closed it ("left"); the answer and the
 * live stream (`ticket.presence`) list everyone on it. Only those who may write can be typing.
 */
export function presenceRoutes(deps: { auth: Authenticator; service: TicketService; presence: TicketPresence }): Router {
  const router = Router();
  router.post('/api/v1/tickets/:id/presence', deps.auth.require('agent', 'lead', 'finance'), async (req, res, next) => {
    try {
      const { state } = parseInput(presenceBody, req.body, 'presence');
      const principal = req.principal!;
      if (state === 'typing' && principal.role === 'finance') throw new ForbiddenError('role "finance" reads tickets and cannot write on them');
      const ticket = await deps.service.find(req.params.id as string);
      const people = deps.presence.report(ticket.id, { name: principal.name, displayName: principal.displayName }, state);
      res.json({ ticketId: ticket.id, people });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
