import { Router } from 'express';
import { z } from 'zod';
import { ROLES, type TokenStore } from '../../storage/token.store.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { Authenticator } from './auth.js';
import { recordId } from './input-guards.js';

export const createBody = z.object({ name: z.string().trim().min(1).max(128), role: z.enum(ROLES) }).strict();

/** Admin-only token management: the token itself is returned once, at creation. */
export function tokensRoutes(deps: { auth: Authenticator; tokens: TokenStore }): Router {
  const router = Router();
  const admin = deps.auth.require();

  router.post('/api/v1/tokens', admin, async (req, res, next) => {
    try {
      const body = createBody.safeParse(req.body);
      if (!body.success) throw new BadRequestError(`invalid token request: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const created = await deps.tokens.create(body.data.name, body.data.role);
      res.status(201).json({ id: created.id, name: body.data.name, role: body.data.role, token: created.token });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/tokens', admin, async (_req, res, next) => {
    try {
      res.json({
        items: (await deps.tokens.list()).map((t) => ({
          ...t,
          createdAt: new Date(t.createdAt).toISOString(),
          revokedAt: t.revokedAt && new Date(t.revokedAt).toISOString(),
        })),
      });
    } catch (err) {
      next(err);
    }
  });

  router.delete('/api/v1/tokens/:id', admin, async (req, res, next) => {
    try {
      if (!(await deps.tokens.revoke(recordId(req.params.id, 'token')))) throw new NotFoundError(`token ${req.params.id} does not exist or is already revoked`);
      deps.auth.forget();
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  return router;
}
