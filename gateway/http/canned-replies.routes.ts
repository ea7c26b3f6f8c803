import { Router } from 'express';
import { z } from 'zod';
import { CANNED_REPLY_LANGUAGES } from '../../config/canned-replies.schema.js';
import type { CannedReplies } from '../canned-replies.js';
import type { TicketService } from '../ticket-service.js';
import type { Authenticator } from './auth.js';
import { parseInput } from './parse-input.js';

export const cannedQuery = z
  .object({
    /** The ticket (id or number) to fill the variables from and to choose the entries for. */
    ticket: z.string().trim().min(1).max(64).optional(),
    lang: z.enum(CANNED_REPLY_LANGUAGES).optional(),
  })
  .strict();

/** GET /api/v1/canned-replies: config/canned-replies.yaml, rendered for a ticket and the asking agent. */
export function cannedRepliesRoutes(deps: { auth: Authenticator; replies: CannedReplies; service: TicketService }): Router {
  const router = Router();

  router.get('/api/v1/canned-replies', deps.auth.require('agent', 'lead'), async (req, res, next) => {
    try {
      const q = parseInput(cannedQuery, req.query, 'query');
      const ticket = q.ticket === undefined ? undefined : await deps.service.find(q.ticket);
      res.json({ items: await deps.replies.render(ticket, req.principal!.name, q.lang) });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
