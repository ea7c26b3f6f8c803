import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { refuseDeepJson } from '../../adapters/json-depth.js';
import { refuseNulCharacters } from './input-guards.js';
import { securityHeaders } from './security-headers.js';

/** A message is 2 levels, its meta at most 8 more (gateway/intake/clean-text.ts): room to spare. */
const MAX_API_JSON_DEPTH = 32;

const ASSETS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');

/** The express app: JSON API + webhooks + pages, one error handler at the end. */
export function createApp(opts: {
  log: Logger;
  bodyLimit: string | number;
  trustProxy: boolean;
  routers: Router[];
  rawBodyRouters?: Array<{ path: string; router: Router }>;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy);
  // First, so that every answer has them, webhooks, errors and 404s included; pages then set their own CSP.
  app.use(securityHeaders());
  // Webhooks that verify signatures over their own body formats are mounted before the JSON parser.
  for (const r of opts.rawBodyRouters ?? []) app.use(r.path, r.router);
  // No API body nests deeper than a message with its meta (≤ 8 levels): deeper is refused unparsed.
  app.use(
    '/api',
    express.json({ limit: opts.bodyLimit, type: ['application/json', 'application/*+json'], verify: refuseDeepJson(MAX_API_JSON_DEPTH, 'an API request') }),
  );
  app.use('/api', refuseNulCharacters({ lenientBodies: /^\/v1\/messages$/ }));
  app.use('/assets', express.static(ASSETS, { maxAge: '1h', index: false }));
  for (const r of opts.routers) app.use(r);
  app.use(notFoundHandler);
  app.use(errorHandler(opts.log, opts.bodyLimit));
  return app;
}
