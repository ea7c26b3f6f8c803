import { Router } from 'express';
import { z } from 'zod';
import type { AuditStore } from '../../storage/audit.store.js';
import type { Db } from '../../storage/db.js';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, ROLES, type TokenStore } from '../../storage/token.store.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { configActor, type Authenticator } from './auth.js';
import { recordId } from './input-guards.js';

export const createBody = z
  .object({
    name: z.string().trim().min(1).max(128),
    role: z.enum(ROLES),
    expiresInDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_TOKEN_DAYS)
      .default(DEFAULT_TOKEN_DAYS)
      .describe(`how long the token works (default ${DEFAULT_TOKEN_DAYS} days, at most ${MAX_TOKEN_DAYS})`),
  })
  .strict();

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

/**
 * Admin-only token management: the token itself is returned once, at creation; it works for `expiresInDays`
 * (a year by default). The list shows when each lapses and was last used. Creating and revoking one is audited.
 */
export function tokensRoutes(deps: { auth: Authenticator; tokens: TokenStore; db: Db; audit: AuditStore }): Router {
  const router = Router();
  const admin = deps.auth.require();

  router.post('/api/v1/tokens', admin, async (req, res, next) => {
    try {
      const body = createBody.safeParse(req.body);
      if (!body.success) throw new BadRequestError(`invalid token request: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const now = Date.now();
      const created = await deps.tokens.create(body.data.name, body.data.role, now, body.data.expiresInDays);
      const p = req.principal!;
      await deps.audit.record(
        deps.db,
        {
          actor: configActor(p),
          role: p.role,
          action: 'token.created',
          detail: { tokenId: created.id, name: body.data.name, role: body.data.role, expiresAt: iso(created.expiresAt) },
        },
        now,
      );
      res.status(201).json({ id: created.id, name: body.data.name, role: body.data.role, token: created.token, expiresAt: iso(created.expiresAt) });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/tokens', admin, async (_req, res, next) => {
    try {
      const now = Date.now();
      res.json({
        items: (await deps.tokens.list()).map((t) => ({
          id: t.id,
          name: t.name,
          role: t.role,
          createdAt: iso(t.createdAt),
          revokedAt: iso(t.revokedAt),
          expiresAt: iso(t.expiresAt),
          expired: t.expiresAt !== null && t.expiresAt <= now,
          lastUsedAt: iso(t.lastUsedAt),
        })),
      });
    } catch (err) {
      next(err);
    }
  });

  router.delete('/api/v1/tokens/:id', admin, async (req, res, next) => {
    try {
      const id = recordId(req.params.id, 'token');
      if (!(await deps.tokens.revoke(id))) throw new NotFoundError(`token ${req.params.id} does not exist or is already revoked`);
      const p = req.principal!;
      await deps.audit.record(deps.db, { actor: configActor(p), role: p.role, action: 'token.revoked', detail: { tokenId: id } });
      deps.auth.forget();
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  return router;
}
