/**
 * Schema for `config/routing.yaml`: the queues and the ordered rules that decide where a
 * complaint goes (queue, priority, assignee, SLA policy, auto-reply, escalation, notify).
 *
 * Every error about a rule names it: `rule "vip-priority": …`, with the zod path kept so the
 * loader can point at the YAML line. Cross-file checks against sla.yaml (policy and calendar
 * names, queues used by SLA actions) are in `checkRoutingAgainstSla`.
 */
import { z } from 'zod';
import { type SlaConfig, slaActionQueues } from './sla.schema.js';

/** Ticket priorities, lowest first (the order matters: see `PRIORITY_RANK`). */
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** A number test: `2` (equals), or `{ lte: 2 }`, `{ gte: 4 }`, `{ in: [1, 2] }`, `{ eq: 3 }`. */
export type NumberTest = number | { eq?: number; lte?: number; gte?: number; in?: number[] };

/**
 * One node of a `when` tree. Every key present must hold (they are ANDed); `all`, `any` and
 * `not` nest further nodes. String tests accept one value or a list (any of them), compared
 * case-insensitively; `language: zh` also matches `zh-Hans` and `zh-Hant`.
 */
export interface Condition {
  all?: Condition[];
  any?: Condition[];
  not?: Condition;
  category?: string | string[];
  subcategory?: string | string[];
  severity?: NumberTest;
  emotion?: NumberTest;
  channel?: string | string[];
  language?: string | string[];
  tier?: string | string[];
  /** A tag or list: any of them present. `{ all: [...] }` needs every one. */
  tags?: string | string[] | { any?: string[]; all?: string[] };
  /** Any of these words/phrases in the normalized (lowercased) text. */
  keywords?: string[];
  /** A JavaScript regular expression tested on the normalized text; flags default to `iu`. */
  regex?: string | { pattern: string; flags?: string };
  /** An extracted entity of this kind (or any of these kinds) is present. */
  entity?: string | string[];
  /** Received inside (true) or outside (false) opening hours; `calendar` names one in sla.yaml. */
  businessHours?: boolean | { open: boolean; calendar?: string };
  /** The ticket is (not) linked to an incident. */
  incident?: boolean;
  /** At least `gte` complaints from this customer in the last `days` days (this one included). */
  repeatCount?: { days: number; gte: number };
}

const nonEmpty = z.string().trim().min(1);
const strOrList = z.union([nonEmpty, z.array(nonEmpty).min(1)], { error: 'use a value or a list of values, e.g. PQ or [PQ, LG]' });
const numberTest = z.union(
  [
    z.number(),
    z
      .strictObject({ eq: z.number().optional(), lte: z.number().optional(), gte: z.number().optional(), in: z.array(z.number()).min(1).optional() })
      .refine((o) => Object.keys(o).length > 0, { message: 'give eq, lte, gte or in' }),
  ],
  { error: 'use a number (2) or a test like { lte: 2 }, { gte: 4 }, { in: [1, 2] }' },
);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .strictObject({
      all: z.array(conditionSchema).min(1).optional(),
      any: z.array(conditionSchema).min(1).optional(),
      not: conditionSchema.optional(),
      category: strOrList.optional(),
      subcategory: strOrList.optional(),
      severity: numberTest.optional(),
      emotion: numberTest.optional(),
      channel: strOrList.optional(),
      language: strOrList.optional(),
      tier: strOrList.optional(),
      tags: z
        .union(
          [
            strOrList,
            z
              .strictObject({ any: z.array(nonEmpty).min(1).optional(), all: z.array(nonEmpty).min(1).optional() })
              .refine((o) => o.any || o.all, { message: 'give any or all' }),
          ],
          { error: 'use a tag, a list of tags (any of them) or { all: [...] }' },
        )
        .optional(),
      keywords: z.array(nonEmpty).min(1).optional(),
      regex: z
        .union(
          [
            nonEmpty,
            z.strictObject({
              pattern: nonEmpty,
              flags: z
                .string()
                .regex(/^[dgimsuvy]*$/)
                .optional(),
            }),
          ],
          {
            error: 'use a pattern string or { pattern, flags }',
          },
        )
        .superRefine((r, ctx) => {
          const { pattern, flags } = typeof r === 'string' ? { pattern: r, flags: undefined } : r;
          try {
            new RegExp(pattern, flags ?? 'iu');
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: `bad regex /${pattern}/: ${(err as Error).message}` });
          }
        })
        .optional(),
      entity: strOrList.optional(),
      businessHours: z
        .union([z.boolean(), z.strictObject({ open: z.boolean(), calendar: nonEmpty.optional() })], {
          error: 'use true, false or { open: true|false, calendar: name }',
        })
        .optional(),
      incident: z.boolean().optional(),
      repeatCount: z.strictObject({ days: z.number().int().min(1).max(3650), gte: z.number().int().min(1) }).optional(),
    })
    .refine((o) => Object.keys(o).length > 0, { message: 'an empty condition: leave `when` out to match every complaint' }),
);

// `robot`: a chat-room robot of webhooks.yaml (DingTalk, Feishu, WeCom, Slack), checked against that file by the loader.
const notifySchema = z.union(
  [z.strictObject({ queue: nonEmpty }), z.strictObject({ webhook: z.url({ protocol: /^https?$/ }) }), z.strictObject({ robot: nonEmpty })],
  { error: 'use { queue: id }, { robot: id } or { webhook: https://… }' },
);

/** Actions of a rule. Unset fields leave the decision as earlier rules or the defaults made it. */
export const actionSchema = z.strictObject({
  queue: nonEmpty.optional(),
  priority: z.enum(PRIORITIES).optional(),
  /** A named agent, or the next agent with free capacity in a queue (round robin). */
  assign: z
    .union([z.strictObject({ agent: nonEmpty }), z.strictObject({ roundRobin: nonEmpty })], { error: 'use { agent: id } or { roundRobin: queue }' })
    .optional(),
  /** Tags added to the ticket. */
  tags: z.array(nonEmpty).optional(),
  /** A policy name from sla.yaml; without one, sla.yaml's severity × tier matrix decides. */
  slaPolicy: nonEmpty.optional(),
  /** Auto-reply template per language ({ticketNumber} is filled in by the gateway). */
  autoReply: z
    .strictObject({ zh: nonEmpty.optional(), en: nonEmpty.optional() })
    .refine((o) => o.zh || o.en, { message: 'give a zh or en template' })
    .optional(),
  escalate: z.strictObject({ to: nonEmpty, reason: nonEmpty }).optional(),
  notify: z.array(notifySchema).optional(),
  /** true (default): first match wins, later rules are skipped; false: keep evaluating. */
  stop: z.boolean().default(true),
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'rule ids: letters, digits, ".", "-" and "_"'),
  description: nonEmpty,
  /** Set false to keep a rule in the file without it firing. */
  enabled: z.boolean().default(true),
  /** Leave out to match every complaint (a catch-all). */
  when: conditionSchema.optional(),
  then: actionSchema,
});
export type RoutingRule = z.infer<typeof ruleSchema>;

export const queueSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'queue ids: letters, digits, ".", "-" and "_"'),
  name: nonEmpty,
  /** Agents who take tickets from this queue; capacity = most open tickets at once (0 = not taking any). */
  agents: z.array(z.strictObject({ id: nonEmpty, capacity: z.number().int().min(0) })).default([]),
});

function ruleLabel(rules: ReadonlyArray<{ id?: unknown }> | undefined, index: number): string {
  const id = rules?.[index]?.id;
  return typeof id === 'string' && id ? `rule "${id}"` : `rule #${index + 1}`;
}

/** Walks a condition tree, calling `visit` with each node and its zod path. */
export function walkConditions(c: Condition | undefined, path: Array<string | number>, visit: (c: Condition, path: Array<string | number>) => void): void {
  if (!c) return;
  visit(c, path);
  c.all?.forEach((x, i) => walkConditions(x, [...path, 'all', i], visit));
  c.any?.forEach((x, i) => walkConditions(x, [...path, 'any', i], visit));
  walkConditions(c.not, [...path, 'not'], visit);
}

/** The routing file before rule names are put into error messages (use `routingSchema`). */
export const routingObjectSchema = z
  .strictObject({
    version: z.literal(1),
    defaults: z.strictObject({
      queue: nonEmpty,
      priority: z.enum(PRIORITIES).default('normal'),
      /** Leave out to let sla.yaml's severity × tier matrix pick the policy. */
      slaPolicy: nonEmpty.optional(),
    }),
    queues: z.array(queueSchema).min(1),
    rules: z.array(ruleSchema),
  })
  .superRefine((cfg, ctx) => {
    const queueIds = new Set<string>();
    cfg.queues.forEach((q, i) => {
      if (queueIds.has(q.id)) ctx.addIssue({ code: 'custom', path: ['queues', i, 'id'], message: `queue "${q.id}" is defined twice` });
      queueIds.add(q.id);
      const seen = new Set<string>();
      q.agents.forEach((a, j) => {
        if (seen.has(a.id))
          ctx.addIssue({ code: 'custom', path: ['queues', i, 'agents', j, 'id'], message: `queue "${q.id}": agent "${a.id}" is listed twice` });
        seen.add(a.id);
      });
    });
    const agents = new Set(cfg.queues.flatMap((q) => q.agents.map((a) => a.id)));
    const known = [...queueIds].join(', ');
    if (!queueIds.has(cfg.defaults.queue)) {
      ctx.addIssue({ code: 'custom', path: ['defaults', 'queue'], message: `defaults: unknown queue "${cfg.defaults.queue}" (queues: ${known})` });
    }
    const ruleIds = new Map<string, number>();
    cfg.rules.forEach((rule, i) => {
      const label = `rule "${rule.id}"`;
      const at = (...p: Array<string | number>) => ['rules', i, ...p];
      if (ruleIds.has(rule.id)) {
        ctx.addIssue({
          code: 'custom',
          path: at('id'),
          message: `${label}: the id is used twice (rules #${ruleIds.get(rule.id)! + 1} and #${i + 1}); ids must be unique`,
        });
      } else ruleIds.set(rule.id, i);
      const checkQueue = (q: string, where: Array<string | number>, what: string) => {
        if (!queueIds.has(q)) ctx.addIssue({ code: 'custom', path: at(...where), message: `${label}: ${what} names unknown queue "${q}" (queues: ${known})` });
      };
      const t = rule.then;
      if (t.queue) checkQueue(t.queue, ['then', 'queue'], 'then.queue');
      if (t.escalate) checkQueue(t.escalate.to, ['then', 'escalate', 'to'], 'then.escalate.to');
      if (t.assign && 'roundRobin' in t.assign) checkQueue(t.assign.roundRobin, ['then', 'assign', 'roundRobin'], 'then.assign.roundRobin');
      if (t.assign && 'agent' in t.assign && !agents.has(t.assign.agent)) {
        ctx.addIssue({
          code: 'custom',
          path: at('then', 'assign', 'agent'),
          message: `${label}: then.assign.agent names unknown agent "${t.assign.agent}" (add it to a queue's agents)`,
        });
      }
      t.notify?.forEach((n, j) => {
        if ('queue' in n) checkQueue(n.queue, ['then', 'notify', j, 'queue'], 'then.notify');
      });
    });
  });

/**
 * zod schema for `config/routing.yaml`. Field errors inside a rule are prefixed with the
 * rule's id (`rule "vip-priority": Invalid option: expected one of …`); paths are kept.
 */
export const routingSchema = z.unknown().transform((raw, ctx): z.output<typeof routingObjectSchema> => {
  const r = routingObjectSchema.safeParse(raw);
  if (r.success) return r.data;
  const rules = (raw as { rules?: Array<{ id?: unknown }> } | null)?.rules;
  for (const issue of r.error.issues) {
    let message = issue.message;
    if (issue.path[0] === 'rules' && typeof issue.path[1] === 'number' && !message.startsWith('rule ')) {
      const rest = issue.path.slice(2).join('.');
      message = `${ruleLabel(Array.isArray(rules) ? rules : undefined, issue.path[1])}${rest ? ` ${rest}` : ''}: ${message}`;
    }
    ctx.addIssue({ code: 'custom', message, path: issue.path as Array<string | number>, input: raw });
  }
  return z.NEVER;
});

/** The validated contents of `config/routing.yaml`. */
export type RoutingConfig = z.output<typeof routingObjectSchema>;

/**
 * Checks between routing.yaml and sla.yaml: SLA policy and calendar names used by rules exist
 * in sla.yaml, and queues named by SLA actions exist in routing.yaml. Returns one message per
 * problem (empty = consistent); each names the rule or the sla.yaml field.
 */
export function checkRoutingAgainstSla(routing: RoutingConfig, sla: SlaConfig): string[] {
  const out: string[] = [];
  const policies = Object.keys(sla.policies);
  const calendars = Object.keys(sla.calendars);
  if (routing.defaults.slaPolicy && !sla.policies[routing.defaults.slaPolicy]) {
    out.push(`routing defaults: unknown slaPolicy "${routing.defaults.slaPolicy}" (sla.yaml policies: ${policies.join(', ')})`);
  }
  for (const rule of routing.rules) {
    if (rule.then.slaPolicy && !sla.policies[rule.then.slaPolicy]) {
      out.push(`rule "${rule.id}": unknown slaPolicy "${rule.then.slaPolicy}" (sla.yaml policies: ${policies.join(', ')})`);
    }
    walkConditions(rule.when, [], (c) => {
      const cal = typeof c.businessHours === 'object' ? c.businessHours.calendar : undefined;
      if (cal && !sla.calendars[cal])
        out.push(`rule "${rule.id}": businessHours names unknown calendar "${cal}" (sla.yaml calendars: ${calendars.join(', ')})`);
    });
  }
  const queues = new Set(routing.queues.map((q) => q.id));
  for (const { where, queue } of slaActionQueues(sla)) {
    if (!queues.has(queue)) out.push(`sla.yaml ${where}: unknown queue "${queue}" (routing.yaml queues: ${[...queues].join(', ')})`);
  }
  return out;
}

/**
 * Cross-file check: category and sub-code values in rule conditions must name codes of
 * categories.yaml (or OTHER, INQ…: whatever it defines), else the rule can never fire.
 * Takes the taxonomy as plain lists so this schema needs nothing from categories.schema.ts.
 */
export function checkRoutingAgainstCategories(routing: RoutingConfig, taxonomy: Array<{ code: string; subcategories: string[] }>): string[] {
  const out: string[] = [];
  const codes = new Set([...taxonomy.map((c) => c.code.toUpperCase()), 'OTHER']);
  const subs = new Set(taxonomy.flatMap((c) => c.subcategories.map((s) => s.toUpperCase())));
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  for (const rule of routing.rules) {
    walkConditions(rule.when, [], (c) => {
      for (const code of list(c.category)) {
        if (!codes.has(code.toUpperCase())) out.push(`rule "${rule.id}": unknown category "${code}" (categories.yaml codes: ${[...codes].join(', ')})`);
      }
      for (const code of list(c.subcategory)) {
        if (!subs.has(code.toUpperCase())) out.push(`rule "${rule.id}": unknown sub-code "${code}" (not in categories.yaml)`);
      }
    });
  }
  return out;
}
