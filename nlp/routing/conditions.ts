/**
 * Compiles the `when` trees of routing.yaml into matcher functions that return the plain-word
 * reasons a condition held (for `gateway explain` and replay), or null when it did not.
 */
import type { Condition, NumberTest } from '../../config/routing.schema.js';
import type { RoutingFacts } from './engine.js';

/** Facts plus a per-call memo so `repeatCount` (a store lookup) runs once per window. */
export interface EvalContext {
  facts: RoutingFacts;
  repeatMemo: Map<number, number>;
}

/** Reasons the condition held, or null. */
export type Matcher = (ctx: EvalContext) => string[] | null;

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);
const lc = (s: string) => s.normalize('NFKC').toLowerCase();
const orList = (vs: readonly string[]) => (vs.length === 1 ? vs[0]! : `${vs.slice(0, -1).join(', ')} or ${vs[vs.length - 1]}`);

function numberTestText(t: NumberTest): string {
  if (typeof t === 'number') return `= ${t}`;
  const parts: string[] = [];
  if (t.eq !== undefined) parts.push(`= ${t.eq}`);
  if (t.gte !== undefined) parts.push(`≥ ${t.gte}`);
  if (t.lte !== undefined) parts.push(`≤ ${t.lte}`);
  if (t.in) parts.push(`in ${t.in.join(', ')}`);
  return parts.join(' and ');
}

function numberTestHolds(t: NumberTest, v: number): boolean {
  if (typeof t === 'number') return v === t;
  return (
    (t.eq === undefined || v === t.eq) && (t.gte === undefined || v >= t.gte) && (t.lte === undefined || v <= t.lte) && (t.in === undefined || t.in.includes(v))
  );
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regex for a keyword list. A keyword starting with a Latin letter or digit must start a
 * word ("late" does not match "chocolate" but "refund" matches "refunds"); Chinese has no
 * word boundaries, so CJK keywords match anywhere.
 */
function keywordRegex(words: readonly string[]): RegExp {
  const alts = words.map((w) => {
    const k = escapeRe(lc(w.trim()));
    return /^[a-z0-9]/.test(k) ? `(?<![\\p{L}\\p{N}])${k}` : k;
  });
  return new RegExp(alts.join('|'), 'gu');
}

/** Plain-words description of a condition (used under `not`). */
export function describeCondition(c: Condition): string {
  const parts: string[] = [];
  if (c.all) parts.push(`all of (${c.all.map(describeCondition).join('; ')})`);
  if (c.any) parts.push(`any of (${c.any.map(describeCondition).join('; ')})`);
  if (c.not) parts.push(`not (${describeCondition(c.not)})`);
  if (c.category !== undefined) parts.push(`category is ${orList(list(c.category))}`);
  if (c.subcategory !== undefined) parts.push(`subcategory is ${orList(list(c.subcategory))}`);
  if (c.severity !== undefined) parts.push(`severity ${numberTestText(c.severity)}`);
  if (c.emotion !== undefined) parts.push(`emotion ${numberTestText(c.emotion)}`);
  if (c.channel !== undefined) parts.push(`channel is ${orList(list(c.channel))}`);
  if (c.language !== undefined) parts.push(`language is ${orList(list(c.language))}`);
  if (c.tier !== undefined) parts.push(`customer tier is ${orList(list(c.tier))}`);
  if (c.tags !== undefined) {
    if (typeof c.tags === 'string' || Array.isArray(c.tags)) parts.push(`tagged ${orList(list(c.tags))}`);
    else {
      if (c.tags.all) parts.push(`tagged all of ${c.tags.all.join(', ')}`);
      if (c.tags.any) parts.push(`tagged ${orList(c.tags.any)}`);
    }
  }
  if (c.keywords) parts.push(`text mentions ${orList(c.keywords.map((k) => `"${k}"`))}`);
  if (c.regex !== undefined) parts.push(`text matches /${typeof c.regex === 'string' ? c.regex : c.regex.pattern}/`);
  if (c.entity !== undefined) parts.push(`a ${orList(list(c.entity))} was found in the text`);
  if (c.businessHours !== undefined) {
    const { open, calendar } = typeof c.businessHours === 'boolean' ? { open: c.businessHours, calendar: undefined } : c.businessHours;
    parts.push(`received ${open ? 'inside' : 'outside'} business hours${calendar ? ` (${calendar} calendar)` : ''}`);
  }
  if (c.incident !== undefined) parts.push(c.incident ? 'part of an incident' : 'not part of an incident');
  if (c.repeatCount) parts.push(`at least ${c.repeatCount.gte} complaints from this customer in ${c.repeatCount.days} days`);
  return parts.join(' and ');
}

function stringTest(field: string, wanted: string | string[], get: (f: RoutingFacts) => string | undefined, prefix = false): Matcher {
  const values = list(wanted).map(lc);
  const label = orList(list(wanted));
  return ({ facts }) => {
    const raw = get(facts);
    if (raw === undefined || raw === null) return null;
    const v = lc(String(raw));
    // `language: zh` covers zh-Hans and zh-Hant: Traditional and Simplified are one language for routing.
    const ok = values.some((w) => v === w || (prefix && v.startsWith(`${w}-`)));
    if (!ok) return null;
    return [list(wanted).length > 1 ? `${field} is ${raw} (one of ${label})` : `${field} is ${raw}`];
  };
}

function numberMatcher(field: string, t: NumberTest, get: (f: RoutingFacts) => number | undefined): Matcher {
  const text = numberTestText(t);
  return ({ facts }) => {
    const v = get(facts);
    if (typeof v !== 'number' || !numberTestHolds(t, v)) return null;
    return [typeof t === 'number' ? `${field} is ${v}` : `${field} is ${v} (${text})`];
  };
}

/** Compiles a condition node: every key present must hold; reasons are concatenated in order. */
export function compileCondition(c: Condition): Matcher {
  const parts: Matcher[] = [];

  if (c.category !== undefined) parts.push(stringTest('category', c.category, (f) => f.category));
  if (c.subcategory !== undefined) parts.push(stringTest('subcategory', c.subcategory, (f) => f.subcategory));
  if (c.severity !== undefined) parts.push(numberMatcher('severity', c.severity, (f) => f.severity));
  if (c.emotion !== undefined) parts.push(numberMatcher('emotion', c.emotion, (f) => f.emotion));
  if (c.channel !== undefined) parts.push(stringTest('channel', c.channel, (f) => f.channel));
  if (c.language !== undefined) parts.push(stringTest('language', c.language, (f) => f.language, true));
  if (c.tier !== undefined) parts.push(stringTest('customer tier', c.tier, (f) => f.tier));

  if (c.tags !== undefined) {
    const spec = typeof c.tags === 'string' || Array.isArray(c.tags) ? { any: list(c.tags), all: undefined } : c.tags;
    const anyOf = spec.any?.map(lc);
    const allOf = spec.all?.map(lc);
    parts.push(({ facts }) => {
      const have = new Set(facts.tags.map(lc));
      if (allOf && !allOf.every((t) => have.has(t))) return null;
      const hit = anyOf?.filter((t) => have.has(t));
      if (anyOf && hit!.length === 0) return null;
      const reasons: string[] = [];
      if (allOf) reasons.push(`tagged ${allOf.join(', ')}`);
      if (hit) reasons.push(`tagged ${hit.join(', ')}`);
      return reasons;
    });
  }

  if (c.keywords) {
    const re = keywordRegex(c.keywords);
    parts.push(({ facts }) => {
      re.lastIndex = 0;
      const found = new Set<string>();
      for (const m of facts.text.matchAll(re)) found.add(m[0]);
      if (found.size === 0) return null;
      return [`text mentions ${[...found].map((k) => `"${k}"`).join(', ')}`];
    });
  }

  if (c.regex !== undefined) {
    const { pattern, flags } = typeof c.regex === 'string' ? { pattern: c.regex, flags: undefined } : c.regex;
    // Drop g/y: a stateful lastIndex would make the same rule match one message and miss the next.
    const re = new RegExp(pattern, (flags ?? 'iu').replace(/[gy]/g, ''));
    parts.push(({ facts }) => {
      const m = re.exec(facts.text);
      if (!m) return null;
      const snippet = m[0].length > 40 ? `${m[0].slice(0, 40)}…` : m[0];
      return [`text matches /${pattern}/ ("${snippet}")`];
    });
  }

  if (c.entity !== undefined) {
    const kinds = list(c.entity);
    parts.push(({ facts }) => {
      // Counts only, never values: reasons end up in logs and the explain output (no PII).
      const present = kinds.filter((k) => (facts.entities[k]?.length ?? 0) > 0);
      if (present.length === 0) return null;
      return present.map((k) => `a ${k} was found in the text (${facts.entities[k]!.length})`);
    });
  }

  if (c.businessHours !== undefined) {
    const { open, calendar } = typeof c.businessHours === 'boolean' ? { open: c.businessHours, calendar: undefined } : c.businessHours;
    parts.push(({ facts }) => {
      if (facts.isBusinessHours(calendar, facts.receivedAt) !== open) return null;
      return [`received ${open ? 'inside' : 'outside'} business hours${calendar ? ` (${calendar} calendar)` : ''} at ${facts.receivedAt.toISOString()}`];
    });
  }

  if (c.incident !== undefined) {
    const want = c.incident;
    parts.push(({ facts }) => (facts.incident === want ? [want ? 'part of an incident' : 'not part of an incident'] : null));
  }

  if (c.repeatCount) {
    const { days, gte } = c.repeatCount;
    parts.push((ctx) => {
      let n = ctx.repeatMemo.get(days);
      if (n === undefined) {
        n = ctx.facts.repeatCount(days);
        ctx.repeatMemo.set(days, n);
      }
      return n >= gte ? [`${n} complaints from this customer in ${days} days (≥ ${gte})`] : null;
    });
  }

  if (c.all) {
    const subs = c.all.map(compileCondition);
    parts.push((ctx) => {
      const reasons: string[] = [];
      for (const s of subs) {
        const r = s(ctx);
        if (!r) return null;
        reasons.push(...r);
      }
      return reasons;
    });
  }

  if (c.any) {
    const subs = c.any.map(compileCondition);
    parts.push((ctx) => {
      // First branch that holds explains the match; later branches are not evaluated.
      for (const s of subs) {
        const r = s(ctx);
        if (r) return r;
      }
      return null;
    });
  }

  if (c.not) {
    const inner = compileCondition(c.not);
    const text = describeCondition(c.not);
    parts.push((ctx) => (inner(ctx) ? null : [`not (${text})`]));
  }

  return (ctx) => {
    const reasons: string[] = [];
    for (const p of parts) {
      const r = p(ctx);
      if (!r) return null;
      reasons.push(...r);
    }
    return reasons;
  };
}
