import type { Knex } from 'knex';
import type { Db } from './db.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const OPEN_STATUSES = ['new', 'open', 'pending_customer', 'reopened'] as const;

/** Which tickets a view counts: created in [from, to), optionally narrowed. */
export interface InsightFilter {
  from: number;
  to: number;
  channel?: string;
  category?: string;
  queue?: string;
  severity?: number;
}

export type VolumeKey = 'channel' | 'category';
export type Bucket = 'day' | 'hour';

/** The columns a key or filter reads (all in tickets_insights_index, so a range is read from the index alone). */
const KEY_COLUMN: Record<VolumeKey, string> = { channel: 'first_channel', category: 'category' };

function narrowed(q: Knex.QueryBuilder, f: InsightFilter): Knex.QueryBuilder {
  q.where('created_at', '>=', f.from).where('created_at', '<', f.to);
  if (f.channel) q.where('first_channel', f.channel);
  if (f.category) q.where('category', f.category);
  if (f.queue) q.where('queue', f.queue);
  if (f.severity) q.where('severity', f.severity);
  return q;
}

const count = (v: unknown) => Number(v ?? 0);

/**
 * What the lead's insight views read (GET /api/v1/insights/*): grouped counts over tickets by
 * creation time, SLA compliance, backlog and breaches. Days and hours are in the time zone given as
 * `offsetMs` (the business calendar's), so "Monday" is the support team's Monday.
 */
export class InsightsStore {
  /** Tickets per time bucket and channel (the one the complaint came in on) or category. */
  async volume(db: Db, f: InsightFilter, by: VolumeKey, bucket: Bucket, offsetMs: number): Promise<Array<{ at: number; key: string; count: number }>> {
    const size = bucket === 'day' ? DAY_MS : HOUR_MS;
    const col = KEY_COLUMN[by];
    const rows = await narrowed(db('tickets'), f)
      .select(db.raw(`(created_at + ?) / ? AS b`, [offsetMs, size]), db.raw(`${col} AS k`))
      .count({ n: '*' })
      .groupByRaw('1, 2')
      .orderByRaw('1, 2');
    return rows.map((r: any) => ({ at: Number(r.b) * size - offsetMs, key: r.k ?? 'unknown', count: count(r.n) }));
  }

  /** Category × hour of the day (0–23) or × weekday (0 = Monday): where complaints cluster. */
  async heatmap(db: Db, f: InsightFilter, cols: 'hour' | 'weekday', offsetMs: number): Promise<Array<{ category: string; col: number; count: number }>> {
    // 1970-01-01 was a Thursday: day number + 3 mod 7 counts from Monday.
    const colExpr = cols === 'hour' ? `((created_at + ?) % ${DAY_MS}) / ${HOUR_MS}` : `(((created_at + ?) / ${DAY_MS}) + 3) % 7`;
    const rows = await narrowed(db('tickets'), f)
      .select(db.raw('category AS c'), db.raw(`${colExpr} AS x`, [offsetMs]))
      .count({ n: '*' })
      .groupByRaw('1, 2');
    return rows
      .map((r: any) => ({ category: String(r.c ?? 'unknown'), col: Number(r.x), count: count(r.n) }))
      .sort((a: { category: string; col: number }, b: { category: string; col: number }) => a.category.localeCompare(b.category) || a.col - b.col);
  }

  /**
   * First response and resolution against their due times, per queue, severity or customer tier,
   * for tickets created in the range: met, breached (late, or still pending past due) and pending.
   */
  async slaCompliance(
    db: Db,
    f: InsightFilter,
    by: 'queue' | 'severity' | 'tier',
    now: number,
  ): Promise<Array<{ key: string; tickets: number; firstResponse: SlaCounts; resolution: SlaCounts }>> {
    // The tier the ticket was opened under (the one its SLA policy was chosen by), kept on the ticket.
    const key = by === 'tier' ? 't.customer_tier' : `t.${by}`;
    const q = db('tickets as t');
    q.where('t.created_at', '>=', f.from).where('t.created_at', '<', f.to);
    if (f.channel) q.where('t.first_channel', f.channel);
    if (f.category) q.where('t.category', f.category);
    if (f.queue) q.where('t.queue', f.queue);
    if (f.severity) q.where('t.severity', f.severity);
    const rows = await q
      .select(db.raw(`${key} AS k`))
      .count({ n: '*' })
      .select(
        db.raw(
          'SUM(CASE WHEN t.first_response_due_at IS NOT NULL AND t.first_responded_at IS NOT NULL AND t.first_responded_at <= t.first_response_due_at THEN 1 ELSE 0 END) AS fr_met',
        ),
        db.raw(
          'SUM(CASE WHEN t.first_response_due_at IS NOT NULL AND ((t.first_responded_at IS NOT NULL AND t.first_responded_at > t.first_response_due_at) OR (t.first_responded_at IS NULL AND t.first_response_due_at < ?)) THEN 1 ELSE 0 END) AS fr_breached',
          [now],
        ),
        db.raw(
          'SUM(CASE WHEN t.resolution_due_at IS NOT NULL AND t.resolved_at IS NOT NULL AND t.resolved_at <= t.resolution_due_at THEN 1 ELSE 0 END) AS rs_met',
        ),
        db.raw(
          'SUM(CASE WHEN t.resolution_due_at IS NOT NULL AND ((t.resolved_at IS NOT NULL AND t.resolved_at > t.resolution_due_at) OR (t.resolved_at IS NULL AND t.resolution_due_at < ?)) THEN 1 ELSE 0 END) AS rs_breached',
          [now],
        ),
        db.raw('SUM(CASE WHEN t.first_response_due_at IS NOT NULL THEN 1 ELSE 0 END) AS fr_due'),
        db.raw('SUM(CASE WHEN t.resolution_due_at IS NOT NULL THEN 1 ELSE 0 END) AS rs_due'),
      )
      .groupByRaw('1')
      .orderByRaw('1');
    return rows.map((r: any) => ({
      key: r.k == null ? 'unknown' : String(r.k),
      tickets: count(r.n),
      firstResponse: slaCounts(count(r.fr_met), count(r.fr_breached), count(r.fr_due)),
      resolution: slaCounts(count(r.rs_met), count(r.rs_breached), count(r.rs_due)),
    }));
  }

  /** Open tickets by queue and age since creation (now). */
  async backlog(db: Db, now: number, queue?: string): Promise<Array<{ queue: string; age: AgeBucket; count: number }>> {
    const edges = AGE_BUCKETS.map((b) => now - b.upToMs);
    const ageExpr = `CASE ${edges.map((_, i) => `WHEN created_at > ? THEN ${i}`).join(' ')} ELSE ${AGE_BUCKETS.length} END`;
    const q = db('tickets').whereIn('status', [...OPEN_STATUSES]);
    if (queue) q.where('queue', queue);
    const rows = await q
      .select('queue', db.raw(`${ageExpr} AS a`, edges))
      .count({ n: '*' })
      .groupByRaw('1, 2');
    const names = [...AGE_BUCKETS.map((b) => b.name), OLDEST];
    return rows
      .map((r: any) => ({ queue: r.queue, age: names[Number(r.a)]!, count: count(r.n) }))
      .sort((a, b) => a.queue.localeCompare(b.queue) || names.indexOf(a.age) - names.indexOf(b.age));
  }

  /** Open tickets whose next SLA target is past due, most overdue first, with who holds them. */
  async breaches(
    db: Db,
    now: number,
    limit: number,
    queue?: string,
  ): Promise<
    Array<{
      id: number;
      number: string;
      queue: string;
      assignee: string | null;
      severity: number | null;
      category: string | null;
      status: string;
      dueAt: number;
      subject: string | null;
    }>
  > {
    const q = db('tickets')
      .whereNotNull('sla_due_at')
      .where('sla_due_at', '<', now)
      .whereIn('status', [...OPEN_STATUSES]);
    if (queue) q.where('queue', queue);
    const rows = await q
      .orderBy('sla_due_at')
      .orderBy('id')
      .limit(limit)
      .select('id', 'number', 'queue', 'assignee', 'severity', 'category', 'status', 'sla_due_at', 'subject');
    return rows.map((r: any) => ({
      id: Number(r.id),
      number: r.number,
      queue: r.queue,
      assignee: r.assignee ?? null,
      severity: r.severity == null ? null : Number(r.severity),
      category: r.category ?? null,
      status: r.status,
      dueAt: Number(r.sla_due_at),
      subject: r.subject ?? null,
    }));
  }

  /** Per agent: open tickets they hold now, and of the tickets created in the range they hold, how many are resolved. */
  async agentLoad(db: Db, f: InsightFilter): Promise<Array<{ assignee: string; open: number; assigned: number; resolved: number }>> {
    // Unassigned open tickets are counted too and dropped below: a filter on assignee would steer the planner to the
    // assignee index and every assigned ticket ever, instead of the open statuses' ranges.
    const open = (
      await db('tickets')
        .whereIn('status', [...OPEN_STATUSES])
        .select('assignee')
        .count({ n: '*' })
        .groupBy('assignee')
    ).filter((r: any) => r.assignee != null);
    const inRange = await narrowed(db('tickets'), f)
      .whereNotNull('assignee')
      .select('assignee')
      .count({ n: '*' })
      .select(db.raw("SUM(CASE WHEN status IN ('resolved', 'closed') THEN 1 ELSE 0 END) AS done"))
      .groupBy('assignee');
    const by = new Map<string, { assignee: string; open: number; assigned: number; resolved: number }>();
    const row = (a: string) => by.get(a) ?? by.set(a, { assignee: a, open: 0, assigned: 0, resolved: 0 }).get(a)!;
    for (const r of open as any[]) row(r.assignee).open = count(r.n);
    for (const r of inRange as any[]) Object.assign(row(r.assignee), { assigned: count(r.n), resolved: count(r.done) });
    return [...by.values()].sort((a, b) => b.open - a.open || a.assignee.localeCompare(b.assignee));
  }
}

export type CsatKey = 'queue' | 'category' | 'agent' | 'channel';
const CSAT_COLUMN: Record<CsatKey, string> = { queue: 'queue', category: 'category', agent: 'assignee', channel: 'first_channel' };

export interface CsatRow {
  key: string;
  answers: number;
  average: number;
  /** Answers per score, 1 to 5. */
  scores: [number, number, number, number, number];
  /** Answers at or below the low score. */
  low: number;
}

/** Satisfaction answers received in [from, to), per queue, category, agent or channel (and in total as key "all"). */
export async function csatStats(db: Db, f: InsightFilter, by: CsatKey, lowScore: number): Promise<CsatRow[]> {
  const col = CSAT_COLUMN[by];
  const q = db('tickets').whereNotNull('csat').where('csat_at', '>=', f.from).where('csat_at', '<', f.to);
  if (f.channel) q.where('first_channel', f.channel);
  if (f.category) q.where('category', f.category);
  if (f.queue) q.where('queue', f.queue);
  if (f.severity) q.where('severity', f.severity);
  const rows = await q
    .select(db.raw(`${col} AS k`), 'csat')
    .count({ n: '*' })
    .groupByRaw('1, 2');
  const by_ = new Map<string, CsatRow>();
  const all: CsatRow = { key: 'all', answers: 0, average: 0, scores: [0, 0, 0, 0, 0], low: 0 };
  for (const r of rows as any[]) {
    const key = r.k == null ? 'unknown' : String(r.k);
    const row = by_.get(key) ?? by_.set(key, { key, answers: 0, average: 0, scores: [0, 0, 0, 0, 0], low: 0 }).get(key)!;
    const score = Number(r.csat);
    const n = Number(r.n);
    for (const target of [row, all]) {
      target.answers += n;
      target.scores[score - 1]! += n;
      if (score <= lowScore) target.low += n;
    }
  }
  const out = [...by_.values()].sort((a, b) => a.key.localeCompare(b.key));
  for (const row of [...out, all])
    row.average = row.answers === 0 ? 0 : Math.round((row.scores.reduce((sum, c, i) => sum + c * (i + 1), 0) / row.answers) * 100) / 100;
  return [...out, all];
}

export interface SlaCounts {
  met: number;
  breached: number;
  /** Not yet due, not yet done. */
  pending: number;
  /** met / (met + breached); null when nothing was decided yet. */
  rate: number | null;
}

function slaCounts(met: number, breached: number, due: number): SlaCounts {
  return { met, breached, pending: Math.max(0, due - met - breached), rate: met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 1000 };
}

export type AgeBucket = '<1h' | '1-4h' | '4-24h' | '1-3d' | '3-7d' | '>7d';
const AGE_BUCKETS: Array<{ name: AgeBucket; upToMs: number }> = [
  { name: '<1h', upToMs: HOUR_MS },
  { name: '1-4h', upToMs: 4 * HOUR_MS },
  { name: '4-24h', upToMs: DAY_MS },
  { name: '1-3d', upToMs: 3 * DAY_MS },
  { name: '3-7d', upToMs: 7 * DAY_MS },
];
const OLDEST: AgeBucket = '>7d';
export const AGE_BUCKET_NAMES: AgeBucket[] = [...AGE_BUCKETS.map((b) => b.name), OLDEST];
