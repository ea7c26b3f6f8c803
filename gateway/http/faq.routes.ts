import { Router } from 'express';
import { z } from 'zod';
import type { FaqConfig } from '../../config/faq.schema.js';
import type { Db } from '../../storage/db.js';
import type { ConfigWorkbench } from '../config-workbench.js';
import { questionLanguage, withParaphrase } from '../faq-paraphrase.js';
import { configActor, type Authenticator } from './auth.js';
import { parseInput } from './parse-input.js';

export const paraphraseBody = z
  .object({ text: z.string().trim().min(1, 'text is required').max(300, 'a question of at most 300 characters'), language: z.enum(['zh', 'en']).optional() })
  .strict();

/** GET /api/v1/faq/stats: `days` back from now, 1–365 (outside is clamped; default 30). */
export const faqStatsQuery = z.object({ days: z.coerce.number().optional().catch(undefined) });

/**
 * GET /api/v1/faq/stats: how the FAQ bot is doing — deflection and handoff rates,
 * hits per entry, and the questions it could not answer (what to add to faq.yaml).
 */
export function faqRoutes(deps: { auth: Authenticator; db: Db; faq: () => FaqConfig; workbench: ConfigWorkbench }): Router {
  const router = Router();

  // The entries (id, a first question per language) for pickers such as "add this question to…".
  router.get('/api/v1/faq/entries', deps.auth.require('lead'), (_req, res) => {
    res.json({
      items: deps.faq().entries.map((e) => ({ id: e.id, tags: e.tags ?? [], questions: { zh: e.questions.zh?.[0] ?? null, en: e.questions.en?.[0] ?? null } })),
    });
  });

  /**
   * POST /api/v1/faq/entries/:id/paraphrases {text, language?}: one more way customers ask this
   * entry, typically a top unanswered question. Goes through the rules workbench: checked, applied
   * atomically, versioned with who and why, live at once.
   */
  router.post('/api/v1/faq/entries/:id/paraphrases', deps.auth.require('lead'), async (req, res, next) => {
    try {
      const body = parseInput(paraphraseBody, req.body, 'paraphrase');
      const language = body.language ?? questionLanguage(body.text);
      const current = deps.workbench.read('faq.yaml');
      const content = withParaphrase(current.content, req.params.id as string, body.text, language);
      const actor = configActor(req.principal!);
      const r = await deps.workbench.apply('faq.yaml', content, {
        actor,
        reason: `FAQ "${req.params.id}": added the question "${body.text.slice(0, 200)}" (${language})`,
        baseSha256: current.sha256,
      });
      res.status(201).json({ entryId: req.params.id, language, text: body.text, version: r.version.id, active: r.active });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/faq/stats', deps.auth.require('lead'), async (req, res, next) => {
    try {
      const days = Math.min(Math.max(parseInput(faqStatsQuery, req.query, 'query').days || 30, 1), 365);
      const since = Date.now() - days * 86_400_000;
      const events = await deps
        .db('ticket_events')
        .whereIn('type', ['bot_answered', 'handoff', 'deflected'])
        .where('created_at', '>=', since)
        .select('type', 'after');
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
      const unanswered = await deps
        .db('faq_unanswered')
        .where('last_seen_at', '>=', since)
        .orderBy([
          { column: 'count', order: 'desc' },
          { column: 'last_seen_at', order: 'desc' },
        ])
        .limit(20);
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
        // Customers' own questions: masked like message text for a role that does not see contacts in full.
        topUnanswered: unanswered.map((u) => ({
          question: deps.auth.viewOf(req.principal!).on().text(u.sample),
          count: Number(u.count),
          lastSeenAt: new Date(Number(u.last_seen_at)).toISOString(),
        })),
      });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
