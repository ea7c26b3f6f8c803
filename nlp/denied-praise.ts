import type { CategoriesSettings } from '../config/categories.schema.js';
import { termOf, type TermHit } from './term-matcher.js';

/** What a praise word said with a negation weighs for the sub-code whose topic it names: a problem, not just a topic word. */
export const DENIED_PRAISE_WEIGHT = 2;

/**
 * Praise denied names its topic's problem. A word that both praises and is one of a sub-code's keywords (新鲜 of stale goods,
 * 好吃 of taste, 正品 of fakes, 完好无损 of transit damage) said with a negation — however the negation is put: "不是新鲜的",
 * "没有以前那么好吃", "根本不是正品" — is that sub-code's problem, where the sub-code's own keywords ("不新鲜") have not
 * already read it.
 */
export class DeniedPraise {
  /** Praise words by the sub-codes whose keywords they are. */
  private readonly topics = new Map<string, Set<string>>();

  constructor(config: Pick<CategoriesSettings, 'categories' | 'tone'>) {
    const praise = new Set([...config.tone.positive.zh, ...config.tone.positive.en].map(termOf));
    for (const c of config.categories) {
      if (c.kind !== 'complaint') continue;
      for (const s of c.subcategories) {
        for (const k of [...s.keywords.zh, ...s.keywords.en]) {
          // A keyword with a sense of its own (with / without / near) is left to it.
          if (typeof k !== 'string' && ('with' in k || 'without' in k || 'near' in k)) continue;
          const term = termOf(k);
          if (!praise.has(term)) continue;
          const subs = this.topics.get(term) ?? new Set<string>();
          subs.add(s.code);
          this.topics.set(term, subs);
        }
      }
    }
  }

  /** The denied praise of `denied` that names sub-code `sub`'s topic, as its keyword hits; none that `own` hits overlap. */
  hitsFor(sub: string, denied: readonly TermHit[], own: readonly TermHit[]): TermHit[] {
    const hits: TermHit[] = [];
    for (const h of denied) {
      if (!this.topics.get(h.term)?.has(sub)) continue;
      if (own.some((o) => o.start < h.end && h.start < o.end)) continue;
      hits.push({ ...h, weight: DENIED_PRAISE_WEIGHT });
    }
    return hits;
  }
}
