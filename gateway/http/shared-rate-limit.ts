import { createHash } from 'node:crypto';
import type { Options, Store } from 'express-rate-limit';
import type { RateCounter } from '../../contracts/rate-counter.js';

/**
 * An express-rate-limit store on the shared counter (the database): the limit a route declares holds for
 * all gateway processes together, not for each one. `prefix` keeps the routes' keys apart. Keys (an IP
 * address, a status-page token) are stored hashed: the table holds no personal data and no credential.
 */
export function sharedRateLimitStore(counter: RateCounter, prefix: string): Store {
  let windowMs = 60_000;
  const stored = (key: string) => prefix + createHash('sha256').update(key).digest('base64url').slice(0, 32);
  return {
    prefix,
    localKeys: false,
    init(options: Options) {
      windowMs = options.windowMs;
    },
    async increment(key: string) {
      const { hits, resetAt } = await counter.hit(stored(key), windowMs);
      return { totalHits: hits, resetTime: new Date(resetAt) };
    },
    async decrement(key: string) {
      await counter.undo(stored(key));
    },
    async resetKey(key: string) {
      await counter.reset(stored(key));
    },
  };
}
