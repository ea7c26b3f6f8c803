import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ClusterBus } from '../../contracts/cluster-bus.js';
import type { SessionRecord, SessionStore } from '../../storage/session.store.js';
import { hashToken, type Role, type TokenStore } from '../../storage/token.store.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import { ContactView, DEFAULT_MASKING, type MaskingSettings } from './contact-view.js';
import { setSessionCookie, sessionTokenOf } from './session-cookie.js';

export interface Principal {
  /** The token's name, or the signed-in person's username: what audit events name as the actor. */
  name: string;
  role: Role;
  /** A person's display name (a token's name for tokens). */
  displayName?: string;
  /** How the request proved who it is. */
  via?: 'token' | 'session';
  /** For a session: the value the X-CSRF-Token header must carry on changes. */
  csrfToken?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** How long a token or session lookup is reused: a revoked token or ended session stops working on every process within this time. */
const CACHE_MS = 1_000;
/** A token's last-used time is written at most this often (one write a minute, not one per request). */
const TOKEN_TOUCH_EVERY_MS = 60_000;
/** A session is slid forward (one write) at most this often, not on every request. */
const TOUCH_EVERY_MS = 60_000;
/** Methods that change nothing: a cookie is enough for them; anything else needs the CSRF header too. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const SESSION_EXPIRED = 'your session has expired: sign in again';
export const SESSION_ENDED = 'your session has ended (signed out, or the account was changed): sign in again';
export const CSRF_REFUSED = 'CSRF token missing or wrong: reload the page';
const NOT_SIGNED_IN = 'not signed in: sign in to the console, or send "Authorization: Bearer <token>"';

export interface SessionAuth {
  store: SessionStore;
  /** Session length; each request (at most once a minute) moves the end this far ahead. */
  ttlMs: number;
}

/**
 * Who is asking: a bearer token (integrations, scripts: the bootstrap admin token from the
 * environment or a stored token) or the console's session cookie (people). Cookie requests
 * that change something must also send the session's CSRF token, which a page of another
 * site cannot read.
 */
export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal | undefined; expiredAt?: number; until: number }>();
  private readonly sessionCache = new Map<string, { session: SessionRecord | undefined; until: number }>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly adminToken: string | undefined,
    private readonly sessions?: SessionAuth,
    /** Tells the other gateway processes to drop their cached tokens and sessions too. */
    private readonly bus?: ClusterBus,
    /** Who sees customers' contact details and words in full (`masking` in gateway.yaml, follows reloads). */
    private readonly masking: () => MaskingSettings = () => DEFAULT_MASKING,
  ) {
    bus?.subscribe('auth.forget', (notice) => {
      const session = (notice as { session?: string } | null)?.session;
      if (session) this.sessionCache.delete(session);
      else this.forgetHere();
    });
  }

  async identify(token: string): Promise<Principal | undefined> {
    return (await this.lookup(token)).principal;
  }

  /** What the principal may see of customers: masked contact details, message text (see ContactView). */
  viewOf(principal: Principal): ContactView {
    return new ContactView(principal.role, this.masking());
  }

  /**
   * A bearer token's principal; none for an unknown, revoked or expired one (`expiredAt` says which). The last-used
   * time is recorded at most once a minute; a failure to record it does not fail the request.
   */
  private async lookup(token: string): Promise<{ principal?: Principal; expiredAt?: number }> {
    if (this.adminToken && safeEqual(token, this.adminToken)) return { principal: { name: 'admin', role: 'admin', displayName: 'admin', via: 'token' } };
    const now = Date.now();
    const cached = this.cache.get(token);
    if (cached && cached.until > now) return cached;
    const found = await this.tokens.find(token);
    const expired = found?.expiresAt != null && found.expiresAt <= now;
    const principal: Principal | undefined = found && !expired ? { name: found.name, role: found.role, displayName: found.name, via: 'token' } : undefined;
    if (found && principal && (found.lastUsedAt === null || now - found.lastUsedAt >= TOKEN_TOUCH_EVERY_MS)) {
      await this.tokens.touch(found.id, now).catch(() => undefined);
    }
    if (this.cache.size > 10_000) this.cache.clear();
    // Not reused past the token's expiry: it stops working at its time, not up to a second later.
    const until = Math.min(now + CACHE_MS, found?.expiresAt ?? Infinity);
    const entry = { principal, expiredAt: expired ? found!.expiresAt! : undefined, until };
    this.cache.set(token, entry);
    return entry;
  }

  /** The principal of the request (bearer token or session cookie), if it has a valid one (no error otherwise, no CSRF check). */
  async principalOf(req: Request): Promise<Principal | undefined> {
    try {
      return await this.authenticate(req, undefined, { checkCsrf: false });
    } catch {
      return undefined;
    }
  }

  /**
   * The request's principal, or an error saying what is wrong: 401 without valid credentials
   * (an expired session says so), 403 for a cookie request that changes something without the
   * session's CSRF token. A bearer token wins over a cookie and needs no CSRF token: a browser
   * never adds one to a request on its own. `res`, when given, gets the slid session cookie.
   */
  async authenticate(req: Request, res?: Response, opts: { checkCsrf: boolean } = { checkCsrf: true }): Promise<Principal> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (bearer) {
      const { principal, expiredAt } = await this.lookup(bearer[1]!);
      if (expiredAt !== undefined)
        throw new UnauthorizedError(`the bearer token expired on ${new Date(expiredAt).toISOString()}: an admin creates a new one (POST /api/v1/tokens)`);
      if (!principal) throw new UnauthorizedError('the bearer token is not valid (revoked or mistyped)');
      return principal;
    }
    const token = this.sessions ? sessionTokenOf(req) : undefined;
    if (!token) throw new UnauthorizedError(req.get('authorization') ? undefined : NOT_SIGNED_IN);
    const now = Date.now();
    const session = await this.session(token, now, req, res);
    if (!session || session.userDisabled) throw new UnauthorizedError(SESSION_ENDED);
    if (session.expiresAt <= now) throw new UnauthorizedError(SESSION_EXPIRED);
    if (opts.checkCsrf && !SAFE_METHODS.has(req.method) && !safeEqual(req.get('x-csrf-token') ?? '', session.csrfToken)) throw new ForbiddenError(CSRF_REFUSED);
    return { name: session.username, role: session.role, displayName: session.displayName, via: 'session', csrfToken: session.csrfToken };
  }

  /** The stored session (cached ≤ 1 s), slid forward when a minute has passed since it was last seen. */
  private async session(token: string, now: number, req: Request, res: Response | undefined): Promise<SessionRecord | undefined> {
    const id = hashToken(token);
    const cached = this.sessionCache.get(id);
    if (cached && cached.until > now) return cached.session;
    let session = await this.sessions!.store.find(token);
    if (session && !session.userDisabled && session.expiresAt > now && now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      const expiresAt = await this.sessions!.store.touch(session.id, this.sessions!.ttlMs, now);
      session = { ...session, lastSeenAt: now, expiresAt };
      // The browser's cookie slides with the session, or it would lapse while the session lives.
      if (res && !res.headersSent) setSessionCookie(req, res, token, this.sessions!.ttlMs);
    }
    if (this.sessionCache.size > 10_000) this.sessionCache.clear();
    this.sessionCache.set(id, { session, until: now + CACHE_MS });
    return session;
  }

  /** After a token is revoked: every process reads tokens and sessions from the database again. */
  forget(): void {
    if (this.bus) this.bus.publish('auth.forget', {});
    else this.forgetHere();
  }

  /** After a sign-out: the session stops at once on every process (at the latest within CACHE_MS without a bus). */
  forgetSession(token: string): void {
    if (this.bus) this.bus.publish('auth.forget', { session: hashToken(token) });
    else this.sessionCache.delete(hashToken(token));
  }

  private forgetHere(): void {
    this.cache.clear();
    this.sessionCache.clear();
  }

  /**
   * Middleware: 401 without valid credentials, 403 when the principal's role is not one of `roles` (admin always passes) or a cookie request lacks its CSRF token.
   * The middleware carries `allowedRoles`, so a test can hold each route's roles against the OpenAPI document (gateway/http/api-routes.ts).
   */
  require(...roles: Role[]): RequestHandler & { allowedRoles: readonly Role[] } {
    const allowedRoles: readonly Role[] = ['admin', ...roles.filter((r) => r !== 'admin')];
    const middleware = async (req: Request, res: Response, next: NextFunction) => {
      try {
        const principal = await this.authenticate(req, res);
        if (principal.role !== 'admin' && !roles.includes(principal.role)) {
          throw new ForbiddenError(`role "${principal.role}" may not do this; it needs one of: ${['admin', ...roles].join(', ')}`);
        }
        req.principal = principal;
        next();
      } catch (err) {
        next(err);
      }
    };
    return Object.assign(middleware, { allowedRoles });
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who made a config change, as the version history names them: `user:<name>` for a console session, `token:<name>` for an API token. */
export function configActor(principal: Principal): string {
  return `${principal.via === 'session' ? 'user' : 'token'}:${principal.name}`;
}
