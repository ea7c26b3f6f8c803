import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../contracts/clock.js';
import { ROBOT_KINDS, WEBHOOK_EVENT_TYPES } from '../../contracts/webhook-events.js';
import { DELIVERY_STATUSES, type DeliveryTargetKind, type DeliveryView, type WebhookStore } from '../../storage/webhook.store.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Subscription, WebhookTargets } from '../webhooks/webhook-targets.js';
import type { Authenticator } from './auth.js';
import { recordId } from './input-guards.js';
import { parseInput } from './parse-input.js';

/** POST /api/v1/webhooks: a subscription. The secret is generated when not given, and shown in this answer only. */
export const createWebhookBody = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).max(2000),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1),
    description: z.string().trim().min(1).max(200).optional(),
    secret: z.string().min(16, 'at least 16 characters').max(200).optional(),
  })
  .strict();

/** The history of a subscription or robot: newest first, `before` (a delivery id) pages. */
export const deliveriesQuery = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();

/** The dead-letter list, of every target or one (`target`: a subscription id, or `robot:<id>`). */
export const deadLettersQuery = z
  .object({
    target: z.string().min(1).max(80).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();

const isoTime = z.iso.datetime();
const counts = z.object({ pending: z.number().int(), delivered: z.number().int(), dead: z.number().int() });

export const webhookSubscriptionJson = z
  .object({
    id: z.string(),
    source: z.enum(['config', 'api']).describe('config: config/webhooks.yaml (read-only here); api: made through this API'),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    description: z.string().nullable(),
    secretEnv: z.string().optional().describe('config subscriptions: the environment variable holding the secret'),
    createdBy: z.string().optional(),
    createdAt: isoTime.optional(),
    deliveries: counts,
    secret: z.string().optional().describe('only in the answer to POST: keep it, it is not shown again'),
  })
  .meta({ id: 'WebhookSubscription' });

export const robotJson = z
  .object({
    id: z.string(),
    kind: z.enum(ROBOT_KINDS),
    language: z.enum(['zh', 'en']),
    signed: z.boolean(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    rateLimit: z.object({ max: z.number().int(), windowSeconds: z.number().int() }),
    deliveries: counts,
  })
  .meta({ id: 'AlertRobot' });

export const webhookDeliveryJson = z
  .object({
    id: z.number().int(),
    target: z.string().describe('a subscription id, or robot:<id>'),
    eventId: z.string(),
    eventType: z.string(),
    ticketId: z.number().int().nullable(),
    incidentId: z.number().int().nullable(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: isoTime.nullable(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    collapsedInto: z.number().int().nullable().describe('robots: the delivery whose summary card carried this alert'),
    createdAt: isoTime,
    finishedAt: isoTime.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveryDetailJson = webhookDeliveryJson
  .extend({
    body: z.unknown().describe('subscriptions: the event as sent; robots: the alert card'),
    history: z.array(
      z.object({ attempt: z.number().int(), at: isoTime, statusCode: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().int() }),
    ),
  })
  .meta({ id: 'WebhookDeliveryDetail' });

export const webhookListJson = z.object({ items: z.array(webhookSubscriptionJson) }).meta({ id: 'WebhookSubscriptionList' });
export const robotListJson = z.object({ items: z.array(robotJson) }).meta({ id: 'AlertRobotList' });
export const webhookDeliveryPageJson = z
  .object({
    items: z.array(webhookDeliveryJson),
    nextBefore: z.number().int().nullable().describe('pass as `before` for the next (older) page; null on the last one'),
  })
  .meta({ id: 'WebhookDeliveryPage' });
export const redeliveredJson = z.object({ redelivered: z.number().int().describe('how many dead letters are pending again') }).meta({ id: 'Redelivered' });

/** What a delivery's body becomes when its ticket's personal data is erased (storage/personal-data.store.ts). */
const ERASED_BODY = JSON.stringify({ erased: true });

const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString());

function deliveryJson(d: DeliveryView): z.infer<typeof webhookDeliveryJson> {
  return {
    id: d.id,
    target: d.targetKind === 'robot' ? `robot:${d.target}` : d.target,
    eventId: d.eventId,
    eventType: d.eventType,
    ticketId: d.ticketId,
    incidentId: d.incidentId,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: iso(d.nextAttemptAt),
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    collapsedInto: d.collapsedInto,
    createdAt: iso(d.createdAt)!,
    finishedAt: iso(d.finishedAt),
  };
}

/** `robot:<id>` names a robot, anything else a subscription. */
function parseTarget(target: string): { kind: DeliveryTargetKind; id: string } {
  return target.startsWith('robot:') ? { kind: 'robot', id: target.slice('robot:'.length) } : { kind: 'subscription', id: target };
}

/**
 * Event webhooks and chat-room robots, for admins: subscriptions (create, list, read, delete; the ones in
 * config/webhooks.yaml are listed, and changed in the file), each one's delivery history, the dead-letter list and
 * redelivery by hand.
 */
export function webhooksRoutes(deps: { auth: Authenticator; store: WebhookStore; targets: WebhookTargets; clock: Clock; onRedelivered: () => void }): Router {
  const router = Router();
  const admin = deps.auth.require();

  const withCounts = async (kind: DeliveryTargetKind) => {
    const all = await deps.store.counts(kind);
    return (id: string) => {
      const c = all.get(id) ?? {};
      return { pending: (c.pending ?? 0) + (c.processing ?? 0), delivered: c.delivered ?? 0, dead: c.dead ?? 0 };
    };
  };
  const subscriptionJson = (s: Subscription, count: (id: string) => z.infer<typeof counts>): z.infer<typeof webhookSubscriptionJson> => ({
    id: s.id,
    source: s.source,
    url: s.url,
    events: [...s.events],
    description: s.description,
    ...(s.secretEnv ? { secretEnv: s.secretEnv } : {}),
    ...(s.createdBy ? { createdBy: s.createdBy } : {}),
    ...(s.createdAt ? { createdAt: iso(s.createdAt)! } : {}),
    deliveries: count(s.id),
  });
  const subscriptionOr404 = (id: string) => {
    const s = deps.targets.subscription(id);
    if (!s) throw new NotFoundError(`webhook subscription ${id.slice(0, 80)} does not exist`);
    return s;
  };

  router.get('/api/v1/webhooks', admin, async (_req, res, next) => {
    try {
      await deps.targets.refreshIfStale();
      const count = await withCounts('subscription');
      res.json({ items: deps.targets.subscriptions().map((s) => subscriptionJson(s, count)) });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/webhooks', admin, async (req, res, next) => {
    try {
      const body = parseInput(createWebhookBody, req.body, 'webhook subscription');
      const created = await deps.targets.create(body, req.principal!.name, deps.clock.now());
      res.status(201).json({ ...subscriptionJson(created, () => ({ pending: 0, delivered: 0, dead: 0 })), secret: created.secret });
    } catch (err) {
      next(err);
    }
  });

  // Before /:id: "dead-letters" is not a subscription id.
  router.get('/api/v1/webhooks/dead-letters', admin, async (req, res, next) => {
    try {
      const q = parseInput(deadLettersQuery, req.query, 'query');
      const target = q.target ? parseTarget(q.target) : undefined;
      const kinds: DeliveryTargetKind[] = target ? [target.kind] : ['subscription', 'robot'];
      const items = (
        await Promise.all(kinds.map((kind) => deps.store.list({ targetKind: kind, target: target?.id, status: 'dead', limit: q.limit, beforeId: q.before })))
      )
        .flat()
        .sort((a, b) => b.id - a.id)
        .slice(0, q.limit);
      res.json({ items: items.map(deliveryJson), nextBefore: items.length === q.limit ? items[items.length - 1]!.id : null });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/webhook-deliveries/:id', admin, async (req, res, next) => {
    try {
      const d = await deps.store.get(recordId(req.params.id, 'delivery'));
      if (!d) throw new NotFoundError(`delivery ${req.params.id} does not exist (or was purged after webhooks.yaml delivery.keepDays)`);
      let body: unknown = d.payload;
      try {
        body = JSON.parse(d.payload);
      } catch {
        /* stored as sent */
      }
      res.json({
        ...deliveryJson(d),
        body,
        history: d.history.map((a) => ({ ...a, at: iso(a.at)! })),
      });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/webhook-deliveries/:id/redeliver', admin, async (req, res, next) => {
    try {
      const id = recordId(req.params.id, 'delivery');
      const d = await deps.store.get(id);
      if (!d) throw new NotFoundError(`delivery ${req.params.id} does not exist`);
      if (d.collapsedInto !== null) throw new ConflictError(`delivery ${id} went out inside summary ${d.collapsedInto}: redeliver that one`);
      if (d.payload === ERASED_BODY) throw new ConflictError(`delivery ${id} cannot be sent again: its body was erased with the customer's data`);
      if (!(await deps.store.redeliver(id, deps.clock.now())))
        throw new ConflictError(`delivery ${id} is ${d.status}: only a delivered or dead delivery can be sent again`);
      deps.onRedelivered();
      res.status(202).json(deliveryJson((await deps.store.get(id))!));
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/webhooks/:id', admin, async (req, res, next) => {
    try {
      await deps.targets.refreshIfStale();
      const s = subscriptionOr404(req.params.id as string);
      res.json(subscriptionJson(s, await withCounts('subscription')));
    } catch (err) {
      next(err);
    }
  });

  router.delete('/api/v1/webhooks/:id', admin, async (req, res, next) => {
    try {
      const s = subscriptionOr404(req.params.id as string);
      if (s.source === 'config') throw new ConflictError(`subscription ${s.id} is defined in config/webhooks.yaml: remove it there`);
      if (!(await deps.targets.delete(s.id, deps.clock.now()))) throw new NotFoundError(`webhook subscription ${s.id} does not exist`);
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/webhooks/:id/deliveries', admin, async (req, res, next) => {
    try {
      const q = parseInput(deliveriesQuery, req.query, 'query');
      const id = req.params.id as string;
      // A deleted subscription's history stays readable until it is purged.
      const items = await deps.store.list({ targetKind: 'subscription', target: id, status: q.status, limit: q.limit, beforeId: q.before });
      if (items.length === 0 && !q.before && !q.status) subscriptionOr404(id);
      res.json({ items: items.map(deliveryJson), nextBefore: items.length === q.limit ? items[items.length - 1]!.id : null });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/webhooks/:id/dead-letters/redeliver', admin, async (req, res, next) => {
    try {
      const s = subscriptionOr404(req.params.id as string);
      const redelivered = await deps.store.redeliverDead('subscription', s.id, deps.clock.now());
      if (redelivered > 0) deps.onRedelivered();
      res.status(202).json({ redelivered });
    } catch (err) {
      next(err);
    }
  });

  const robotOr404 = (id: string) => {
    const r = deps.targets.robot(id);
    if (!r) throw new NotFoundError(`robot ${id.slice(0, 80)} is not in config/webhooks.yaml`);
    return r;
  };

  router.get('/api/v1/robots', admin, async (_req, res, next) => {
    try {
      const count = await withCounts('robot');
      res.json({
        items: deps.targets.robots().map((r) => ({
          id: r.id,
          kind: r.kind,
          language: r.language,
          signed: Boolean(r.secret),
          events: [...r.events],
          rateLimit: r.rateLimit,
          deliveries: count(r.id),
        })),
      });
    } catch (err) {
      next(err);
    }
  });

  router.get('/api/v1/robots/:id/deliveries', admin, async (req, res, next) => {
    try {
      const q = parseInput(deliveriesQuery, req.query, 'query');
      const r = robotOr404(req.params.id as string);
      const items = await deps.store.list({ targetKind: 'robot', target: r.id, status: q.status, limit: q.limit, beforeId: q.before });
      res.json({ items: items.map(deliveryJson), nextBefore: items.length === q.limit ? items[items.length - 1]!.id : null });
    } catch (err) {
      next(err);
    }
  });

  router.post('/api/v1/robots/:id/dead-letters/redeliver', admin, async (req, res, next) => {
    try {
      const r = robotOr404(req.params.id as string);
      const redelivered = await deps.store.redeliverDead('robot', r.id, deps.clock.now());
      if (redelivered > 0) deps.onRedelivered();
      res.status(202).json({ redelivered });
    } catch (err) {
      next(err);
    }
  });

  return router;
}
