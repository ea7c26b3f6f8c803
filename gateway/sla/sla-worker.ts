import { systemClock, type Clock } from '../../contracts/clock.js';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../../config/loader.js';
import { PRIORITY_RANK, type Priority } from '../../config/routing.schema.js';
import type { NotifyTarget } from '../../nlp/routing/engine.js';
import type { Db } from '../../storage/db.js';
import type { Ticket, TicketStore } from '../../storage/ticket.store.js';
import type { GatewayMetrics } from '../metrics.js';
import type { Notifier } from '../notifier.js';
import { PollingLoop } from '../polling-loop.js';
import type { TicketChange } from '../ticket-events-bus.js';
import { evaluateSla, markSlaEvents, slaActionsFor } from './sla-clock.js';
import { nextCheckAt, toStored, type StoredSla } from './ticket-sla.js';

/**
 * Watches SLA clocks: at the warning threshold (80% by default) and at the due time
 * it records an event and runs the policy's actions (escalate to a queue, raise the
 * priority, notify). Only tickets whose next check time has come are read.
 */
export class SlaWorker {
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: {
      db: Db;
      tickets: TicketStore;
      config: () => GatewayConfig;
      log: Logger;
      metrics?: GatewayMetrics;
      notifier?: Notifier;
      onChanged?: (change: TicketChange) => void;
      clock?: Clock;
      /** Runs only while this returns true (gateway/job-lease.ts). */
      gate?: () => Promise<boolean>;
    },
  ) {
    // Periodic: a pass that raised events still sleeps (runDue already loops until nothing is due).
    this.loop = new PollingLoop(
      'SLA check',
      async () => (await this.runDue(), 0),
      () => deps.config().gateway.sla.checkIntervalSeconds * 1000,
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

  /** Handles every ticket whose warning or due time is at or before `now`. Returns the events raised. */
  async runDue(now = (this.deps.clock ?? systemClock).now()): Promise<Array<{ ticketId: number; kind: string; target: string }>> {
    const raised: Array<{ ticketId: number; kind: string; target: string }> = [];
    for (;;) {
      const due = await this.deps.tickets.slaDue(this.deps.db, now, 100);
      if (due.length === 0) return raised;
      for (const ticket of due) raised.push(...(await this.check(ticket, now)));
    }
  }

  private async check(ticket: Ticket, now: number) {
    const { db, tickets, log, metrics, notifier } = this.deps;
    const config = this.deps.config();
    const raised: Array<{ ticketId: number; kind: string; target: string }> = [];
    const notify: NotifyTarget[] = [];
    // What an escalation changed on the ticket, announced to open consoles after the commit.
    const moved: Array<'queue' | 'priority'> = [];
    await db.transaction(async (trx) => {
      // Found due outside this transaction: another gateway process may have handled it since.
      const current = await tickets.claimSlaCheck(trx, ticket.id, now);
      if (!current) return;
      ticket = current;
      let state = ticket.sla as StoredSla | null;
      if (!state || ticket.status === 'closed' || ticket.status === 'resolved') {
        await tickets.setSla(trx, ticket.id, state as Record<string, unknown> | null, null);
        return;
      }
      const events = evaluateSla(state, new Date(now));
      let priority = ticket.priority as Priority;
      for (const e of events) {
        raised.push({ ticketId: ticket.id, kind: e.kind, target: e.target });
        metrics?.slaEvents.inc({ kind: e.kind, target: e.target });
        await tickets.addEvent(
          trx,
          { ticketId: ticket.id, actor: 'sla', type: `sla_${e.kind}`, before: null, after: { target: e.target, policy: state.policy, at: e.at.toISOString() } },
          now,
        );
        const action = slaActionsFor(config.sla, state.policy, e);
        if (!action) continue;
        if (action.escalate) {
          if ((await tickets.update(trx, ticket.id, { queue: action.escalate.to }, 'sla', now)).length > 0) moved.push('queue');
          await tickets.addEvent(
            trx,
            {
              ticketId: ticket.id,
              actor: 'sla',
              type: 'escalated',
              before: { queue: ticket.queue },
              after: { queue: action.escalate.to, reason: action.escalate.reason },
            },
            now,
          );
        }
        if (action.priority && PRIORITY_RANK[action.priority] > (PRIORITY_RANK[priority] ?? 0)) {
          if ((await tickets.update(trx, ticket.id, { priority: action.priority }, 'sla', now)).length > 0) moved.push('priority');
          priority = action.priority;
        }
        for (const target of action.notify ?? []) {
          await tickets.addEvent(trx, { ticketId: ticket.id, actor: 'sla', type: 'notified', before: null, after: target }, now);
          notify.push(target);
        }
      }
      state = toStored({ ...markSlaEvents(state, events), policy: state.policy, source: state.source });
      await tickets.setSla(trx, ticket.id, { ...state }, nextCheckAt(state));
    });
    if (moved.length > 0) this.deps.onChanged?.({ ticketId: ticket.id, reason: moved[0]!, changes: [...new Set(moved)] });
    if (notify.length > 0) {
      log.info({ ticket: ticket.number, events: raised.map((r) => `${r.kind}:${r.target}`) }, 'SLA threshold reached');
      await notifier?.send(notify, { type: 'sla', ticket: ticket.number, events: raised });
    }
    return raised;
  }
}
