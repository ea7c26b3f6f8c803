import { Router } from 'express';
import { z } from 'zod';
import { CHANNEL_IDS } from '../../contracts/channel-ids.js';
import type { RoutingConfig } from '../../config/routing.schema.js';
import type { Db } from '../../storage/db.js';
import type { InboxFilter, InboxStore, QueueCounts } from '../../storage/inbox.store.js';
import { TICKET_STATUSES } from '../../storage/ticket.store.js';
import { isEmail, normalizePhone } from '../identity.js';
import type { Authenticator } from './auth.js';
import { decodeCursor, encodeCursor } from './inbox-cursor.js';
import { inboxItem } from './inbox-item.js';
import { parseInput } from './parse-input.js';

export const inboxQuery = z
  .object({
    status: z
      .string()
      .transform((s) => s.split(',').filter(Boolean))
      .pipe(z.array(z.enum(TICKET_STATUSES)))
      .optional(),
    // Queues and categories are free text: a ticket may sit in a queue or category a later config no longer names.
    queue: z.string().trim().min(1).max(64).optional(),
    category: z
      .string()
      .trim()
      .min(1)
      .max(16)
      .transform((s) => s.toUpperCase())
      .optional(),
    severity: z.coerce.number().int().min(1).max(4).optional(),
    channel: z.enum(CHANNEL_IDS).optional(),
    customer: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    /** `me` (the caller), `none` (unassigned) or an agent's name. */
    assignee: z.string().trim().min(1).max(128).optional(),
    sla: z.enum(['due_soon', 'breached']).optional(),
    /** `unreachable`: tickets whose customer no reply could reach (the "cannot reach customer" view). */
    reach: z.enum(['unreachable']).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    sort: z.enum(['sla_due', 'updated']).default('sla_due'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();

/** The canonical identity values a search text may be: what identify stores for an e-mail or phone. */
function identityForms(q: string): string[] {
  const forms = new Set([q]);
  if (isEmail(q)) forms.add(q.toLowerCase());
  const phone = normalizePhone(q);
  if (phone) forms.add(phone);
  return [...forms];
}

/**
 * The console's inbox: GET /api/v1/tickets (filters, search, SLA or recency order, cursor paging)
 * and GET /api/v1/queues (per-queue counts for the queue list).
 */
export function inboxRoutes(deps: { auth: Authenticator; db: Db; inbox: InboxStore; routing: () => RoutingConfig }): Router {
  const router = Router();
  const readers = deps.auth.require('agent', 'lead', 'finance');

  router.get('/api/v1/tickets', readers, async (req, res, next) => {
    try {
      const q = parseInput(inboxQuery, req.query, 'query');
      const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, q.sort);
      const filter: InboxFilter = {
        status: q.status,
        queue: q.queue,
        category: q.category,
        severity: q.severity,
        channel: q.channel,
        customerId: q.customer,
        assignee: q.assignee === undefined ? undefined : q.assignee === 'none' ? null : q.assignee === 'me' ? req.principal!.name : q.assignee,
        sla: q.sla,
        unreachable: q.reach === 'unreachable',
        q: q.q,
        qIdentities: q.q ? identityForms(q.q) : undefined,
      };
      const now = Date.now();
      const rows = await deps.inbox.page(deps.db, filter, q.sort, after, q.limit + 1, now);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      const nextCursor =
        rows.length > q.limit && last
          ? encodeCursor(
              q.sort === 'updated'
                ? { sort: 'updated', updatedAt: last.ticket.updatedAt, id: last.ticket.id }
                : { sort: 'sla_due', dueAt: last.slaDueAt, id: last.ticket.id },
            )
          : null;
      const view = deps.auth.viewOf(req.principal!);
      res.json({ items: page.map((r) => inboxItem(r, now, view)), nextCursor });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/queues', readers, async (req, res, next) => {
    try {
      parseInput(z.object({}).strict(), req.query, 'query');
      const counts = new Map((await deps.inbox.queueCounts(deps.db, Date.now())).map((c) => [c.queue, c]));
      const zero = (queue: string): QueueCounts => ({ queue, open: 0, unassigned: 0, dueSoon: 0, breached: 0 });
      const configured = deps.routing().queues.map((q) => ({ ...(counts.get(q.id) ?? zero(q.id)), name: q.name, configured: true }));
      // Open tickets in a queue the config no longer names (moved there by hand, or before an edit) are still shown.
      const known = new Set(configured.map((q) => q.queue));
      const others = [...counts.values()].filter((c) => !known.has(c.queue)).map((c) => ({ ...c, name: null, configured: false }));
      res.json({ items: [...configured, ...others] });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
