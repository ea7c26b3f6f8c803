import { Router } from 'express';
import { z } from 'zod';
import { AUDIT_SOURCES, AUDIT_START, type AuditPosition, type AuditStore, type SourcePosition } from '../../storage/audit.store.js';
import type { Db } from '../../storage/db.js';
import { BadRequestError } from '../errors.js';
import type { Authenticator } from './auth.js';
import { parseInput } from './parse-input.js';

const isoDate = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

export const auditQuery = z
  .object({
    actor: z.string().trim().min(1).max(200).optional().describe('a name (li.lei) or an actor as written (agent:li.lei, user:li.lei, token:crm, pipeline)'),
    action: z.string().trim().min(1).max(48).optional().describe('contact.revealed, token.created, customer.erased, status_changed, note…'),
    ticket: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    customer: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    source: z.enum(AUDIT_SOURCES).optional().describe('access: reveals and tokens; privacy: exports and erasures; ticket: ticket changes'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();

const MALFORMED = 'cursor must be the nextCursor of a previous page';
const position = z.union([z.tuple([z.number().int().min(0), z.number().int().positive()]), z.null(), z.literal(false)]);
const encoded = z.object({ a: position, p: position, t: position }).strict();

function encodeCursor(p: AuditPosition): string {
  const out = (s: SourcePosition) => (s ? [s.createdAt, s.id] : s);
  return Buffer.from(JSON.stringify({ a: out(p.access), p: out(p.privacy), t: out(p.ticket) })).toString('base64url');
}

function decodeCursor(raw: string): AuditPosition {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(raw)) throw new BadRequestError(MALFORMED);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestError(MALFORMED);
  }
  const r = encoded.safeParse(parsed);
  if (!r.success) throw new BadRequestError(MALFORMED);
  const back = (v: z.infer<typeof position>): SourcePosition => (Array.isArray(v) ? { createdAt: v[0], id: v[1] } : v);
  return { access: back(r.data.a), privacy: back(r.data.p), ticket: back(r.data.t) };
}

/** The forms a name is written in across the trail: ticket events say `agent:<name>`, the others `user:`, `token:` or `cli:`. */
function actorForms(actor: string): string[] {
  if (actor.includes(':')) return [actor];
  return [actor, `agent:${actor}`, `user:${actor}`, `token:${actor}`, `cli:${actor}`];
}

/**
 * GET /api/v1/audit (admins): the audit trail newest first: what people revealed and which tokens were made or
 * revoked (audit_log), whose data was exported or erased (privacy_requests), and every change to every ticket
 * (ticket_events), filtered by actor, action, ticket,
 * customer, time range and source, paged by an opaque cursor. Details show contact data as the admin's role may.
 */
export function auditRoutes(deps: { auth: Authenticator; db: Db; audit: AuditStore }): Router {
  const router = Router();

  router.get('/api/v1/audit', deps.auth.require(), async (req, res, next) => {
    try {
      const q = parseInput(auditQuery, req.query, 'query');
      if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw new BadRequestError('from is after to');
      const after = q.cursor === undefined ? AUDIT_START : decodeCursor(q.cursor);
      const page = await deps.audit.page(
        deps.db,
        {
          actors: q.actor ? actorForms(q.actor) : undefined,
          action: q.action,
          ticketId: q.ticket,
          customerId: q.customer,
          from: q.from,
          to: q.to,
          source: q.source,
        },
        after,
        q.limit,
      );
      const mask = deps.auth.viewOf(req.principal!).on();
      res.set('Cache-Control', 'no-store').json({
        items: page.items.map((e) => ({
          source: e.source,
          id: e.id,
          at: new Date(e.createdAt).toISOString(),
          actor: e.actor,
          role: e.role,
          action: e.action,
          ticketId: e.ticketId,
          customerId: e.customerId,
          detail: mask.deep(e.detail),
        })),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
