/**
 * Hits per key in a fixed window, counted where every gateway process sees them (the database), so N
 * processes enforce one limit between them. Storage implements it; adapters and routes take it.
 */
export interface RateCounter {
  /** Counts one hit on `key` in the current window of `windowMs`; returns the hits so far in it and when it ends (epoch ms). */
  hit(key: string, windowMs: number, now?: number): Promise<{ hits: number; resetAt: number }>;
  /** Takes back one hit (a request the limiter was told not to count after all). */
  undo(key: string): Promise<void>;
  /** Forgets the key's hits. */
  reset(key: string): Promise<void>;
}
