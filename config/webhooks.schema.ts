import { z } from 'zod';
import { ROBOT_KINDS, WEBHOOK_EVENT_TYPES } from '../contracts/webhook-events.js';

const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'the name of an environment variable, such as CRM_WEBHOOK_SECRET');
// No "_": ids made through the API start with "wh_", so the two can never meet.
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'ids: lower-case letters, digits and "-", at most 63 characters');
const eventType = z.enum(WEBHOOK_EVENT_TYPES);

/** One event-webhook subscription kept in the file (the admin API adds more, kept in the database). */
const subscriptionSchema = z.strictObject({
  id,
  description: z.string().max(200).optional(),
  url: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
  /** The environment variable holding the signing secret (secrets never sit in config files). */
  secretEnv: envName,
  events: z.array(eventType).min(1),
  enabled: z.boolean().default(true),
});
export type ConfiguredSubscription = z.infer<typeof subscriptionSchema>;

/** A chat-room robot alerts are posted to (DingTalk, Feishu/Lark, WeCom, Slack). */
const robotSchema = z
  .strictObject({
    id,
    kind: z.enum(ROBOT_KINDS),
    /** The environment variable holding the robot's webhook address (its access token or key is in it). */
    urlEnv: envName,
    /** DingTalk "加签" and Feishu "签名校验": the environment variable holding the signing secret. */
    secretEnv: envName.optional(),
    /** The language of its cards. */
    language: z.enum(['zh', 'en']).default('zh'),
    /** Events it announces by itself, beside routing.yaml and sla.yaml `notify: [{ robot: id }]`. */
    events: z.array(eventType).default([]),
    /** At most `max` posts per `windowSeconds`; more are collapsed into one summary when the window allows the next post. */
    rateLimit: z
      .strictObject({
        max: z.number().int().min(1).max(100).default(6),
        windowSeconds: z.number().int().min(1).max(3600).default(60),
      })
      .prefault({}),
  })
  .superRefine((r, ctx) => {
    if (r.secretEnv && (r.kind === 'wecom' || r.kind === 'slack')) {
      ctx.addIssue({
        code: 'custom',
        path: ['secretEnv'],
        message: `${r.kind === 'wecom' ? 'WeCom group robots' : 'Slack incoming webhooks'} are not signed (the key is the secret part of the URL): remove secretEnv`,
      });
    }
  });
export type ConfiguredRobot = z.infer<typeof robotSchema>;

/** `config/webhooks.yaml`: signed event webhooks and chat-room robots (optional file). */
export const webhooksSchema = z
  .strictObject({
    delivery: z
      .strictObject({
        batchSize: z.number().int().min(1).max(500).default(50),
        pollIntervalMs: z.number().int().min(10).default(500),
        leaseSeconds: z.number().positive().default(60),
        /** A receiver that takes longer than this to answer counts as a failed attempt. */
        timeoutSeconds: z.number().positive().max(60).default(10),
        /** After this many failed attempts a delivery goes to the dead-letter list (redelivered by hand). */
        maxAttempts: z.number().int().min(1).max(100).default(20),
        /** Wait before retry n (the last value repeats). The default spans about a day. */
        backoffSeconds: z.array(z.number().nonnegative()).min(1).default([10, 30, 60, 120, 300, 600, 1800, 3600, 7200]),
        /** Delivered and cancelled deliveries (and their attempts) are deleted this many days after they finished. */
        keepDays: z.number().positive().default(30),
      })
      .prefault({}),
    subscriptions: z.array(subscriptionSchema).default([]),
    robots: z.array(robotSchema).default([]),
  })
  .superRefine((cfg, ctx) => {
    for (const [list, items] of [
      ['subscriptions', cfg.subscriptions],
      ['robots', cfg.robots],
    ] as const) {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [list, i, 'id'], message: `"${item.id}" is used twice in ${list}` });
        seen.add(item.id);
      });
    }
  });
export type WebhooksConfig = z.infer<typeof webhooksSchema>;

/** A problem found by {@link checkWebhooksAgainst}: which file it is in and where. */
export interface WebhooksProblem {
  file: 'webhooks' | 'routing' | 'sla';
  path: Array<string | number>;
  reason: string;
}

type Notify = Array<Record<string, unknown>>;
/** sla.yaml's actions per target: `{ firstResponse: { warning: { notify }, breach: { notify } }, … }`. */
type TargetActions = Record<string, Partial<Record<'warning' | 'breach', { notify: Notify }>> | undefined>;

/** The `notify` lists in routing.yaml and sla.yaml, as the checks below need them. */
interface NotifyLists {
  routing?: { rules: Array<{ id: string; then: { notify?: Notify } }> };
  sla?: { actions: TargetActions; policies: Record<string, object> };
}

/**
 * Checks across files and the environment: every secret and robot address named is set (a signing secret at least
 * 16 characters, a robot address an https URL), and every `{ robot: id }` in routing.yaml and sla.yaml names a robot
 * of webhooks.yaml.
 */
export function checkWebhooksAgainst(cfg: WebhooksConfig, env: Record<string, string | undefined>, other: NotifyLists): WebhooksProblem[] {
  const problems: WebhooksProblem[] = [];
  cfg.subscriptions.forEach((s, i) => {
    if (!s.enabled) return;
    const secret = env[s.secretEnv];
    if (!secret)
      problems.push({ file: 'webhooks', path: ['subscriptions', i, 'secretEnv'], reason: `${s.secretEnv} is not set (the signing secret of "${s.id}")` });
    else if (secret.length < 16) problems.push({ file: 'webhooks', path: ['subscriptions', i, 'secretEnv'], reason: `${s.secretEnv}: at least 16 characters` });
  });
  cfg.robots.forEach((r, i) => {
    const url = env[r.urlEnv];
    if (!url) problems.push({ file: 'webhooks', path: ['robots', i, 'urlEnv'], reason: `${r.urlEnv} is not set (the webhook address of robot "${r.id}")` });
    else if (!/^https?:\/\/[^\s]+$/.test(url)) problems.push({ file: 'webhooks', path: ['robots', i, 'urlEnv'], reason: `${r.urlEnv}: not an http(s) URL` });
    if (r.secretEnv && !env[r.secretEnv])
      problems.push({ file: 'webhooks', path: ['robots', i, 'secretEnv'], reason: `${r.secretEnv} is not set (the signing secret of robot "${r.id}")` });
  });
  const robots = new Set(cfg.robots.map((r) => r.id));
  const known = robots.size > 0 ? `robots: ${[...robots].join(', ')}` : 'webhooks.yaml defines no robots';
  other.routing?.rules.forEach((rule, i) =>
    rule.then.notify?.forEach((n, j) => {
      if (typeof n.robot === 'string' && !robots.has(n.robot))
        problems.push({
          file: 'routing',
          path: ['rules', i, 'then', 'notify', j, 'robot'],
          reason: `rule "${rule.id}": unknown robot "${n.robot}" (${known})`,
        });
    }),
  );
  const visit = (path: Array<string | number>, targets: TargetActions) => {
    for (const [target, kinds] of Object.entries(targets)) {
      for (const kind of ['warning', 'breach'] as const) {
        kinds?.[kind]?.notify.forEach((n, j) => {
          if (typeof n.robot === 'string' && !robots.has(n.robot))
            problems.push({ file: 'sla', path: [...path, target, kind, 'notify', j, 'robot'], reason: `unknown robot "${n.robot}" (${known})` });
        });
      }
    }
  };
  if (other.sla) {
    visit(['actions'], other.sla.actions);
    for (const [name, policy] of Object.entries(other.sla.policies)) {
      const { firstResponseActions, resolutionActions } = policy as TargetActions;
      visit(['policies', name], { firstResponseActions, resolutionActions });
    }
  }
  return problems;
}
