import { createRequire } from 'node:module';
import path from 'node:path';
import { Router } from 'express';
import { html } from './html.js';
import { openApiDocument } from './openapi-document.js';

/** The files of swagger-ui-dist the reference page loads; nothing else of the package is served. */
const VIEWER_FILES = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);
const VIEWER_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/**
 * Scripts only from this origin (no inline script: the page is started by /assets/api-docs.js); Swagger UI sets
 * style attributes and draws its icons as data: images, so those two are allowed.
 */
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * GET /api/v1/openapi.json: the OpenAPI 3.1 document (public, built once from api-routes.ts), and
 * GET /api/docs: a reference page reading it, Swagger UI served from node_modules (no CDN).
 */
export function apiDocsRoutes(): Router {
  const router = Router();
  let document: string | undefined;

  router.get('/api/v1/openapi.json', (_req, res) => {
    document ??= JSON.stringify(openApiDocument());
    res.set('Cache-Control', 'no-cache').type('application/json').send(document);
  });

  router.get(['/api/docs', '/api/docs/'], (_req, res) => {
    res
      .set('Content-Security-Policy', PAGE_CSP)
      .set('Cache-Control', 'no-cache')
      .type('html')
      .send(
        html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Complaint gateway API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="api-docs"><noscript>The reference needs JavaScript; the document itself is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript></div>
    <script src="/api/docs/swagger-ui-bundle.js" defer></script>
    <script src="/assets/api-docs.js" data-spec="/api/v1/openapi.json" data-target="api-docs" defer></script>
  </body>
</html>
`.value,
      );
  });

  router.get('/api/docs/:file', (req, res, next) => {
    const file = req.params.file;
    if (!VIEWER_FILES.has(file)) return next();
    res.sendFile(path.join(VIEWER_DIR, file), { maxAge: '1h' });
  });

  return router;
}
