import type { Db } from './db.js';

/**
 * Leases: a named right held by one process until it expires. Single-consumer sources
 * (an IMAP mailbox, a WeChat login) are polled only by the process holding their lease.
 */
export class LeaseStore {
  constructor(private readonly db: Db) {}

  /** Takes the lease if it is free, expired or already ours; true when we hold it afterwards. */
  async acquire(name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    await this.db.raw(
      `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE leases.expires_at < ? OR leases.holder = excluded.holder`,
      [name, holder, now + ttlMs, now],
    );
    const row = await this.db('leases').where({ name }).first();
    return row?.holder === holder;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db('leases').where({ name, holder }).delete();
  }

  async holder(name: string, now = Date.now()): Promise<string | undefined> {
    const row = await this.db('leases').where({ name }).where('expires_at', '>=', now).first();
    return row?.holder;
  }
}
