import type { Router } from 'express';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../../config/loader.js';
import type { Clock } from '../../contracts/clock.js';
import { ChangeFeeds } from '../../storage/change-feed.js';
import type { Db } from '../../storage/db.js';
import { WebhookStore } from '../../storage/webhook.store.js';
import type { Authenticator } from '../http/auth.js';
import { webhooksRoutes } from '../http/webhooks.routes.js';
import { WebhookEventFeed } from './event-feed.js';
import { WebhookTargets } from './webhook-targets.js';
import { WebhookWorker } from './webhook-worker.js';

/**
 * Event webhooks and chat-room alerts, wired together: the change feed that queues deliveries in the transaction of
 * each change (attached to the database here), the worker that sends them, and the admin routes.
 */
export class Webhooks {
  readonly store: WebhookStore;
  readonly targets: WebhookTargets;
  readonly feed: WebhookEventFeed;
  readonly worker: WebhookWorker;

  constructor(private readonly deps: { db: Db; config: () => GatewayConfig; clock: Clock; log: Logger }) {
    this.store = new WebhookStore(deps.db);
    this.targets = new WebhookTargets({ store: this.store, config: deps.config, log: deps.log });
    this.feed = new WebhookEventFeed({
      db: deps.db,
      store: this.store,
      targets: this.targets,
      config: deps.config,
      clock: deps.clock,
      onQueued: () => this.worker.notify(),
    });
    this.worker = new WebhookWorker({
      store: this.store,
      targets: this.targets,
      settings: () => deps.config().webhooks.delivery,
      clock: deps.clock,
      log: deps.log,
      consoleUrl: () => this.feed.consoleUrl('/inbox'),
    });
    ChangeFeeds.attach(deps.db, this.feed);
  }

  routes(auth: Authenticator): Router {
    return webhooksRoutes({ auth, store: this.store, targets: this.targets, clock: this.deps.clock, onRedelivered: () => this.worker.notify() });
  }

  start(): void {
    this.worker.start();
  }

  /** Lets the deliveries in flight finish; the database stays attached until it is closed. */
  async stop(): Promise<void> {
    await this.worker.stop();
    ChangeFeeds.detach(this.deps.db);
  }
}
