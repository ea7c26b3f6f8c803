import type { Logger } from 'pino';
import type { NotifyTarget } from '../nlp/routing/engine.js';

/**
 * Delivers routing and SLA notifications. Queue notices are ticket events (agents see
 * them in their queue); webhook targets get a JSON POST, best effort with a timeout:
 * the event on the ticket is the record, the webhook only a nudge. Robot targets
 * (`{ robot: id }`) are not sent from here: the `notified` event queues their card in
 * the same transaction (gateway/webhooks/event-feed.ts) and the delivery worker posts it.
 */
export class Notifier {
  constructor(
    private readonly log: Logger,
    private readonly timeoutMs = 5000,
  ) {}

  async send(targets: NotifyTarget[], payload: Record<string, unknown>): Promise<void> {
    await Promise.all(
      targets.map(async (t) => {
        if (!('webhook' in t)) return;
        try {
          const res = await fetch(t.webhook, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'user-agent': 'complaint-gateway' },
            body: JSON.stringify(payload),
            signal: AbortSignal.timeout(this.timeoutMs),
          });
          if (!res.ok) this.log.warn({ webhook: t.webhook, status: res.status }, 'notification webhook answered with an error');
        } catch (err) {
          this.log.warn({ err, webhook: t.webhook }, 'notification webhook failed');
        }
      }),
    );
  }
}
