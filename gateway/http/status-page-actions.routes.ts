import express, { Router, type Request, type Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { GatewaySettings } from '../../config/gateway.schema.js';
import type { Db } from '../../storage/db.js';
import type { Ticket, TicketStore } from '../../storage/ticket.store.js';
import { recordCsat } from '../csat-record.js';
import type { TicketChange } from '../ticket-events-bus.js';
import type { TicketService } from '../ticket-service.js';

/** Tokens are 24 random bytes in base64url; anything else is not worth a database read. */
const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;
const MESSAGE_MAX = 5000;
const COMMENT_MAX = 1000;
const OPEN = new Set(['new', 'open', 'pending_customer', 'reopened']);

export type StatusPageAction = 'message' | 'solved' | 'reopen' | 'rate';

/**
 * What a customer can do on their status page (/t/<token>), without an account: add a message,
 * confirm the problem solved, reopen it, rate the service. Plain HTML forms (no script needed);
 * each answers 303 back to the page with what was done, or with why not. The token in the path is
 * the credential, so another site cannot post for a customer (it does not know the token).
 */
export function statusPageActionRoutes(deps: {
  db: Db;
  tickets: TicketStore;
  service: TicketService;
  settings: () => GatewaySettings;
  onChanged?: (change: TicketChange) => void;
  /** Where the per-token counts are kept (the database: one limit for every gateway process); in memory when absent. */
  rateLimitStore?: Store;
}): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '32kb' });
  // A customer writes a few times an hour; a script hammering one token is stopped.
  const perToken = rateLimit({
    store: deps.rateLimitStore,
    windowMs: 3_600_000,
    limit: 30,
    keyGenerator: (req) => String(req.params.token),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    validate: { trustProxy: false },
    handler: (req, res) => back(req, res, 'error', 'too-many'),
  });

  const back = (req: Request, res: Response, kind: 'done' | 'error', what: string) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    const lang = req.query.lang === 'zh' || req.query.lang === 'en' ? `&lang=${req.query.lang}` : '';
    res.redirect(303, `/t/${encodeURIComponent(String(req.params.token))}?${kind}=${what}${lang}`);
  };
  const ticketOf = async (req: Request): Promise<Ticket | undefined> => {
    const token = String(req.params.token);
    return TOKEN.test(token) ? deps.tickets.getByStatusToken(deps.db, token) : undefined;
  };
  const field = (req: Request, name: string) => (typeof req.body?.[name] === 'string' ? (req.body[name] as string) : '');

  const ACTIONS = new Set<string>(['message', 'solved', 'reopen', 'rate']);
  router.post('/t/:token/:action', perToken, form, async (req, res, next) => {
    try {
      if (!ACTIONS.has(String(req.params.action))) return next();
      const ticket = await ticketOf(req);
      if (!ticket) {
        res.status(404).type('text/plain').send('No ticket with this link.');
        return;
      }
      const action = req.params.action as StatusPageAction;
      const now = Date.now();
      if (ticket.status === 'closed') return back(req, res, 'error', 'closed');

      if (action === 'message') {
        const text = field(req, 'text').trim();
        if (!text) return back(req, res, 'error', 'empty');
        if (text.length > MESSAGE_MAX) return back(req, res, 'error', 'too-long');
        await deps.db.transaction(async (trx) => {
          await deps.tickets.addMessage(trx, {
            ticketId: ticket.id,
            direction: 'in',
            author: 'customer',
            channel: 'webform',
            fromAddress: null,
            text,
            language: ticket.language,
            meta: { via: 'status-page' },
            createdAt: now,
          });
          await deps.tickets.addEvent(
            trx,
            {
              ticketId: ticket.id,
              actor: 'customer',
              type: 'message_attached',
              before: null,
              after: { channel: 'webform', reason: 'written on the status page' },
            },
            now,
          );
        });
        // The customer wrote: a resolved ticket reopens, a ticket waiting on them runs again.
        if (ticket.status === 'resolved') await deps.service.patch(String(ticket.id), { status: 'reopened' }, 'customer', { notifyCustomer: false });
        else if (ticket.status === 'pending_customer') await deps.service.patch(String(ticket.id), { status: 'open' }, 'customer', { notifyCustomer: false });
        else deps.onChanged?.({ ticketId: ticket.id, reason: 'message' });
        return back(req, res, 'done', 'message');
      }
      if (action === 'solved') {
        if (!OPEN.has(ticket.status)) return back(req, res, 'error', 'not-open');
        await deps.service.patch(String(ticket.id), { status: 'resolved' }, 'customer', { notifyCustomer: false });
        return back(req, res, 'done', 'solved');
      }
      if (action === 'reopen') {
        if (ticket.status !== 'resolved') return back(req, res, 'error', 'not-resolved');
        await deps.service.patch(String(ticket.id), { status: 'reopened' }, 'customer', { notifyCustomer: false });
        return back(req, res, 'done', 'reopened');
      }
      // rate
      const score = Number(field(req, 'score'));
      if (!Number.isInteger(score) || score < 1 || score > 5) return back(req, res, 'error', 'score');
      if (ticket.status !== 'resolved' || ticket.csat !== null) return back(req, res, 'error', 'not-rateable');
      const comment = field(req, 'comment').trim().slice(0, COMMENT_MAX) || null;
      const { low } = await deps.db.transaction((trx) =>
        recordCsat(trx, deps.tickets, ticket, { score, comment, channel: 'status-page' }, deps.settings(), now),
      );
      deps.onChanged?.({ ticketId: ticket.id, reason: low ? 'status' : 'message' });
      return back(req, res, 'done', low ? 'rated-low' : 'rated');
    } catch (err) {
      next(err);
    }
  });

  return router;
}
