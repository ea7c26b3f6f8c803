import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/loader.js';
import type { Db } from '../storage/db.js';
import { PollingLoop } from './polling-loop.js';

/**
 * LSH band rows (ticket_bands) are what gateways before 2026-12-07 wrote on PostgreSQL, 64 per new ticket;
 * the gateway now keeps recent tickets' band keys in memory (gateway/pipeline/recent-bands.ts). A database
 * upgraded from such a gateway still holds them: they are deleted in small batches once older than twice the
 * incident window (the signatures themselves are kept), and then the table stays empty.
 */
export class BandPurgeWorker {
  private readonly loop: PollingLoop;

  constructor(private readonly deps: { db: Db; config: () => GatewayConfig; log: Logger; intervalMs?: number; gate?: () => Promise<boolean> }) {
    this.loop = new PollingLoop(
      'band purge',
      async () => (await this.run(), 0),
      () => deps.intervalMs ?? 10 * 60_000,
      deps.log,
      deps.gate,
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Deletes band rows older than twice the incident window. Returns how many. */
  async run(now = Date.now()): Promise<number> {
    const cutoff = now - 2 * this.deps.config().gateway.incidents.windowMinutes * 60_000;
    let total = 0;
    for (;;) {
      // Small batches (a few hundred tickets' bands): on SQLite a long delete would hold back intake.
      const tickets = await this.deps.db('ticket_bands').where('created_at', '<', cutoff).distinct('ticket_id').limit(500);
      if (tickets.length === 0) return total;
      const deleted = await this.deps
        .db('ticket_bands')
        .where('created_at', '<', cutoff)
        .whereIn(
          'ticket_id',
          tickets.map((t) => Number(t.ticket_id)),
        )
        .delete();
      total += deleted;
    }
  }
}
