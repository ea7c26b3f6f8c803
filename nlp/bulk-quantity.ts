/**
 * "公司订的50份午餐", "两百斤牛肉", "40 lunch boxes", "12 rooms": an order of many units is a bulk or
 * business order, whose failure hits many people at once (severity 2 in DOMAIN.md). The units are
 * config (categories.yaml `severity.bulkOrder`); a quantity is read in digits or in Chinese numerals.
 */

const ZH_DIGIT: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A Chinese numeral up to the thousands ("五十", "两百", "一千二"), or a rough one ("几十", "上百"); undefined if unreadable. */
export function chineseNumber(text: string): number | undefined {
  if (/^(几十|数十)$/.test(text)) return 20;
  if (/^(上百|几百|数百)$/.test(text)) return 100;
  if (/^(上千|几千|数千)$/.test(text)) return 1000;
  let total = 0;
  let digit: number | undefined;
  for (const ch of text) {
    if (ch in ZH_DIGIT) digit = ZH_DIGIT[ch];
    else if (ch === '十' || ch === '百' || ch === '千') {
      const unit = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
      total += (digit ?? 1) * unit;
      digit = undefined;
    } else return undefined;
  }
  return total + (digit ?? 0);
}

export interface BulkOrderSettings {
  /** This many units or more make a bulk order. */
  min: number;
  units: { zh: string[]; en: string[] };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * English names what was ordered freely ("we ordered 300 uniforms", "an order of 60 hoodies"): after a verb of ordering,
 * any plural counts as the unit, unless it counts time, money, distance or tries.
 */
const ORDERED_EN = /\b(?:ordered|order of|order for|orders of|bought|purchased|booked|reserved)\s+(\d{1,3}(?:,\d{3})*|\d{1,7})\s+(?:[a-z-]+\s+)?([a-z]+s)\b/g;
const NOT_GOODS = new Set(
  'seconds minutes mins hours hrs days weeks months years times dollars bucks pounds quid euros cents pence yuan rmb percent miles kilometres kilometers kms metres meters feet inches points calls emails messages texts attempts tries'.split(
    ' ',
  ),
);

/** Finds the first quantity of at least `min` units in a folded text (lower case, simplified). */
export class BulkQuantity {
  private readonly zh?: RegExp;
  private readonly en?: RegExp;

  constructor(private readonly settings: BulkOrderSettings) {
    // Longest units first, so "人份" wins over "份"; the numeral run is bounded (no backtracking blow-up).
    const zh = [...settings.units.zh].sort((a, b) => b.length - a.length).map(escape);
    const en = [...settings.units.en].sort((a, b) => b.length - a.length).map(escape);
    if (zh.length) this.zh = new RegExp(`(\\d{1,7}|[零一二两三四五六七八九十百千几上数]{1,6})(?:多|余|来)?\\s?(?:${zh.join('|')})`, 'gu');
    if (en.length) this.en = new RegExp(`\\b(\\d{1,3}(?:,\\d{3})*|\\d{1,7})\\s+(?:[a-z-]+\\s+)?(?:${en.join('|')})\\b`, 'g');
  }

  find(folded: string): { quantity: number; match: string } | undefined {
    for (const re of [this.zh, this.en, ORDERED_EN]) {
      if (!re) continue;
      re.lastIndex = 0;
      for (let m = re.exec(folded); m; m = re.exec(folded)) {
        const raw = m[1]!;
        const quantity = /\d/.test(raw) ? Number(raw.replace(/,/g, '')) : chineseNumber(raw);
        if (re === ORDERED_EN && NOT_GOODS.has(m[2]!)) continue;
        if (quantity !== undefined && quantity >= this.settings.min) return { quantity, match: m[0] };
      }
    }
    return undefined;
  }
}
