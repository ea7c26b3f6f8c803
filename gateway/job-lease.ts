import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LeaseStore } from '../storage/lease.store.js';

/**
 * The jobs that change tickets on a timer (SLA checks, FAQ deflection, retention, band purge) run in one
 * gateway process at a time: the one holding this lease. Run by several processes sharing a database they
 * would race: two processes finding the same SLA warning due both record it and both alert the leads' chat
 * room, and a retention batch is anonymised twice. Each job step takes or renews the lease first; when its
 * holder stops, the lease is released, and when it dies, another process takes over once the lease lapses.
 */
export class JobLease {
  static readonly NAME = 'jobs:scheduled';
  /** Stable across restarts when the process has a name, so a restarted process takes its lease back at once. */
  readonly holder: string;

  constructor(
    private readonly leases: LeaseStore,
    processName: string | undefined,
    private readonly log: Logger,
    private readonly ttlMs = 120_000,
  ) {
    this.holder = `jobs-${processName ?? randomUUID().slice(0, 8)}`;
  }

  /** Whether this process may run the scheduled jobs now (takes the lease if it is free or lapsed, renews it if ours). */
  async held(): Promise<boolean> {
    try {
      return await this.leases.acquire(JobLease.NAME, this.holder, this.ttlMs);
    } catch (err) {
      this.log.warn({ err }, 'scheduled jobs: lease check failed; skipping this round');
      return false;
    }
  }

  /** Hands the jobs over at once (graceful stop), instead of after the lease lapses. */
  async release(): Promise<void> {
    await this.leases.release(JobLease.NAME, this.holder).catch(() => undefined);
  }
}
