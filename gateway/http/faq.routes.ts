import { Router } from 'express';
import type { Db } from '../../storage/db.js';
import type { Authenticator } from './auth.js';

/**
 * GET /api/v1/faq/stats: how the FAQ bot is doing — deflection and handoff rates,
 * hits per entry, and the questions it could not answer (what to add to faq.yaml).
 */
export function faqRoutes(deps: { auth: Authenticator; db: Db }): Router {
  const router = Router();
  router.get('/api/v1/faq/stats', deps.auth.require('lead'), async (req, res, next) => {
    try {
      const days = Math.min(Math.max(Number(req.query.days) || 30, 1), 365);
      const since = Date.now() - days * 86_400_000;
      const events = await deps.db('ticket_events').whereIn('type', ['bot_answered', 'handoff', 'deflected']).where('created_at', '>=', since).select('type', 'after');
      const hits: Record<string, number> = {};
      let answered = 0;
      let handoffs = 0;
      let deflected = 0;
      for (const e of events) {
        if (e.type === 'bot_answered') {
          answered++;
          const entry = (e.after ? JSON.parse(e.after).entryId : null) ?? 'unknown';
          hits[entry] = (hits[entry] ?? 0) + 1;
        } else if (e.type === 'handoff') handoffs++;
        else deflected++;
      }
      const unanswered = await deps.db('faq_unanswered').where('last_seen_at', '>=', since).orderBy([{ column: 'count', order: 'desc' }, { column: 'last_seen_at', order: 'desc' }]).limit(20);
      res.json({
        days,
        botAnswered: answered,
        deflected,
        handoffs,
        deflectionRate: answered ? deflected / answered : null,
        handoffRate: answered ? handoffs / answered : null,
        hitsPerEntry: Object.entries(hits)
          .sort((a, b) => b[1] - a[1])
          .map(([entryId, count]) => ({ entryId, count })),
        topUnanswered: unanswered.map((u) => ({ question: u.sample, count: Number(u.count), lastSeenAt: new Date(Number(u.last_seen_at)).toISOString() })),
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
