import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { consoleBundle, type BundledFile } from './console-bundle.js';

/**
 * The page's only script and stylesheet come from this origin; no inline script or style
 * element, no framing. Preact sets `style` through the CSSOM, which style-src does not block.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function shell(lang: 'zh' | 'en', script: string, style: string): string {
  const title = lang === 'zh' ? '客服工作台' : 'Agent console';
  const noScript = lang === 'zh' ? '客服工作台需要启用 JavaScript。' : 'The agent console needs JavaScript.';
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="stylesheet" href="/console/${style}">
<script src="/console/${script}" defer></script>
</head>
<body><div id="console-root"></div><noscript><p>${noScript}</p></noscript></body>
</html>`;
}

/**
 * GET /console: the agent console, a Preact single-page app bundled in memory on the first
 * request (see console-bundle.ts). It talks only to /api/v1 and /console/session, so it can do
 * nothing the API would refuse the signed-in person.
 */
export function consolePageRoutes(deps: { log: Logger }): Router {
  const router = Router();
  const log = deps.log.child({ module: 'console' });

  const bundleOrFail = async (res: Response) => {
    try {
      return await consoleBundle();
    } catch (err) {
      log.error({ err }, 'the console could not be bundled');
      res.status(500).type('text/plain').send('The agent console could not be built; the gateway log names the source file and line.');
      return undefined;
    }
  };

  // The gateway's front door is where people work: the console (customers have their own pages: /complaint, /t/:token).
  router.get('/', (_req, res) => res.redirect(302, '/console'));

  router.get(['/console', '/console/'], async (req, res) => {
    const bundle = await bundleOrFail(res);
    if (!bundle) return;
    const lang = /^zh/i.test(req.get('accept-language') ?? '') ? 'zh' : 'en';
    res.set({
      'Content-Security-Policy': CONSOLE_CSP,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'same-origin',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
    res.type('html').send(shell(lang, bundle.script.name, bundle.style.name));
  });

  router.get('/console/:file', async (req, res, next) => {
    const bundle = await bundleOrFail(res);
    if (!bundle) return;
    const file = [bundle.script, bundle.style].find((f: BundledFile) => f.name === req.params.file);
    if (!file) return next(); // an old hash after an upgrade, or another /console route: the usual 404
    res.set({ 'Content-Type': file.contentType, 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' });
    res.send(file.body);
  });

  return router;
}

/** Starts the bundle in the background at gateway start and logs how long it took (or why it failed). */
export function warmUpConsole(log: Logger): void {
  consoleBundle().then(
    (bundle) => log.child({ module: 'console' }).info({ script: bundle.script.name, buildMs: bundle.buildMs }, 'agent console bundled'),
    (err) => log.child({ module: 'console' }).error({ err }, 'the console could not be bundled; /console answers 500 until the sources are fixed'),
  );
}
