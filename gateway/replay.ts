import type { GatewayConfig } from '../config/loader.js';
import { route, type RouteDecision } from '../nlp/routing/engine.js';
import { detectLanguage, foldText } from '../nlp/text-normalizer.js';
import type { UnderstandingEngine } from '../nlp/understanding.js';
import { dialectOf, type Db, type DbRow } from '../storage/db.js';
import { classifiedPart, defaultWorkers, ReplayClassifier, WORKERS_FROM, type Classified, type ReplayModel } from './replay-classifier.js';
import { businessHoursFn, resolveSlaPolicy } from './sla/sla-clock.js';
import { understandingVersion } from './understanding-version.js';

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
  /**
   * Tickets classified again; the others kept the classification stored with them, made under the
   * candidate's categories.yaml and model (a routing, SLA or FAQ edit classifies none again).
   */
  reclassified: number;
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

export interface ReplayOptions {
  sinceMs: number;
  limit?: number;
  samples?: number;
  /** Called after each page of tickets is decided (`pageSize` tickets), with the tickets done and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Tickets read and decided at a time: 500 (fewer in tests, to go through many pages). */
  pageSize?: number;
  now?: number;
  /** The trained model the candidate classifies with (the running gateway's, or GATEWAY_NLP_MODEL's file). */
  model?: ReplayModel;
  /** Classify every ticket again: no stored classification reused, no repeated text remembered. Same report, slower. */
  reclassify?: boolean;
  /**
   * Worker threads for classification. Default: when thousands of tickets need it, one a core (at
   * most 4), taking over from this thread once started. A number: that many, waited for; 0: none.
   */
  workers?: number;
}

/** Pages decided behind the one being read: classification of the next pages runs in the workers meanwhile. */
const PAGES_AHEAD = 3;

/**
 * Re-runs classification and routing with a candidate config over stored messages
 * (the first message of each ticket created since `sinceMs`) and reports what would
 * change against what routing decided when the ticket was created.
 *
 * A ticket classified under the candidate's understanding version (the same categories.yaml,
 * model and classifier code: understanding-version.ts) keeps its stored classification, since
 * classifying it again would give the same result: a routing, SLA or FAQ edit then costs routing
 * alone. The others are classified again, each distinct text once, spread over worker threads
 * when there are thousands. Neither changes the report (`reclassify` checks it).
 */
export async function replay(db: Db, candidate: GatewayConfig, opts: ReplayOptions): Promise<ReplayReport> {
  const started = Date.now();
  const now = opts.now ?? Date.now();
  const from = now - opts.sinceMs;
  const isBusinessHours = businessHoursFn(candidate.sla);
  const maxSamples = opts.samples ?? 5;
  const version = understandingVersion(candidate.categories, opts.model?.digest);
  const incidentSeverity = candidate.gateway.incidents.enabled ? candidate.gateway.incidents.severity : undefined;

  const totalRow = await db('tickets').where('created_at', '>=', from).count({ n: '*' }).first();
  const total = Math.min(Number(totalRow?.n ?? 0), opts.limit ?? Infinity);
  const report: ReplayReport = {
    scanned: 0,
    changed: 0,
    counts: { queue: 0, priority: 0, severity: 0, category: 0, slaPolicy: 0 },
    samples: { queue: [], priority: [], severity: [], category: [], slaPolicy: [] },
    reclassified: 0,
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

  const compare = (c: StoredComplaint, u: Classified | undefined) => {
    report.scanned++;
    const { ticket: t, message: m, created: was } = c;
    if (!m || !u) return;
    const createdAt = Number(t.created_at);
    const times = history.get(Number(t.customer_id)) ?? [];
    const outcome = decideClassified(candidate, u, isBusinessHours, {
      text: m.text,
      subject: m.subject ?? undefined,
      channel: m.channel,
      tier: t.customer_tier ?? 'standard',
      tags: JSON.parse(t.tags ?? '[]'),
      incident: t.incident_id != null,
      incidentSeverity: t.incident_id != null ? incidentSeverity : undefined,
      receivedAt: Number(m.created_at),
      // Tickets created before this one (by id: a batch drain creates many in the same millisecond).
      repeatCount: (days) => times.filter((x) => x.id <= Number(t.id) && x.at >= createdAt - days * DAY_MS).length,
    });
    const before: Record<Field, string | number | null> = {
      queue: (was.queue as string) ?? null,
      priority: (was.priority as string) ?? null,
      severity: t.severity == null ? null : Number(t.severity),
      category: t.category ?? null,
      slaPolicy: (was.slaPolicy as string) ?? c.stored.slaPolicy ?? null,
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
  };

  const classifier = new ReplayClassifier({ categories: candidate.categories, model: opts.model, cache: !opts.reclassify });
  let sized = false;
  type Decided = { page: StoredComplaint[]; classified: Array<Classified | undefined> };
  const ahead: Array<Promise<Decided>> = [];
  const finish = (d: Decided) => {
    d.page.forEach((c, i) => compare(c, d.classified[i]));
    opts.onProgress?.(report.scanned, total);
  };
  try {
    for await (const page of readAhead(storedComplaintPages(db, from, total, opts.pageSize))) {
      // Incident members are classified again: their stored severity carries the surge's floor.
      const classified: Array<Classified | undefined> = page.map((c) =>
        c.message && !opts.reclassify && c.ticket.incident_id == null ? reusable(c.stored, version) : undefined,
      );
      const todo = page.flatMap((c, i) => (c.message && !classified[i] ? [i] : []));
      report.reclassified += todo.length;
      if (!sized && todo.length > 0) {
        sized = true;
        if (opts.workers !== undefined) {
          classifier.startWorkers(opts.workers);
          await classifier.workersStarted();
        } else if ((todo.length / page.length) * total >= WORKERS_FROM) classifier.startWorkers(defaultWorkers());
      }
      const inputs = todo.map((i) => {
        const m = page[i]!.message!;
        return { text: m.text, subject: m.subject ?? undefined, channel: m.channel };
      });
      ahead.push(
        classifier.classify(inputs).then((results) => {
          todo.forEach((i, k) => (classified[i] = results[k]));
          return { page, classified };
        }),
      );
      if (ahead.length > PAGES_AHEAD) finish(await ahead.shift()!);
    }
    while (ahead.length > 0) finish(await ahead.shift()!);
  } finally {
    await classifier.close();
  }
  report.elapsedMs = Date.now() - started;
  return report;
}

/**
 * The pages of `source`, asking for the next one as soon as one is handed out: the database
 * (SQLite's thread, PostgreSQL's process) reads page n + 1 while this thread decides page n.
 */
async function* readAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  let next = source.next();
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = source.next();
      yield r.value;
    }
  } finally {
    // Stopped early (an error while deciding): let the read in flight settle, then close the source.
    await next.catch(() => undefined);
    await source.return(undefined);
  }
}

/** A stored complaint as replay reads it. */
export interface StoredComplaint {
  /** The ticket row (with `customer_tier`: the tier the ticket was opened under, which chose its SLA policy). */
  ticket: DbRow;
  /** Its first inbound message (absent if the ticket has none). */
  message?: { text: string; subject: string | null; channel: string; created_at: number };
  /** What the `created` event recorded (queue, priority, SLA policy at creation). */
  created: Record<string, unknown>;
  /** What the pipeline stored of its classification (the fields routing reads) and route. */
  stored: StoredClassification;
}

/** The parts of a ticket's `understanding` JSON replay reads, taken out by the database (the rest, evidence above all, is left there). */
export interface StoredClassification {
  /** The understanding version it was classified with (understanding-version.ts); absent before it was stored. */
  classifiedWith: string | null;
  category: string | null;
  subcategory: string | null;
  severity: number | null;
  emotion: number | null;
  language: string | null;
  /** The entities, as JSON text (parsed only when the classification is reused). */
  entities: string | null;
  slaPolicy: string | null;
}

const STORED_FIELDS: Record<keyof StoredClassification, string> = {
  classifiedWith: 'classifiedWith',
  category: 'category',
  subcategory: 'subcategory',
  severity: 'severity',
  emotion: 'emotion',
  language: 'language',
  entities: 'entities',
  slaPolicy: 'route.slaPolicy',
};

/**
 * Tickets created since `from`, at most `limit`, oldest first, `pageSize` a page keyset by id:
 * three queries a page (tickets, first inbound messages, `created` events). Of the stored
 * understanding only the fields replay reads leave the database (JSON.parse of the whole of it,
 * evidence included, was a third of a routing-only replay's time).
 */
export async function* storedComplaintPages(db: Db, from: number, limit = Infinity, pageSize = 500): AsyncGenerator<StoredComplaint[]> {
  const sqlite = dialectOf(db) === 'sqlite';
  // SQLite reads JSON text with json_extract; PostgreSQL parses the text column once per row (a lateral jsonb).
  const extract = (path: string) => {
    const parts = path.split('.');
    return sqlite ? `json_extract(t.understanding, '$.${path}')` : `j.u #>> '{${parts.join(',')}}'`;
  };
  const storedColumns = Object.entries(STORED_FIELDS).map(([key, path]) => db.raw(`${extract(path)} as "u_${key}"`));
  let afterId = 0;
  let read = 0;
  while (read < limit) {
    const query = db('tickets as t')
      .where('t.created_at', '>=', from)
      .where('t.id', '>', afterId)
      .orderBy('t.id')
      .limit(Math.min(pageSize, limit - read))
      .select('t.id', 't.number', 't.customer_id', 't.created_at', 't.incident_id', 't.tags', 't.severity', 't.category', 't.customer_tier', ...storedColumns);
    // OFFSET 0 keeps the planner from inlining the subquery, which would parse the text once per field (5× the time).
    if (!sqlite) query.joinRaw('CROSS JOIN LATERAL (SELECT t.understanding::jsonb AS u OFFSET 0) j');
    const batch = await query;
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
    yield batch.map((t) => ({
      ticket: t,
      message: firstMessages.get(Number(t.id)),
      created: created.get(Number(t.id)) ?? {},
      stored: storedClassification(t),
    }));
  }
}

function storedClassification(row: DbRow): StoredClassification {
  const text = (v: unknown) => (v == null ? null : String(v));
  const num = (v: unknown) => (v == null ? null : Number(v));
  return {
    classifiedWith: text(row.u_classifiedWith),
    category: text(row.u_category),
    subcategory: text(row.u_subcategory),
    severity: num(row.u_severity),
    emotion: num(row.u_emotion),
    language: text(row.u_language),
    entities: text(row.u_entities),
    slaPolicy: text(row.u_slaPolicy),
  };
}

/** The stored classification as routing reads it, when it was made with `version` (else undefined: classify again). */
function reusable(s: StoredClassification, version: string): Classified | undefined {
  if (s.classifiedWith !== version || s.category == null || s.severity == null || s.emotion == null || s.language == null) return undefined;
  return classifiedPart({
    category: s.category,
    subcategory: s.subcategory,
    severity: s.severity as Classified['severity'],
    emotion: s.emotion as Classified['emotion'],
    language: s.language as Classified['language'],
    entities: s.entities ? JSON.parse(s.entities) : {},
  });
}

/** Classification + routing + SLA policy of one message under a config (pure apart from the engine). */
export function decide(
  config: GatewayConfig,
  engine: UnderstandingEngine,
  isBusinessHours: (calendar: string | undefined, at: Date) => boolean,
  m: DecideInput,
): Outcome {
  return decideClassified(config, classifiedPart(engine.analyze({ text: m.text, subject: m.subject, channel: m.channel })), isBusinessHours, m);
}

/** What decide needs to know of a message besides its text's classification. */
export interface DecideInput {
  text: string;
  subject?: string;
  channel: string;
  tier: string;
  tags: string[];
  incident: boolean;
  incidentSeverity?: number;
  receivedAt: number;
  repeatCount: (days: number) => number;
}

/** Routing + SLA policy of one message already classified (`analyzed`), as the pipeline's route stage decides. */
export function decideClassified(
  config: GatewayConfig,
  analyzed: Classified,
  isBusinessHours: (calendar: string | undefined, at: Date) => boolean,
  m: DecideInput,
): Outcome {
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
    entities: u.entities,
    receivedAt: new Date(m.receivedAt),
    incident: m.incident,
    repeatCount: m.repeatCount,
    isBusinessHours,
  });
  const sla = resolveSlaPolicy(config.sla, { routed: decision.slaPolicy, severity: u.severity, tier: m.tier });
  return { queue: decision.queue, priority: decision.priority, severity: u.severity, category: u.category, slaPolicy: sla.name, decision };
}
