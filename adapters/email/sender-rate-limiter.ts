/**
 * Sliding-window limit of mails per sender, so one mail loop or a flooding address
 * cannot fill the ticket queue. In memory: a restart forgives everyone, which is fine
 * for a flood guard.
 */
export class SenderRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Records one mail from `sender` at `now`; false when it is over the limit. */
  allow(sender: string, now: number = Date.now()): boolean {
    const key = sender.toLowerCase();
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
