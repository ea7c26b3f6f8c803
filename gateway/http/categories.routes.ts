import { Router } from 'express';
import { z } from 'zod';
import type { CategoriesSettings } from '../../config/categories.schema.js';
import type { Authenticator } from './auth.js';
import { parseInput } from './parse-input.js';

/** The label a ticket gets when it is no complaint of any listed category (praise, chit-chat, opinions). */
const OTHER = { code: 'OTHER', kind: 'other', name: { zh: '其他（非投诉）', en: 'Other (not a complaint)' }, severity: 4, subcategories: [] };

/**
 * GET /api/v1/categories: the taxonomy of the active categories.yaml (it changes on reload), for
 * pickers: each category's code, kind, names in zh and en, default severity and sub-codes, then
 * OTHER. These are the codes PATCH /api/v1/tickets/:id accepts.
 */
export function categoriesRoutes(deps: { auth: Authenticator; categories: () => CategoriesSettings }): Router {
  const router = Router();
  router.get('/api/v1/categories', deps.auth.require('agent', 'lead', 'finance'), (req, res, next) => {
    try {
      parseInput(z.object({}).strict(), req.query, 'query');
      const items = deps.categories().categories.map((c) => ({
        code: c.code,
        kind: c.kind,
        name: c.name,
        severity: c.severity,
        subcategories: c.subcategories.map((s) => ({ code: s.code, name: s.name })),
      }));
      res.json({ items: [...items, OTHER] });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
