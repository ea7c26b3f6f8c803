import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Role, TokenStore } from '../../storage/token.store.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';

export interface Principal {
  name: string;
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** How long a token lookup is reused: a revoked token stops working on every process within this time. */
const CACHE_MS = 1_000;

/** Bearer-token authentication: the bootstrap admin token from the environment, or a stored token. */
export class Authenticator {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly adminToken: string | undefined,
  ) {}

  async identify(token: string): Promise<Principal | undefined> {
    if (this.adminToken && safeEqual(token, this.adminToken)) return { name: 'admin', role: 'admin' };
    const cached = this.cache.get(token);
    if (cached && cached.until > Date.now()) return cached.principal;
    const found = await this.tokens.find(token);
    const principal = found ? { name: found.name, role: found.role } : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(token, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }

  /** The principal of the request's bearer token, if it has a valid one (no error otherwise). */
  async principalOf(req: Request): Promise<Principal | undefined> {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    return match ? this.identify(match[1]!) : undefined;
  }

  forget(): void {
    this.cache.clear();
  }

  /** Middleware: 401 without a valid token, 403 when the token's role is not one of `roles` (admin always passes). */
  require(...roles: Role[]) {
    return async (req: Request, _res: Response, next: NextFunction) => {
      try {
        const header = req.get('authorization') ?? '';
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new UnauthorizedError();
        const principal = await this.identify(match[1]!);
        if (!principal) throw new UnauthorizedError('the bearer token is not valid (revoked or mistyped)');
        if (principal.role !== 'admin' && !roles.includes(principal.role)) {
          throw new ForbiddenError(`role "${principal.role}" may not do this; it needs one of: ${['admin', ...roles].join(', ')}`);
        }
        req.principal = principal;
        next();
      } catch (err) {
        next(err);
      }
    };
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
