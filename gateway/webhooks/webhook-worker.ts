import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebhooksConfig } from '../../config/webhooks.schema.js';
import type { Clock } from '../../contracts/clock.js';
import type { AttemptResult, ClaimedDelivery, WebhookStore } from '../../storage/webhook.store.js';
import { summaryCard, type AlertCard } from '../alerts/alert-card.js';
import { ROBOT_PROVIDERS } from '../alerts/robots.js';
import { PollingLoop } from '../polling-loop.js';
import { signWebhook, WEBHOOK_HEADERS } from './webhook-signature.js';
import type { Robot, WebhookTargets } from './webhook-targets.js';

export interface WebhookWorkerDeps {
  store: WebhookStore;
  targets: WebhookTargets;
  settings: () => WebhooksConfig['delivery'];
  /** Business time: when a retry is due, a robot's rate-limit window. Signatures carry the wall clock. */
  clock: Clock;
  log: Logger;
  /** The console's address for a summary card's link (null without PUBLIC_BASE_URL). */
  consoleUrl: () => string | null;
}

const HOUR = 3_600_000;

/** What went wrong, without the address (a robot's holds its token): `ECONNREFUSED`, `no answer within 10 s`. */
function describe(err: unknown, timeoutSeconds: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no answer within ${timeoutSeconds} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `could not connect: ${cause}` : (e?.message ?? String(err)).slice(0, 300);
}

/**
 * Sends queued webhook deliveries and robot alerts. Subscriptions get the stored event body, signed at send time;
 * a failure (no answer, a non-2xx status) is retried after `backoffSeconds`, and after `maxAttempts` the delivery
 * goes to the dead-letter list. Robots post their vendor's card, at most `rateLimit.max` per window: alerts beyond
 * that wait for the window and then go out as one summary card.
 */
export class WebhookWorker {
  readonly workerId = `webhooks-${randomUUID().slice(0, 8)}`;
  private readonly loop: PollingLoop;
  private lastPurge = 0;

  constructor(private readonly deps: WebhookWorkerDeps) {
    this.loop = new PollingLoop(
      'webhook deliveries',
      () => this.processBatch(),
      () => deps.settings().pollIntervalMs,
      deps.log,
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Deliveries were queued: send now rather than at the next poll. */
  notify(): void {
    this.loop.notify();
  }

  /** Claims and sends one batch; returns how many were claimed. */
  async processBatch(): Promise<number> {
    const { store, targets, clock } = this.deps;
    const { batchSize, leaseSeconds, keepDays } = this.deps.settings();
    await targets.refreshIfStale();
    const now = clock.now();
    const claimed = await store.claim(this.workerId, batchSize, leaseSeconds * 1000, now);
    const byRobot = new Map<string, ClaimedDelivery[]>();
    const sends: Array<Promise<void>> = [];
    for (const d of claimed) {
      if (d.targetKind === 'robot') byRobot.set(d.target, [...(byRobot.get(d.target) ?? []), d]);
      else sends.push(this.toSubscription(d));
    }
    for (const [robot, deliveries] of byRobot) sends.push(this.toRobot(robot, deliveries));
    await Promise.all(sends);
    if (now - this.lastPurge > HOUR) {
      this.lastPurge = now;
      const purged = await store.purge(now - keepDays * 24 * HOUR);
      if (purged > 0) this.deps.log.info({ purged }, 'deleted old webhook deliveries');
    }
    return claimed.length;
  }

  private async toSubscription(d: ClaimedDelivery): Promise<void> {
    const { store, targets, clock } = this.deps;
    const subscription = targets.subscription(d.target);
    if (!subscription) {
      // Deleted (or removed from config/webhooks.yaml) after the event was queued.
      await store.finish(d, this.workerId, 'cancelled', undefined, clock.now());
      return;
    }
    const { timeoutSeconds } = this.deps.settings();
    // Wire time, not the business clock: the receiver compares it with its own clock to refuse replays.
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    let result: AttemptResult;
    try {
      const res = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'complaint-gateway-webhooks/1',
          [WEBHOOK_HEADERS.eventId]: d.eventId,
          [WEBHOOK_HEADERS.eventType]: d.eventType,
          [WEBHOOK_HEADERS.deliveryId]: String(d.id),
          [WEBHOOK_HEADERS.attempt]: String(d.attempts),
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(subscription.secret, timestamp, d.payload),
        },
        body: d.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
      const text = await res.text().catch(() => '');
      result = { attempt: d.attempts, statusCode: res.status, durationMs: performance.now() - started };
      if (res.status >= 200 && res.status < 300) {
        await store.finish(d, this.workerId, 'delivered', result, clock.now());
        return;
      }
      result.error = `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    } catch (err) {
      result = { attempt: d.attempts, error: describe(err, timeoutSeconds), durationMs: performance.now() - started };
    }
    await this.failed(d, result, { subscription: d.target });
  }

  private async toRobot(robotId: string, deliveries: ClaimedDelivery[]): Promise<void> {
    const { store, targets, clock } = this.deps;
    const robot = targets.robot(robotId);
    if (!robot) {
      for (const d of deliveries) await store.finish(d, this.workerId, 'cancelled', undefined, clock.now());
      return;
    }
    const now = clock.now();
    const windowMs = robot.rateLimit.windowSeconds * 1000;
    const posted = await store.postedSince(robot.id, now - windowMs);
    const free = robot.rateLimit.max - posted.length;
    if (free <= 0) {
      // The window is full: everything waits until its oldest post leaves it, then goes out as one summary.
      await store.postpone(
        deliveries.map((d) => d.id),
        this.workerId,
        posted[posted.length - robot.rateLimit.max]! + windowMs,
      );
      return;
    }
    const singles = deliveries.length <= free ? deliveries : deliveries.slice(0, free - 1);
    for (const d of singles) {
      const result = await this.post(robot, cardOf(d), d.attempts);
      if (result.ok) await store.finish(d, this.workerId, 'delivered', result.attempt, clock.now());
      else await this.failed(d, result.attempt, { robot: robot.id }, result.retryAfterMs);
    }
    const rest = deliveries.slice(singles.length);
    if (rest.length === 0) return;
    const [head] = rest;
    const card = summaryCard(rest.map(cardOf), robot.language, robot.rateLimit, this.deps.consoleUrl());
    const result = await this.post(robot, card, head!.attempts);
    if (result.ok) {
      await store.finish(head!, this.workerId, 'delivered', result.attempt, clock.now());
      await store.collapse(
        head!.id,
        rest.slice(1).map((d) => d.id),
        this.workerId,
        clock.now(),
      );
      this.deps.log.info({ robot: robot.id, alerts: rest.length }, 'robot rate limit reached: alerts sent as one summary');
    } else {
      for (const d of rest) await this.failed(d, { ...result.attempt, attempt: d.attempts }, { robot: robot.id }, result.retryAfterMs);
    }
  }

  /** One post to a robot's room, signed the vendor's way now. */
  private async post(robot: Robot, card: AlertCard, attempt: number): Promise<{ ok: boolean; attempt: AttemptResult; retryAfterMs?: number }> {
    const provider = ROBOT_PROVIDERS[robot.kind];
    const { timeoutSeconds } = this.deps.settings();
    const started = performance.now();
    try {
      const request = provider.request({ url: robot.url, ...(robot.secret ? { secret: robot.secret } : {}) }, card, Date.now());
      const res = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'complaint-gateway-alerts/1' },
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutSeconds * 1000),
      });
      const text = await res.text().catch(() => '');
      const answer = provider.answer(res.status, text, res.headers);
      return {
        ok: answer.ok,
        attempt: { attempt, statusCode: res.status, durationMs: performance.now() - started, ...(answer.error ? { error: answer.error } : {}) },
        retryAfterMs: answer.retryAfterMs,
      };
    } catch (err) {
      return { ok: false, attempt: { attempt, error: describe(err, timeoutSeconds), durationMs: performance.now() - started } };
    }
  }

  private async failed(d: ClaimedDelivery, result: AttemptResult, who: Record<string, string>, retryAfterMs = 0): Promise<void> {
    const { store, clock, log } = this.deps;
    const { maxAttempts, backoffSeconds } = this.deps.settings();
    const now = clock.now();
    if (d.attempts >= maxAttempts) {
      await store.finish(d, this.workerId, 'dead', result, now);
      log.warn(
        { ...who, deliveryId: d.id, event: d.eventType, attempts: d.attempts, error: result.error },
        'webhook delivery failed for good: in the dead-letter list',
      );
      return;
    }
    const delay = Math.max(backoffSeconds[Math.min(d.attempts - 1, backoffSeconds.length - 1)]! * 1000, retryAfterMs);
    await store.retryLater(d, this.workerId, result, now + delay, now);
    log.warn(
      { ...who, deliveryId: d.id, event: d.eventType, attempt: d.attempts, retryInMs: delay, error: result.error },
      'webhook delivery failed; will retry',
    );
  }
}

function cardOf(d: ClaimedDelivery): AlertCard {
  return (JSON.parse(d.payload) as { card: AlertCard }).card;
}
