import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { z } from 'zod';
import { BadRequestError } from '../errors.js';
import type { PersonalData } from '../personal-data.js';
import { configActor, type Authenticator } from './auth.js';
import { recordId } from './input-guards.js';

export const eraseBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();

/**
 * Data subject rights, for admins only: a customer's data as one archive, and its erasure with a
 * reason. Both are recorded (who, when, why) in privacy_requests; an erasure also on each ticket.
 */
export function privacyRoutes(deps: { auth: Authenticator; personalData: PersonalData }): Router {
  const router = Router();
  const admin = deps.auth.require();

  router.get('/api/v1/customers/:id/export', admin, async (req, res, next) => {
    try {
      const exported = await deps.personalData.export(recordId(req.params.id, 'customer'), configActor(req.principal!));
      res.set({
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="${exported.fileName}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      await pipeline(exported.archive, res);
    } catch (err) {
      if (res.headersSent) res.destroy(err as Error);
      else next(err);
    }
  });

  router.post('/api/v1/customers/:id/erase', admin, async (req, res, next) => {
    try {
      const id = recordId(req.params.id, 'customer');
      const body = eraseBody.safeParse(req.body ?? {});
      if (!body.success)
        throw new BadRequestError('send {"reason": "why the data is erased"} (3–500 characters: the request it answers, not the customer\'s data)');
      res.json(await deps.personalData.erase(id, configActor(req.principal!), body.data.reason));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
