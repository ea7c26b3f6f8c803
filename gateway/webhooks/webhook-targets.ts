import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../../config/loader.js';
import type { ConfiguredRobot } from '../../config/webhooks.schema.js';
import type { RobotKind, WebhookEventType } from '../../contracts/webhook-events.js';
import type { StoredSubscription, WebhookStore } from '../../storage/webhook.store.js';

/** A subscription as delivery sees it, wherever it is kept. */
export interface Subscription {
  id: string;
  /** `config`: config/webhooks.yaml (secret from the environment); `api`: made through the admin API. */
  source: 'config' | 'api';
  url: string;
  secret: string;
  events: readonly WebhookEventType[];
  description: string | null;
  /** config: the variable holding the secret; api: who made it and when. */
  secretEnv?: string;
  createdBy?: string;
  createdAt?: number;
}

/** A chat-room robot with its address and secret read from the environment. */
export interface Robot {
  id: string;
  kind: RobotKind;
  url: string;
  secret?: string;
  language: 'zh' | 'en';
  events: readonly WebhookEventType[];
  rateLimit: { max: number; windowSeconds: number };
}

/** How long another process's subscription changes may take to be seen here. */
const REFRESH_MS = 5_000;

/**
 * Who gets what: subscriptions from config/webhooks.yaml (live with config reloads) and from the database (the
 * admin API), and robots. Stored subscriptions are kept in memory, so deciding that nobody wants an event costs
 * nothing; a change made here applies at once, one made by another gateway process within {@link REFRESH_MS}.
 */
export class WebhookTargets {
  private stored?: StoredSubscription[];
  private loadedAt = 0;
  private loading?: Promise<void>;

  constructor(
    private readonly deps: {
      store: WebhookStore;
      config: () => GatewayConfig;
      log: Logger;
    },
  ) {}

  /** Reads the stored subscriptions if that has not been done yet: on `db`, the caller's transaction when it has one. */
  async ready(db?: Knex | Knex.Transaction): Promise<void> {
    if (this.stored) return;
    this.stored = await this.deps.store.subscriptions(db);
    this.loadedAt = Date.now();
  }

  /** Re-reads the stored subscriptions when the copy is older than a few seconds (the delivery worker calls this). */
  async refreshIfStale(): Promise<void> {
    if (this.stored && Date.now() - this.loadedAt < REFRESH_MS) return;
    this.loading ??= (async () => {
      try {
        this.stored = await this.deps.store.subscriptions();
        this.loadedAt = Date.now();
      } catch (err) {
        this.deps.log.warn({ err }, 'could not re-read webhook subscriptions; keeping the ones read before');
      } finally {
        this.loading = undefined;
      }
    })();
    await this.loading;
  }

  subscriptions(): Subscription[] {
    const config = this.deps.config();
    const fromConfig: Subscription[] = config.webhooks.subscriptions
      .filter((s) => s.enabled)
      .map((s) => ({
        id: s.id,
        source: 'config',
        url: s.url,
        secret: config.rawEnv[s.secretEnv] ?? '',
        events: s.events,
        description: s.description ?? null,
        secretEnv: s.secretEnv,
      }));
    const fromApi: Subscription[] = (this.stored ?? []).map((s) => ({
      id: s.id,
      source: 'api',
      url: s.url,
      secret: s.secret,
      events: s.events as WebhookEventType[],
      description: s.description,
      createdBy: s.createdBy,
      createdAt: s.createdAt,
    }));
    return [...fromConfig, ...fromApi];
  }

  subscription(id: string): Subscription | undefined {
    return this.subscriptions().find((s) => s.id === id);
  }

  robots(): Robot[] {
    const config = this.deps.config();
    return config.webhooks.robots.map((r: ConfiguredRobot) => ({
      id: r.id,
      kind: r.kind,
      url: config.rawEnv[r.urlEnv] ?? '',
      ...(r.secretEnv ? { secret: config.rawEnv[r.secretEnv] ?? '' } : {}),
      language: r.language,
      events: r.events,
      rateLimit: r.rateLimit,
    }));
  }

  robot(id: string): Robot | undefined {
    return this.robots().find((r) => r.id === id);
  }

  /** Makes a subscription (admin API); the secret is generated unless given, and shown once. */
  async create(
    input: { url: string; events: WebhookEventType[]; description?: string; secret?: string },
    createdBy: string,
    now: number,
  ): Promise<Subscription> {
    const stored: StoredSubscription = {
      id: `wh_${randomBytes(8).toString('hex')}`,
      url: input.url,
      secret: input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`,
      events: [...new Set(input.events)],
      description: input.description ?? null,
      createdBy,
      createdAt: now,
    };
    await this.deps.store.createSubscription(stored);
    this.stored = [...(this.stored ?? (await this.deps.store.subscriptions())).filter((s) => s.id !== stored.id), stored];
    return this.subscription(stored.id)!;
  }

  async delete(id: string, now: number): Promise<boolean> {
    const deleted = await this.deps.store.deleteSubscription(id, now);
    if (deleted && this.stored) this.stored = this.stored.filter((s) => s.id !== id);
    return deleted;
  }
}
