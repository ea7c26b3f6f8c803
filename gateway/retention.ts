import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/loader.js';
import type { Clock } from '../contracts/clock.js';
import type { Db } from '../storage/db.js';
import type { PersonalDataStore, RetentionCandidate } from '../storage/personal-data.store.js';
import type { PersonalData } from './personal-data.js';
import { PollingLoop } from './polling-loop.js';

/** A ticket the retention rules make anonymous, and the rule that does. */
export interface RetentionItem extends RetentionCandidate {
  /** `3y` (the default period) or `SP: 5y` (its category's). */
  rule: string;
}

/** Tickets anonymised per transaction: short, so intake is not held back on SQLite. */
const BATCH = 50;

/** `now` moved back by a period (`90d`, `18m`, `3y`) on the UTC calendar. */
export function periodBefore(now: number, period: string): number {
  const m = /^(\d+)([dmy])$/.exec(period);
  if (!m) throw new Error(`not a retention period: ${period}`);
  const n = Number(m[1]);
  const d = new Date(now);
  if (m[2] === 'd') d.setUTCDate(d.getUTCDate() - n);
  else if (m[2] === 'm') d.setUTCMonth(d.getUTCMonth() - n);
  else d.setUTCFullYear(d.getUTCFullYear() - n);
  return d.getTime();
}

/**
 * Retention (issue 23): finished tickets keep their text and attachments for `retention.closedTickets`
 * (or their category's period), then this job removes them as an erasure would, one ticket at a time,
 * keeping the ticket's skeleton and figures. It runs every `checkIntervalHours` (daily) on the gateway's
 * clock; `plan` is the dry run, listing exactly the tickets `run` would change at the same moment.
 */
export class RetentionJob {
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: {
      db: Db;
      store: PersonalDataStore;
      personalData: PersonalData;
      config: () => GatewayConfig;
      clock: Clock;
      log: Logger;
      /** Runs only while this returns true (gateway/job-lease.ts). */
      gate?: () => Promise<boolean>;
    },
  ) {
    this.loop = new PollingLoop(
      'retention',
      async () => (this.deps.config().gateway.retention.enabled ? (await this.batch(this.deps.clock.now())).length : 0),
      () => this.deps.config().gateway.retention.checkIntervalHours * 3_600_000,
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

  private cutoffs(now: number) {
    const r = this.deps.config().gateway.retention;
    return {
      fallback: periodBefore(now, r.closedTickets),
      byCategory: Object.fromEntries(Object.entries(r.byCategory).map(([category, period]) => [category, periodBefore(now, period)])),
    };
  }

  private ruleOf(category: string | null): string {
    const r = this.deps.config().gateway.retention;
    const own = category != null ? r.byCategory[category] : undefined;
    return own ? `${category}: ${own}` : r.closedTickets;
  }

  /** Every ticket a run at `now` would anonymise (the dry run), oldest first. Changes nothing. */
  async plan(now = this.deps.clock.now()): Promise<RetentionItem[]> {
    const cutoffs = this.cutoffs(now);
    const out: RetentionItem[] = [];
    for (let afterId = 0; ;) {
      const page = await this.deps.store.retentionDue(this.deps.db, cutoffs, 1000, afterId);
      if (page.length === 0) return out;
      out.push(...page.map((t) => ({ ...t, rule: this.ruleOf(t.category) })));
      afterId = page[page.length - 1]!.id;
    }
  }

  /** Anonymises every ticket past its period at `now`, in short transactions. Returns them. */
  async run(now = this.deps.clock.now()): Promise<RetentionItem[]> {
    const done: RetentionItem[] = [];
    for (;;) {
      const batch = await this.batch(now);
      if (batch.length === 0) break;
      done.push(...batch);
    }
    return done;
  }

  /** One transaction's worth (the daily loop calls this until it finds nothing). */
  private async batch(now: number): Promise<RetentionItem[]> {
    const due = (await this.deps.store.retentionDue(this.deps.db, this.cutoffs(now), BATCH)).map((t) => ({ ...t, rule: this.ruleOf(t.category) }));
    if (due.length === 0) return [];
    const byId = new Map(due.map((t) => [t.id, t]));
    const counts = await this.deps.personalData.anonymiseTickets(
      due.map((t) => t.id),
      'retention',
      (id) => ({ rule: byId.get(id)!.rule, finishedAt: new Date(byId.get(id)!.finishedAt).toISOString() }),
      now,
    );
    this.deps.log.info({ tickets: due.length, messages: counts.messages, filesDeleted: counts.filesDeleted }, 'retention: finished tickets anonymised');
    return due;
  }
}
