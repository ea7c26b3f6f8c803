import { createHash } from 'node:crypto';
import type { RateCounter } from '../contracts/rate-counter.js';
import type { Db } from './db.js';

const stored = (key: string) => createHash('sha256').update(key).digest('base64url');

/** Expired windows are swept after about this many hits (one DELETE on the reset_at index). */
const SWEEP_EVERY = 500;

/**
 * Fixed-window hit counts in `rate_limit_hits`, one row per key: one upsert per hit, atomic on SQLite
 * and PostgreSQL alike (INSERT … ON CONFLICT … RETURNING), so concurrent processes never lose a hit.
 * A window that has ended starts again at 1 on the next hit. Keys (an IP address, a status-page token, an
 * e-mail address) are stored as their SHA-256: the table holds no personal data and no credential.
 */
export class RateLimitStore implements RateCounter {
  private sinceSweep = 0;

  constructor(private readonly db: Db) {}

  async hit(key: string, windowMs: number, now = Date.now()): Promise<{ hits: number; resetAt: number }> {
    const result = await this.db.raw(
      `INSERT INTO rate_limit_hits (key, hits, reset_at) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit_hits.reset_at <= ? THEN 1 ELSE rate_limit_hits.hits + 1 END,
         reset_at = CASE WHEN rate_limit_hits.reset_at <= ? THEN excluded.reset_at ELSE rate_limit_hits.reset_at END
       RETURNING hits, reset_at`,
      [stored(key), now + windowMs, now, now],
    );
    const row = (Array.isArray(result) ? result : result.rows)[0];
    if (++this.sinceSweep >= SWEEP_EVERY) {
      this.sinceSweep = 0;
      await this.db('rate_limit_hits').where('reset_at', '<', now).delete();
    }
    return { hits: Number(row.hits), resetAt: Number(row.reset_at) };
  }

  async undo(key: string): Promise<void> {
    await this.db('rate_limit_hits')
      .where({ key: stored(key) })
      .where('hits', '>', 0)
      .decrement('hits', 1);
  }

  async reset(key: string): Promise<void> {
    await this.db('rate_limit_hits')
      .where({ key: stored(key) })
      .delete();
  }
}
