import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../storage/db.js';
import { AGE_BUCKET_NAMES, csatStats, InsightsStore, type InsightFilter } from '../../storage/insights.store.js';
import { BadRequestError } from '../errors.js';
import { localDay, zonedToInstant, zoneOffsetMs } from '../sla/business-calendar.js';
import type { Authenticator } from './auth.js';
import { sendCsv } from './csv.js';
import { parseInput } from './parse-input.js';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 400;

const common = {
  from: z.iso.date({ message: 'from: a date such as 2026-11-01' }).optional(),
  to: z.iso.date({ message: 'to: a date such as 2026-11-30 (included)' }).optional(),
  channel: z.string().max(32).optional(),
  category: z.string().max(16).optional(),
  queue: z.string().max(64).optional(),
  severity: z.coerce.number().int().min(1).max(4).optional(),
  format: z.enum(['json', 'csv']).default('json'),
};

/** The query of each insight view (GET /api/v1/insights/*, /api/v1/csat/stats). */
export const volumeQuery = z
  .object({ ...common, by: z.enum(['channel', 'category']).default('channel'), bucket: z.enum(['day', 'hour']).default('day') })
  .strict();
export const heatmapQuery = z.object({ ...common, cols: z.enum(['hour', 'weekday']).default('hour') }).strict();
export const slaQuery = z.object({ ...common, by: z.enum(['queue', 'severity', 'tier']).default('queue') }).strict();
export const backlogQuery = z.object({ queue: common.queue, format: common.format }).strict();
export const breachesQuery = z.object({ queue: common.queue, limit: z.coerce.number().int().min(1).max(1000).default(200), format: common.format }).strict();
export const csatQuery = z.object({ ...common, by: z.enum(['queue', 'category', 'agent', 'channel']).default('queue') }).strict();
export const agentsQuery = z.object({ ...common }).strict();

/**
 * The lead's insight views (GET /api/v1/insights/*, leads and admins): volume by channel or
 * category over time, the category heat map, SLA compliance, backlog by age, the breach list and
 * load per agent. Every view takes `from`/`to` (dates in the business calendar's time zone, `to`
 * included; default the last 30 days) and the filters channel, category, queue, severity, and
 * answers JSON or, with `format=csv`, the same rows as a CSV download.
 */
export function insightsRoutes(deps: { auth: Authenticator; db: Db; timeZone: () => string; lowScore: () => number; now?: () => number }): Router {
  const router = Router();
  const store = new InsightsStore();
  const leads = deps.auth.require('lead');
  const now = deps.now ?? Date.now;

  /** The range in ms for dates read as midnights in the team's time zone. */
  const rangeOf = (q: { from?: string; to?: string }) => {
    const tz = deps.timeZone();
    const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
    const lastDay = q.to ? dayOf(q.to) : localDay(now(), tz).day;
    const to = zonedToInstant(lastDay + 1, 0, tz);
    const from = q.from ? zonedToInstant(dayOf(q.from), 0, tz) : to - 30 * DAY_MS;
    if (from >= to) throw new BadRequestError('from: must be on or before to');
    if (to - from > MAX_RANGE_DAYS * DAY_MS) throw new BadRequestError(`the range is at most ${MAX_RANGE_DAYS} days`);
    return { from, to, tz, offsetMs: zoneOffsetMs(from, tz) };
  };
  const filterOf = (q: z.infer<z.ZodObject<typeof common>>, r: { from: number; to: number }): InsightFilter => ({
    from: r.from,
    to: r.to,
    channel: q.channel,
    category: q.category,
    queue: q.queue,
    severity: q.severity,
  });
  const period = (r: { from: number; to: number; tz: string }) => ({ from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString(), timeZone: r.tz });
  const answer = (
    res: Response,
    format: 'json' | 'csv',
    name: string,
    columns: string[],
    rows: Array<Record<string, unknown>>,
    extra: Record<string, unknown>,
  ) => {
    if (format === 'csv') return sendCsv(res, `${name}.csv`, columns, rows);
    res.set('Cache-Control', 'no-store').json({ ...extra, items: rows });
  };

  router.get('/api/v1/insights/volume', leads, async (req, res, next) => {
    try {
      const q = parseInput(volumeQuery, req.query, 'query');
      const r = rangeOf(q);
      if (q.bucket === 'hour' && r.to - r.from > 31 * DAY_MS) throw new BadRequestError('bucket=hour: a range of at most 31 days');
      const rows = await store.volume(deps.db, filterOf(q, r), q.by, q.bucket, r.offsetMs);
      answer(
        res,
        q.format,
        `volume-by-${q.by}`,
        ['at', 'key', 'count'],
        rows.map((x) => ({ ...x, at: new Date(x.at).toISOString() })),
        { ...period(r), by: q.by, bucket: q.bucket },
      );
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/insights/heatmap', leads, async (req, res, next) => {
    try {
      const q = parseInput(heatmapQuery, req.query, 'query');
      const r = rangeOf(q);
      const rows = await store.heatmap(deps.db, filterOf(q, r), q.cols, r.offsetMs);
      answer(res, q.format, `heatmap-category-by-${q.cols}`, ['category', 'col', 'count'], rows, { ...period(r), cols: q.cols });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/insights/sla', leads, async (req, res, next) => {
    try {
      const q = parseInput(slaQuery, req.query, 'query');
      const r = rangeOf(q);
      const rows = await store.slaCompliance(deps.db, filterOf(q, r), q.by, now());
      const flat = rows.map((x) => ({
        key: x.key,
        tickets: x.tickets,
        firstResponseMet: x.firstResponse.met,
        firstResponseBreached: x.firstResponse.breached,
        firstResponsePending: x.firstResponse.pending,
        firstResponseRate: x.firstResponse.rate,
        resolutionMet: x.resolution.met,
        resolutionBreached: x.resolution.breached,
        resolutionPending: x.resolution.pending,
        resolutionRate: x.resolution.rate,
      }));
      if (q.format === 'csv') return sendCsv(res, `sla-by-${q.by}.csv`, Object.keys(flat[0] ?? { key: 0, tickets: 0 }), flat);
      res.set('Cache-Control', 'no-store').json({ ...period(r), by: q.by, items: rows });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/insights/backlog', leads, async (req, res, next) => {
    try {
      const q = parseInput(backlogQuery, req.query, 'query');
      const rows = await store.backlog(deps.db, now(), q.queue);
      answer(res, q.format, 'backlog-by-age', ['queue', 'age', 'count'], rows, { at: new Date(now()).toISOString(), ages: AGE_BUCKET_NAMES });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/insights/breaches', leads, async (req, res, next) => {
    try {
      const q = parseInput(breachesQuery, req.query, 'query');
      const at = now();
      const view = deps.auth.viewOf(req.principal!);
      const rows = (await store.breaches(deps.db, at, q.limit, q.queue)).map((b) => ({
        ...b,
        // The subject is the customer's words: masked as on the ticket, in the CSV download too.
        subject: view.on(b.queue).text(b.subject),
        dueAt: new Date(b.dueAt).toISOString(),
        overdueMinutes: Math.floor((at - b.dueAt) / 60_000),
      }));
      answer(res, q.format, 'sla-breaches', ['number', 'queue', 'assignee', 'severity', 'category', 'status', 'dueAt', 'overdueMinutes', 'subject'], rows, {
        at: new Date(now()).toISOString(),
      });
    } catch (err) {
      next(err);
    }
  });

  // GET /api/v1/csat/stats: satisfaction answers received in the range, per queue, category, agent or channel, and in total.
  router.get('/api/v1/csat/stats', leads, async (req, res, next) => {
    try {
      const q = parseInput(csatQuery, req.query, 'query');
      const r = rangeOf(q);
      const rows = await csatStats(deps.db, filterOf(q, r), q.by, deps.lowScore());
      if (q.format === 'csv')
        return sendCsv(
          res,
          `csat-by-${q.by}.csv`,
          ['key', 'answers', 'average', 'score1', 'score2', 'score3', 'score4', 'score5', 'low'],
          rows.map((x) => ({ ...x, score1: x.scores[0], score2: x.scores[1], score3: x.scores[2], score4: x.scores[3], score5: x.scores[4] })),
        );
      res.set('Cache-Control', 'no-store').json({ ...period(r), by: q.by, lowScore: deps.lowScore(), items: rows });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/insights/agents', leads, async (req, res, next) => {
    try {
      const q = parseInput(agentsQuery, req.query, 'query');
      const r = rangeOf(q);
      const rows = await store.agentLoad(deps.db, filterOf(q, r));
      answer(res, q.format, 'agent-load', ['assignee', 'open', 'assigned', 'resolved'], rows, period(r));
    } catch (err) {
      next(err);
    }
  });

  return router;
}
