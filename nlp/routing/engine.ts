/**
 * The routing-rule engine: given the validated routing.yaml and the facts about one
 * complaint, decide queue, priority, assignee, tags, SLA policy, auto-reply, escalation and
 * notifications, and say which rules fired and why.
 *
 * Evaluation: rules run top to bottom; a rule whose `when` holds fires and applies its
 * `then`. With `stop: true` (the default) evaluation ends there (first match wins); with
 * `stop: false` it goes on and later rules add to the decision.
 *
 * Precedence when several rules fire:
 * - queue, assign, slaPolicy, autoReply, escalate: the last rule that sets one wins
 *   (a rule further down the file overrides a `stop: false` rule above it);
 * - priority: the highest set by any fired rule wins, so a later rule cannot quietly lower an
 *   urgent or VIP ticket (to lower priority, put a `stop: true` rule first);
 * - tags and notify: the union, in firing order, without duplicates;
 * - `defaults` fill whatever no fired rule set.
 *
 * Pure and synchronous: facts that need the database (repeat count) or a calendar (business
 * hours) come in as functions, called only when a rule asks for them.
 */
import { PRIORITY_RANK, type Priority, type RoutingConfig, type RoutingRule } from '../../config/routing.schema.js';
import { type EvalContext, type Matcher, compileCondition } from './conditions.js';

/** What the engine knows about one complaint. */
export interface RoutingFacts {
  /** Category code: PQ, LG, SP, TD, RL, INQ, OTHER. */
  category: string;
  /** Sub-code such as PQ-03. */
  subcategory?: string;
  /** 1 (urgent) … 4 (suggestion). */
  severity: number;
  /** 1 (calm) … 5 (furious). */
  emotion: number;
  channel: string;
  /** BCP-47 such as zh-Hans, zh-Hant, en. */
  language: string;
  tier: 'vip' | 'standard' | (string & {});
  /** Tags already on the message or ticket (a WeChat group message carries `group`). */
  tags: string[];
  /** Normalized, lowercased text (keywords and regex run on it). */
  text: string;
  /** Extracted entities by kind (order_id, phone, amount…); only presence is used. */
  entities: Record<string, unknown[]>;
  receivedAt: Date;
  /** The ticket is linked to an incident. */
  incident: boolean;
  /** Complaints from this customer in the last `days` days, this one included. */
  repeatCount: (days: number) => number;
  /** Whether `at` is inside opening hours of the named sla.yaml calendar (undefined = default). */
  isBusinessHours: (calendar: string | undefined, at: Date) => boolean;
}

/** One rule that fired, and why, for `gateway explain` and replay. */
export interface FiredRule {
  ruleId: string;
  description: string;
  /** Plain-word reasons each condition held ("severity is 1", "text mentions \"退款\""). */
  reasons: string[];
}

export type Assignment = { agent: string } | { roundRobin: string };
/** A queue notice (a ticket event), a plain JSON POST, or a chat-room robot of webhooks.yaml (a card, through the delivery outbox). */
export type NotifyTarget = { queue: string } | { webhook: string } | { robot: string };

/** Where a complaint goes and what happens to it. */
export interface RouteDecision {
  queue: string;
  priority: Priority;
  /** A named agent, or "pick with `pickRoundRobin` among this queue's agents". */
  assign?: Assignment;
  /** Tags added by the fired rules. */
  tags: string[];
  /** Policy named by a rule or routing defaults; undefined = sla.yaml's severity × tier matrix decides. */
  slaPolicy?: string;
  /** Auto-reply in the customer's language (falls back to the other template). */
  autoReply?: { language: 'zh' | 'en'; template: string };
  escalate?: { to: string; reason: string };
  notify: NotifyTarget[];
  /** Fired rules in order. Empty = nothing matched, the defaults apply. */
  fired: FiredRule[];
}

interface CompiledRule {
  rule: RoutingRule;
  match: Matcher;
}

const compiledCache = new WeakMap<RoutingConfig, CompiledRule[]>();

/** Compiles (once per config object) the enabled rules' conditions and regexes. */
export function compileRouting(config: RoutingConfig): CompiledRule[] {
  let c = compiledCache.get(config);
  if (!c) {
    c = config.rules
      .filter((r) => r.enabled !== false)
      .map((rule) => ({ rule, match: rule.when ? compileCondition(rule.when) : () => ['no conditions: matches every complaint'] }));
    compiledCache.set(config, c);
  }
  return c;
}

function pickTemplate(t: { zh?: string; en?: string }, language: string): { language: 'zh' | 'en'; template: string } {
  const wantsZh = language.toLowerCase().startsWith('zh');
  if (wantsZh && t.zh) return { language: 'zh', template: t.zh };
  if (!wantsZh && t.en) return { language: 'en', template: t.en };
  return t.zh ? { language: 'zh', template: t.zh } : { language: 'en', template: t.en! };
}

/** Routes one complaint. See the module comment for evaluation order and precedence. */
export function route(rules: RoutingConfig, facts: RoutingFacts): RouteDecision {
  const ctx: EvalContext = { facts, repeatMemo: new Map() };
  const fired: FiredRule[] = [];
  let queue: string | undefined;
  let priority: Priority | undefined;
  let assign: Assignment | undefined;
  let slaPolicy: string | undefined;
  let autoReply: RouteDecision['autoReply'];
  let escalate: RouteDecision['escalate'];
  const tags: string[] = [];
  const notify: NotifyTarget[] = [];
  const notifyKeys = new Set<string>();

  for (const { rule, match } of compileRouting(rules)) {
    const reasons = match(ctx);
    if (!reasons) continue;
    fired.push({ ruleId: rule.id, description: rule.description, reasons });
    const t = rule.then;
    if (t.queue) queue = t.queue;
    if (t.priority && (priority === undefined || PRIORITY_RANK[t.priority] > PRIORITY_RANK[priority])) priority = t.priority;
    if (t.assign) assign = t.assign;
    if (t.slaPolicy) slaPolicy = t.slaPolicy;
    if (t.autoReply) autoReply = pickTemplate(t.autoReply, facts.language);
    if (t.escalate) escalate = t.escalate;
    for (const tag of t.tags ?? []) if (!tags.includes(tag)) tags.push(tag);
    for (const n of t.notify ?? []) {
      const key = 'queue' in n ? `q:${n.queue}` : 'robot' in n ? `r:${n.robot}` : `w:${n.webhook}`;
      if (!notifyKeys.has(key)) {
        notifyKeys.add(key);
        notify.push(n);
      }
    }
    if (t.stop !== false) break;
  }

  const decision: RouteDecision = {
    queue: queue ?? rules.defaults.queue,
    priority: priority ?? rules.defaults.priority,
    tags,
    notify,
    fired,
  };
  if (assign) decision.assign = assign;
  const sla = slaPolicy ?? rules.defaults.slaPolicy;
  if (sla) decision.slaPolicy = sla;
  if (autoReply) decision.autoReply = autoReply;
  if (escalate) decision.escalate = escalate;
  return decision;
}

/**
 * Round robin within a queue, respecting capacity: the first agent after `lastAssignedId`
 * (in the queue's order, wrapping around) whose open tickets are below their capacity.
 * Undefined when everyone is full (the ticket waits unassigned in the queue).
 */
export function pickRoundRobin(agents: ReadonlyArray<{ id: string; capacity: number; openTickets: number }>, lastAssignedId?: string): string | undefined {
  if (agents.length === 0) return undefined;
  const last = lastAssignedId === undefined ? -1 : agents.findIndex((a) => a.id === lastAssignedId);
  for (let i = 1; i <= agents.length; i++) {
    const a = agents[(last + i + agents.length) % agents.length]!;
    if (a.openTickets < a.capacity) return a.id;
  }
  return undefined;
}

/** Agents of a queue from routing.yaml (for `pickRoundRobin`; add open-ticket counts). */
export function queueAgents(config: RoutingConfig, queueId: string): Array<{ id: string; capacity: number }> {
  return config.queues.find((q) => q.id === queueId)?.agents ?? [];
}

/** Human-readable lines for `gateway explain` / replay samples. */
export function formatFired(decision: RouteDecision): string[] {
  if (decision.fired.length === 0) return [`no rule matched: defaults (queue ${decision.queue}, priority ${decision.priority})`];
  return decision.fired.map((f, i) => `${i + 1}. ${f.ruleId} — ${f.description}\n     because ${f.reasons.join('; ')}`);
}
