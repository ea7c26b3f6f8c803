import type { RateCounter } from '../../contracts/rate-counter.js';

/**
 * A limit of mails per sender, so one mail loop or a flooding address cannot fill the ticket
 * queue. With a shared counter (the database, as the gateway passes it) the count is one for every
 * gateway process and survives a restart or the mailbox lease moving to another process: a fixed
 * window (the counter keeps the address hashed). Without one it is a sliding
 * window in memory (tests, tools).
 */
export class SenderRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly counter?: RateCounter,
  ) {}

  /** Records one mail from `sender` at `now`; false when it is over the limit. */
  async allow(sender: string, now: number = Date.now()): Promise<boolean> {
    const key = sender.toLowerCase();
    if (this.counter) {
      const { hits } = await this.counter.hit(`email-sender:${key}`, this.windowMs, now);
      return hits <= this.max;
    }
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    this.hits.set(key, list);
    // Keep the map small: forget senders whose window has passed.
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((t) => t > since)) this.hits.delete(k);
    return true;
  }
}
