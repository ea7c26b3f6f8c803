import type { RequestHandler, Response } from 'express';

/**
 * What a page may load, per page (issue 23 item 4). Every page the gateway serves takes its script (if any) and
 * style from this origin only: no inline script, no inline event handler, no `eval`, nothing from a CDN.
 *
 * | page | script | framed by |
 * |---|---|---|
 * | console (`/console`, console/console.routes.ts) | its bundle | nobody |
 * | status page (`/t/<token>`) | /assets/local-time.js | nobody: its buttons confirm, reopen and rate a ticket |
 * | web form (`/complaint…`) | none | nobody, or the origins in `server.formFrameAncestors` |
 * | API reference (`/api/docs`, api-docs.routes.ts) | its viewer from node_modules | nobody |
 * | any other response (JSON, errors, redirects) | none ({@link DEFAULT_CSP}) | nobody |
 *
 * The chat widget is no page of ours: `/assets/widget.js` runs inside the customer's own page (their CSP applies),
 * so its files are served with `Cross-Origin-Resource-Policy: cross-origin` for other sites to load.
 */
export interface PagePolicy {
  /** The page loads script files from this origin. */
  script?: boolean;
  /** Origins allowed to put the page in a frame; none by default. */
  frameAncestors?: readonly string[];
}

/** A Content-Security-Policy for a page of ours (see {@link PagePolicy}). */
export function pageCsp(policy: PagePolicy = {}): string {
  return [
    "default-src 'none'",
    policy.script ? "script-src 'self'" : "script-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${policy.frameAncestors?.length ? policy.frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/** For every response no page policy replaces: JSON, errors, redirects, and any HTML a route forgot to cover. */
export const DEFAULT_CSP = pageCsp();

/** An origin a CSP source list can hold as it is: scheme, host, optional port, nothing else (no `;`, no path). */
export const FRAME_ANCESTOR_ORIGIN = /^https?:\/\/(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?$/;

/** Gives a response a page's policy: its CSP, and X-Frame-Options for browsers older than frame-ancestors. */
export function setPagePolicy(res: Response, policy: PagePolicy): void {
  res.set('Content-Security-Policy', pageCsp(policy));
  // X-Frame-Options cannot name origins; where some may frame the page, frame-ancestors alone decides.
  if (policy.frameAncestors?.length) res.removeHeader('X-Frame-Options');
  else res.set('X-Frame-Options', 'DENY');
}

/**
 * The headers every response carries, set before any route runs (a page route then sets its own CSP):
 * nosniff, no referrer to other sites, no framing, no window sharing with other sites' pages, no powerful
 * browser features, and HSTS when the request came over https (directly or, with `server.trustProxy`, through
 * a proxy that says so). Only `/assets/` files may be loaded by other sites (the widget and its stylesheet).
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set({
      'Content-Security-Policy': DEFAULT_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': req.path.startsWith('/assets/') ? 'cross-origin' : 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
      'X-Permitted-Cross-Domain-Policies': 'none',
    });
    if (req.secure) res.set('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}
