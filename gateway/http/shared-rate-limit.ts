import type { Options, Store } from 'express-rate-limit';
import type { RateCounter } from '../../contracts/rate-counter.js';

/**
 * An express-rate-limit store on the shared counter (the database): the limit a route declares holds for
 * all gateway processes together, not for each one. `prefix` keeps the routes' keys apart (the store keeps
 * keys hashed).
 */
export function sharedRateLimitStore(counter: RateCounter, prefix: string): Store {
  let windowMs = 60_000;
  return {
    prefix,
    localKeys: false,
    init(options: Options) {
      windowMs = options.windowMs;
    },
    async increment(key: string) {
      const { hits, resetAt } = await counter.hit(prefix + key, windowMs);
      return { totalHits: hits, resetTime: new Date(resetAt) };
    },
    async decrement(key: string) {
      await counter.undo(prefix + key);
    },
    async resetKey(key: string) {
      await counter.reset(prefix + key);
    },
  };
}
