import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import type { PendingSignIn, SingleSignOn } from '../single-sign-on.js';
import { cookieValue, setSessionCookie } from './session-cookie.js';

const PENDING_COOKIE = 'gw_sso';
const PENDING_PATH = '/console/sso';
const PENDING_MS = 10 * 60_000;

/**
 * Single sign-on for the console: GET /console/sso says whether it is on (for the sign-in
 * page), /console/sso/start sends the browser to the provider, /console/sso/callback brings it
 * back signed in (or to the sign-in page with the reason in `?sso_error=`). What the browser
 * must bring back (state, nonce, PKCE verifier) waits in an HttpOnly cookie for ten minutes.
 */
export function ssoRoutes(deps: { sso?: SingleSignOn; sessionTtlMs: number; log: Logger }): Router {
  const router = Router();
  const log = deps.log.child({ module: 'console/sso' });

  router.get('/console/sso', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ enabled: deps.sso !== undefined });
  });

  router.get('/console/sso/start', async (req, res, next) => {
    if (!deps.sso) return next();
    try {
      const { url, pending } = await deps.sso.begin();
      res.cookie(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        httpOnly: true,
        sameSite: 'lax',
        path: PENDING_PATH,
        maxAge: PENDING_MS,
        secure: req.secure,
      });
      res.set('Cache-Control', 'no-store').redirect(302, url);
    } catch (err) {
      backToSignIn(req, res, err);
    }
  });

  router.get('/console/sso/callback', async (req, res, next) => {
    if (!deps.sso) return next();
    res.clearCookie(PENDING_COOKIE, { httpOnly: true, sameSite: 'lax', path: PENDING_PATH, secure: req.secure });
    try {
      const here = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
      const { user, token } = await deps.sso.finish(here, pendingOf(req));
      setSessionCookie(req, res, token, deps.sessionTtlMs);
      log.info({ user: user.username }, 'signed in through single sign-on');
      res.set('Cache-Control', 'no-store').redirect(302, '/console');
    } catch (err) {
      backToSignIn(req, res, err);
    }
  });

  const backToSignIn = (_req: Request, res: import('express').Response, err: unknown) => {
    const message = err instanceof GatewayError ? err.message : 'single sign-on failed; the gateway log has the details';
    if (!(err instanceof GatewayError)) log.error({ err }, 'single sign-on failed');
    else log.warn({ reason: message }, 'single sign-on refused');
    res.set('Cache-Control', 'no-store').redirect(302, `/console?sso_error=${encodeURIComponent(message)}`);
  };

  return router;
}

function pendingOf(req: Request): PendingSignIn | undefined {
  const raw = cookieValue(req, PENDING_COOKIE);
  if (!raw) return undefined;
  try {
    const { state, nonce, verifier } = JSON.parse(Buffer.from(decodeURIComponent(raw), 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof state === 'string' && typeof nonce === 'string' && typeof verifier === 'string') return { state, nonce, verifier };
  } catch {
    /* not ours */
  }
  return undefined;
}
