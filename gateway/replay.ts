import type { GatewayConfig } from '../config/loader.js';
import { route, type RouteDecision } from '../nlp/routing/engine.js';
import { detectLanguage, foldText } from '../nlp/text-normalizer.js';
import { UnderstandingEngine } from '../nlp/understanding.js';
import type { Db, DbRow } from '../storage/db.js';
import { businessHoursFn, resolveSlaPolicy } from './sla/sla-clock.js';

const DAY_MS = 86_400_000;
const FIELDS = ['queue', 'priority', 'severity', 'category', 'slaPolicy'] as const;
type Field = (typeof FIELDS)[number];

export interface ReplayChange {
  ticket: string;
  field: Field;
  before: string | number | null;
  after: string | number | null;
  /** The candidate config's rules that fired, with their reasons. */
  rules: Array<{ ruleId: string; reasons: string[] }>;
}

export interface ReplayReport {
  scanned: number;
  changed: number;
  counts: Record<Field, number>;
  samples: Record<Field, ReplayChange[]>;
  elapsedMs: number;
}

/** What one message would get under a config: understanding + routing + SLA policy. */
export interface Outcome {
  queue: string;
  priority: string;
  severity: number;
  category: string;
  slaPolicy: string;
  decision: RouteDecision;
}

/**
 * Re-runs classification and routing with a candidate config over stored messages
 * (the first message of each ticket created since `sinceMs`) and reports what would
 * change against what routing decided when the ticket was created.
 */
export async function replay(
  db: Db,
  candidate: GatewayConfig,
  opts: { sinceMs: number; limit?: number; samples?: number; onProgress?: (done: number, total: number) => void; now?: number },
): Promise<ReplayReport> {
  const started = Date.now();
  const now = opts.now ?? Date.now();
  const from = now - opts.sinceMs;
  const engine = new UnderstandingEngine(candidate.categories);
  const isBusinessHours = businessHoursFn(candidate.sla);
  const maxSamples = opts.samples ?? 5;

  const totalRow = await db('tickets').where('created_at', '>=', from).count({ n: '*' }).first();
  const total = Math.min(Number(totalRow?.n ?? 0), opts.limit ?? Infinity);
  const report: ReplayReport = {
    scanned: 0,
    changed: 0,
    counts: { queue: 0, priority: 0, severity: 0, category: 0, slaPolicy: 0 },
    samples: { queue: [], priority: [], severity: [], category: [], slaPolicy: [] },
    elapsedMs: 0,
  };
  // Repeat counts: creation times per customer within the window (and a year before it).
  const history = new Map<number, Array<{ id: number; at: number }>>();
  for (const r of await db('tickets')
    .where('created_at', '>=', from - 365 * DAY_MS)
    .select('id', 'customer_id', 'created_at')) {
    const list = history.get(Number(r.customer_id)) ?? [];
    list.push({ id: Number(r.id), at: Number(r.created_at) });
    history.set(Number(r.customer_id), list);
  }

  for await (const page of storedComplaintPages(db, from, total)) {
    for (const { ticket: t, message: m, created: was } of page) {
      report.scanned++;
      if (!m) continue;
      const createdAt = Number(t.created_at);
      const times = history.get(Number(t.customer_id)) ?? [];
      const outcome = decide(candidate, engine, isBusinessHours, {
        text: m.text,
        subject: m.subject ?? undefined,
        channel: m.channel,
        tier: t.tier,
        tags: JSON.parse(t.tags ?? '[]'),
        incident: t.incident_id != null,
        incidentSeverity: t.incident_id != null && candidate.gateway.incidents.enabled ? candidate.gateway.incidents.severity : undefined,
        receivedAt: Number(m.created_at),
        // Tickets created before this one (by id: a batch drain creates many in the same millisecond).
        repeatCount: (days) => times.filter((x) => x.id <= Number(t.id) && x.at >= createdAt - days * DAY_MS).length,
      });
      const stored = t.understanding ? JSON.parse(t.understanding) : {};
      const before: Record<Field, string | number | null> = {
        queue: (was.queue as string) ?? null,
        priority: (was.priority as string) ?? null,
        severity: t.severity == null ? null : Number(t.severity),
        category: t.category ?? null,
        slaPolicy: (was.slaPolicy as string) ?? stored.route?.slaPolicy ?? null,
      };
      let any = false;
      for (const field of FIELDS) {
        const after = outcome[field];
        if (before[field] === after) continue;
        any = true;
        report.counts[field]++;
        if (report.samples[field].length < maxSamples) {
          report.samples[field].push({
            ticket: t.number,
            field,
            before: before[field],
            after,
            rules: outcome.decision.fired.map((f) => ({ ruleId: f.ruleId, reasons: f.reasons })),
          });
        }
      }
      if (any) report.changed++;
    }
    opts.onProgress?.(report.scanned, total);
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

/** A stored complaint as replay reads it. */
export interface StoredComplaint {
  /** The ticket row, with its customer's `tier`. */
  ticket: DbRow;
  /** Its first inbound message (absent if the ticket has none). */
  message?: { text: string; subject: string | null; channel: string; created_at: number };
  /** What the `created` event recorded (queue, priority, SLA policy at creation). */
  created: Record<string, unknown>;
}

/**
 * Tickets created since `from`, at most `limit`, oldest first, 500 a page keyset by id:
 * three queries a page (tickets + tier, first inbound messages, `created` events).
 */
export async function* storedComplaintPages(db: Db, from: number, limit = Infinity): AsyncGenerator<StoredComplaint[]> {
  let afterId = 0;
  let read = 0;
  while (read < limit) {
    const batch = await db('tickets as t')
      .join('customers as c', 'c.id', 't.customer_id')
      .where('t.created_at', '>=', from)
      .where('t.id', '>', afterId)
      .orderBy('t.id')
      .limit(Math.min(500, limit - read))
      .select('t.id', 't.number', 't.customer_id', 't.created_at', 't.incident_id', 't.tags', 't.severity', 't.category', 't.understanding', 'c.tier');
    if (batch.length === 0) return;
    afterId = Number(batch[batch.length - 1].id);
    read += batch.length;
    const ids = batch.map((t) => Number(t.id));
    const firstMessages = new Map<number, StoredComplaint['message']>();
    for (const m of await db('messages')
      .whereIn('ticket_id', ids)
      .where('direction', 'in')
      .orderBy('id')
      .select('ticket_id', 'text', 'subject', 'channel', 'created_at')) {
      if (!firstMessages.has(Number(m.ticket_id))) firstMessages.set(Number(m.ticket_id), m);
    }
    const created = new Map<number, Record<string, unknown>>();
    for (const e of await db('ticket_events').whereIn('ticket_id', ids).where('type', 'created').select('ticket_id', 'after')) {
      created.set(Number(e.ticket_id), e.after ? JSON.parse(e.after) : {});
    }
    yield batch.map((t) => ({ ticket: t, message: firstMessages.get(Number(t.id)), created: created.get(Number(t.id)) ?? {} }));
  }
}

/** Classification + routing + SLA policy of one message under a config (pure apart from the engine). */
export function decide(
  config: GatewayConfig,
  engine: UnderstandingEngine,
  isBusinessHours: (calendar: string | undefined, at: Date) => boolean,
  m: {
    text: string;
    subject?: string;
    channel: string;
    tier: string;
    tags: string[];
    incident: boolean;
    incidentSeverity?: number;
    receivedAt: number;
    repeatCount: (days: number) => number;
  },
): Outcome {
  const analyzed = engine.analyze({ text: m.text, subject: m.subject, channel: m.channel });
  // An incident member's severity was raised when the surge was found (incident stage): keep that floor.
  const u =
    m.incidentSeverity !== undefined ? { ...analyzed, severity: Math.min(analyzed.severity, m.incidentSeverity) as typeof analyzed.severity } : analyzed;
  const joined = [m.subject, m.text].filter(Boolean).join('\n');
  const { folded } = foldText(joined);
  const decision = route(config.routing, {
    category: u.category,
    subcategory: u.subcategory ?? undefined,
    severity: u.severity,
    emotion: u.emotion,
    channel: m.channel,
    language: u.language !== 'other' ? u.language : detectLanguage(folded, joined).language,
    tier: m.tier,
    tags: m.incident && !m.tags.includes('incident') ? [...m.tags, 'incident'] : m.tags,
    text: folded,
    entities: Object.fromEntries(Object.entries(u.entities).filter(([, v]) => Array.isArray(v) && v.length > 0)) as Record<string, unknown[]>,
    receivedAt: new Date(m.receivedAt),
    incident: m.incident,
    repeatCount: m.repeatCount,
    isBusinessHours,
  });
  const sla = resolveSlaPolicy(config.sla, { routed: decision.slaPolicy, severity: u.severity, tier: m.tier });
  return { queue: decision.queue, priority: decision.priority, severity: u.severity, category: u.category, slaPolicy: sla.name, decision };
}
