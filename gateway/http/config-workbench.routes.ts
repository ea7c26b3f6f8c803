import { Router, type Request } from 'express';
import { z } from 'zod';
import { EDITABLE_FILES, type ConfigWorkbench } from '../config-workbench.js';
import { configActor, type Authenticator } from './auth.js';
import { parseInput } from './parse-input.js';

const content = z.string().max(2_000_000, 'at most 2,000,000 characters');
const sha = z.string().regex(/^[0-9a-f]{64}$/, 'the sha256 the file had when you opened it (from GET)');
export const checkBody = z.object({ content }).strict();
export const previewBody = z.object({ content, days: z.number().int().min(1).max(365).default(30) }).strict();
export const applyBody = z
  .object({ content, reason: z.string().trim().min(1, 'say why (it goes in the version history)').max(1000), baseSha256: sha })
  .strict();
export const rollbackBody = z.object({ version: z.number().int().positive(), reason: z.string().trim().max(1000).optional(), baseSha256: sha }).strict();

/**
 * The rules workbench API (leads and admins): the editable config files, a check as you type,
 * a replay preview with progress, apply with history, and roll back. See config-workbench.ts.
 */
export function configWorkbenchRoutes(deps: { auth: Authenticator; workbench: ConfigWorkbench }): Router {
  const router = Router();
  const leads = deps.auth.require('lead');
  const actor = (req: Request) => configActor(req.principal!);

  router.get('/api/v1/config/files', leads, (_req, res) => {
    res.json({ items: EDITABLE_FILES.map((f) => ({ ...deps.workbench.read(f), content: undefined })) });
  });

  router.get('/api/v1/config/files/:file', leads, (req, res, next) => {
    try {
      res.set('Cache-Control', 'no-store').json(deps.workbench.read(req.params.file as string));
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/config/files/:file/check', leads, async (req, res, next) => {
    try {
      const body = parseInput(checkBody, req.body, 'check');
      res.json(await deps.workbench.check(req.params.file as string, body.content));
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/config/files/:file/previews', leads, (req, res, next) => {
    try {
      const body = parseInput(previewBody, req.body, 'preview');
      res.status(202).json(deps.workbench.startPreview(req.params.file as string, body.content, body.days));
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/config/previews/:id', leads, (req, res, next) => {
    try {
      res.set('Cache-Control', 'no-store').json(deps.workbench.preview(req.params.id as string));
    } catch (err) {
      next(err);
    }
  });

  router.put('/api/v1/config/files/:file', leads, async (req, res, next) => {
    try {
      const body = parseInput(applyBody, req.body, 'apply');
      const r = await deps.workbench.apply(req.params.file as string, body.content, { actor: actor(req), reason: body.reason, baseSha256: body.baseSha256 });
      res.json({ version: withoutContent(r.version), active: r.active, reloaded: r.reloaded });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/config/files/:file/versions', leads, async (req, res, next) => {
    try {
      res.json({ items: await deps.workbench.history(req.params.file as string) });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/config/files/:file/rollback', leads, async (req, res, next) => {
    try {
      const body = parseInput(rollbackBody, req.body, 'rollback');
      const r = await deps.workbench.rollback(req.params.file as string, body.version, { actor: actor(req), reason: body.reason, baseSha256: body.baseSha256 });
      res.json({ version: withoutContent(r.version), active: r.active, reloaded: r.reloaded });
    } catch (err) {
      next(err);
    }
  });

  return router;
}

function withoutContent<T extends { content?: string }>(v: T): Omit<T, 'content'> {
  const { content: _content, ...rest } = v;
  return rest;
}
