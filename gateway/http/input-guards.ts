import type { RequestHandler } from 'express';
import { BadRequestError, NotFoundError } from '../errors.js';

/**
 * A record id from the URL: a positive integer that fits every database's bigint and a double.
 * Anything else ("abc", "1.5", "99999999999999999999") names no record: 404, never a query.
 */
export function recordId(raw: unknown, what: string): number {
  const s = String(raw);
  const id = /^\d{1,15}$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError(`${what} ${s.slice(0, 64)} does not exist`);
  return id;
}

/** A `limit` query parameter: an integer from 1 to `max`, `fallback` when absent; anything else is a 400. */
export function limitParam(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequestError(`limit must be a whole number from 1 to ${max}`);
  return n;
}

const NUL = '\u0000';

/**
 * Refuses a NUL character anywhere in the path, query or JSON body of an API request: no text
 * a person types holds one, and PostgreSQL cannot store it. `lenient` paths (message intake,
 * which removes control characters itself so that nothing a customer wrote is lost) skip the body.
 */
export function refuseNulCharacters(opts: { lenientBodies: RegExp }): RequestHandler {
  return (req, _res, next) => {
    if (req.originalUrl.includes('%00') || req.originalUrl.includes(NUL)) return next(new BadRequestError('the URL contains a NUL character (%00); remove it'));
    if (req.body !== undefined && !opts.lenientBodies.test(req.path) && holdsNul(req.body))
      return next(new BadRequestError('the body contains a NUL character (\\u0000); remove it'));
    next();
  };
}

/** Walks a parsed JSON value without recursion (a 20,000-level body cannot overflow the stack). */
function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes(NUL)) return true;
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes(NUL)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}
