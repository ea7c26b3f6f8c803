import type { Request, Response } from 'express';

/** The console's session cookie. Its value is the random session token (the database keeps only its hash). */
export const SESSION_COOKIE = 'gw_session';

/** The raw value of cookie `name` in the Cookie header, if the request carries it. */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq >= 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session token from the Cookie header, if the request carries one that could be ours. */
export function sessionTokenOf(req: Request): string | undefined {
  const value = cookieValue(req, SESSION_COOKIE);
  // Our tokens are base64url; anything else was not set by us and names no session.
  return value !== undefined && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

/**
 * HttpOnly: page scripts never see the token (the CSRF token is given to them instead).
 * SameSite=Lax: other sites' pages cannot make the browser send it with a POST/PATCH/DELETE.
 * Secure when the request came over TLS (directly, or through a proxy with `server.trustProxy`).
 */
export function setSessionCookie(req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: maxAgeMs, secure: req.secure });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure });
}
