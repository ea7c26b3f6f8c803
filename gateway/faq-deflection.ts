import { systemClock, type Clock } from '../contracts/clock.js';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/loader.js';
import type { Db } from '../storage/db.js';
import type { TicketStore } from '../storage/ticket.store.js';
import type { GatewayMetrics } from './metrics.js';
import { PollingLoop } from './polling-loop.js';
import type { TicketChange } from './ticket-events-bus.js';
import { BOT_ANSWERED_TAG } from './pipeline/stages/handoff.stage.js';
import { nextCheckAt, type StoredSla } from './sla/ticket-sla.js';

/**
 * A bot-answered ticket whose customer did not come back within `deflectionMinutes`
 * was solved by the bot: it is resolved (actor `bot`, event `deflected`) and stays
 * reopenable like any resolved ticket.
 */
export class FaqDeflectionWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: {
      db: Db;
      tickets: TicketStore;
      config: () => GatewayConfig;
      log: Logger;
      metrics?: GatewayMetrics;
      intervalMs?: number;
      onChanged?: (change: TicketChange) => void;
      clock?: Clock;
      /** Runs only while this returns true (gateway/job-lease.ts). */
      gate?: () => Promise<boolean>;
    },
  ) {
    this.loop = new PollingLoop(
      'deflection check',
      async () => (await this.run(), 0),
      () => deps.intervalMs ?? 30_000,
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

  /** Resolves bot-answered tickets with no follow-up since `now - deflectionMinutes`. Returns their ids. */
  async run(now = (this.deps.clock ?? systemClock).now()): Promise<number[]> {
    const { db, tickets } = this.deps;
    const cutoff = now - this.deps.config().faq.deflectionMinutes * 60_000;
    const rows = await db('tickets')
      .where('status', 'pending_customer')
      .where('tags', 'like', `%"${BOT_ANSWERED_TAG}"%`)
      .where('last_message_at', '<=', cutoff)
      .limit(500)
      .select('id');
    const done: number[] = [];
    for (const { id } of rows) {
      await db.transaction(async (trx) => {
        const t = await tickets.get(trx, Number(id));
        if (!t || t.status !== 'pending_customer') return;
        await tickets.update(trx, t.id, { status: 'resolved', resolvedAt: now }, 'bot', now);
        await tickets.addEvent(
          trx,
          { ticketId: t.id, actor: 'bot', type: 'deflected', before: null, after: { minutesWithoutFollowUp: this.deps.config().faq.deflectionMinutes } },
          now,
        );
        const sla = t.sla as StoredSla | null;
        if (sla) await tickets.setSla(trx, t.id, { ...sla, resolvedAt: now }, nextCheckAt({ ...sla, resolvedAt: now }));
      });
      this.deps.metrics?.faqOutcomes.inc({ outcome: 'deflected' });
      this.deps.onChanged?.({ ticketId: Number(id), reason: 'status' });
      done.push(Number(id));
    }
    return done;
  }
}
