import { Router } from 'express';
import type { KnownAgents } from '../known-agents.js';
import type { Authenticator } from './auth.js';

/** The people tickets can be assigned to (the console's assignee picker). */
export function agentsRoutes(deps: { auth: Authenticator; agents: KnownAgents }): Router {
  const router = Router();
  router.get('/api/v1/agents', deps.auth.require('agent', 'lead', 'finance'), async (_req, res, next) => {
    try {
      res.json({ items: await deps.agents.list() });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
