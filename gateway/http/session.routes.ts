import express, { Router } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import { z } from 'zod';
import type { SessionStore } from '../../storage/session.store.js';
import { ROLES } from '../../storage/token.store.js';
import { BadRequestError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import { MAX_PASSWORD_LENGTH } from '../passwords.js';
import type { SignIn } from '../sign-in.js';
import type { Authenticator } from './auth.js';
import { clearSessionCookie, sessionTokenOf, setSessionCookie } from './session-cookie.js';

export const signInBody = z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) }).strict();

/** Failed sign-ins one address may make per window, whatever names it tries (the per-account lockout cannot see spraying). */
export const SIGN_IN_FAILURES_PER_IP = { limit: 30, windowMs: 15 * 60_000 } as const;

/**
 * People signing in to the console: POST opens a session (HttpOnly cookie + a CSRF token for
 * the page), DELETE ends it, GET /api/v1/me says who the request is (session or token).
 */
export function sessionRoutes(deps: {
  auth: Authenticator;
  signIn: SignIn;
  sessions: SessionStore;
  sessionTtlMs: number;
  /** Where the per-address failure counts are kept (the database: one limit for every gateway process); in memory when absent. */
  rateLimitStore?: Store;
}): Router {
  const router = Router();
  const failuresPerIp = rateLimit({
    store: deps.rateLimitStore,
    windowMs: SIGN_IN_FAILURES_PER_IP.windowMs,
    limit: SIGN_IN_FAILURES_PER_IP.limit,
    // Only refused attempts count: an office behind one address signs in all day.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // server.trustProxy is the operator saying a proxy in front sets X-Forwarded-For.
    validate: { trustProxy: false },
    handler: (_req, _res, next, options) => {
      const minutes = Math.ceil(options.windowMs / 60_000);
      next(new TooManyRequestsError(`too many failed sign-ins from this address: try again in ${minutes} minutes`, Math.ceil(options.windowMs / 1000)));
    },
  });
  // JSON only: a form on another site cannot send application/json, so nobody can be signed in to someone else's account.
  const json = express.json({ limit: '8kb', type: ['application/json'] });

  router.post('/console/session', failuresPerIp, json, async (req, res, next) => {
    try {
      const body = signInBody.safeParse(req.body);
      if (!body.success) throw new BadRequestError('send {"username": "…", "password": "…"} as JSON (Content-Type: application/json)');
      const signedIn = await deps.signIn.attempt(body.data.username, body.data.password);
      // A browser signing in again leaves no orphan session behind.
      const previous = sessionTokenOf(req);
      if (previous) {
        await deps.sessions.end(previous);
        deps.auth.forgetSession(previous);
      }
      setSessionCookie(req, res, signedIn.token, deps.sessionTtlMs);
      res.set('Cache-Control', 'no-store');
      res.json({ name: signedIn.user.username, displayName: signedIn.user.displayName, role: signedIn.user.role, csrfToken: signedIn.csrfToken });
    } catch (err) {
      next(err);
    }
  });

  router.delete('/console/session', async (req, res, next) => {
    try {
      const token = sessionTokenOf(req);
      if (token) {
        try {
          // A live session must prove the page asked (CSRF); an expired or ended one just goes.
          await deps.auth.authenticate(req);
        } catch (err) {
          if (!(err instanceof UnauthorizedError)) throw err;
        }
        await deps.sessions.end(token);
        deps.auth.forgetSession(token);
      }
      clearSessionCookie(req, res);
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/me', deps.auth.require(...ROLES), (req, res) => {
    const p = req.principal!;
    res.set('Cache-Control', 'no-store');
    res.json({
      name: p.name,
      displayName: p.displayName ?? p.name,
      role: p.role,
      via: p.via ?? 'token',
      ...(p.via === 'session' ? { csrfToken: p.csrfToken } : {}),
    });
  });

  return router;
}
