/**
 * Entities with offsets into the original text: order numbers and SKU codes (patterns from
 * categories.yaml), phone numbers, e-mail addresses, amounts with currency and dates.
 */
import { boundForAnalysis } from './analysis-bounds.js';
import { foldWidth, toSimplified } from './text-normalizer.js';

/** One entity found in a message. `start`/`end` are UTF-16 offsets into the original text. */
export interface Entity {
  /** The text as it appears in the message. */
  text: string;
  /** Normalized value: E.164 phone, lower-case e-mail, ISO date (null when redacted or partial), upper-case order/SKU. */
  value: string | null;
  start: number;
  end: number;
}

/** An amount of money. */
export interface AmountEntity extends Entity {
  amount: number;
  currency: Currency;
}

export type Currency = 'CNY' | 'USD' | 'GBP' | 'EUR' | 'HKD' | 'TWD';

/** All entities of a message, by kind, each list in text order. */
export interface Entities {
  orderNumbers: Entity[];
  phones: Entity[];
  emails: Entity[];
  amounts: AmountEntity[];
  dates: Entity[];
  skus: Entity[];
}

/** Config-driven patterns: regex source, group 1 (if any) is the value. */
export interface EntityPatterns {
  orderNumbers: Array<{ pattern: string }>;
  skus: Array<{ pattern: string }>;
}

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
const CN_MOBILE = /(?<![\d+])(?:(?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g;
const INTL_PHONE = /(?<![\w+])\+[1-9][\d\s-]{6,18}\d(?!\d)/g;
const US_PHONE = /(?<!\d)\((\d{3})\)\s?(\d{3})-(\d{4})(?!\d)/g;
const AMOUNT_PREFIX = /(hk\$|nt\$|us\$|¥|￥|rmb|cny|usd|gbp|eur|hkd|twd|\$|£|€)\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(k\b)?(?!\d)/gi;
const AMOUNT_SUFFIX =
  /(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(万元|万块|元|块钱|块|人民币|rmb|cny|usd|dollars?|美元|美金|英镑|pounds?|gbp|欧元|euros?|eur|港币|港元|hkd|新台币|台币|twd)/gi;
const ZH_NUMERAL_CHARS = '0-9零〇一二两三四五六七八九十百千万';
/**
 * Amounts in Chinese numerals with a unit: 两千多块, 三百元, 一万二千元, 5千元. The numeral run is taken whole
 * (an atomic group: lookahead + backreference) from its first character, so a long run of numerals with no
 * unit after it costs one pass instead of backtracking through every split ("1一1一…" × 10,000 froze it).
 */
const AMOUNT_ZH_NUMERALS = new RegExp(
  `(?<![${ZH_NUMERAL_CHARS}])(?=([${ZH_NUMERAL_CHARS}]+))\\1多?(万元|万块|元|块钱|块|人民币|美元|美金|英镑|欧元|港币|港元|台币)`,
  'g',
);
const HAN_NUMERAL = /[零〇一二两三四五六七八九十百千万]/;
/**
 * A number read whole (the lookahead + backreference makes it atomic: no backtracking through a long run):
 * digits with thousands separators or a decimal ("3,299", "1.5"), or Chinese numerals ("四千五"), then an
 * optional 万 / 千. Used where the words around a number, not a unit after it, say that it is money.
 */
const MONEY_NUMBER = `(?=(\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+(?:\\.\\d{1,2})?(?![\\d.])|[${ZH_NUMERAL_CHARS.slice(3)}]+))\\1(万|千)?`;
/** A currency named before the number: 港币四千五, 人民币 3000, 台币1.2万. */
const AMOUNT_CURRENCY_FIRST = new RegExp(`(港币|港元|人民币|新台币|台币|美元|美金|英镑|欧元)\\s?${MONEY_NUMBER.replaceAll('\\1', '\\2')}`, 'gd');
/**
 * Money named by what happens to it, a few characters before the number: 多扣了一万二, 转给房东1.5万, 余额3000.
 * A count after it is no money: 扣了两次, 退了三单, 损失了五天.
 */
const AMOUNT_AFTER_MONEY_WORD = new RegExp(
  `(扣|付了|支付|交了|转账|转了|转给|退款|退了|赔偿|赔了|花了|欠了|欠款|损失|余额|金额|押金|定金|订金|充值|货款|房租|费|一共|总共|合计|共计)[^0-9${ZH_NUMERAL_CHARS.slice(3)},.!?;:\\s]{0,4}${MONEY_NUMBER.replaceAll('\\1', '\\2')}[多几]?(?![次单个天小时分钟秒件份号楼层年月周岁斤克米公里人位台张瓶箱盒条%点倍折只支把双套间晚夜户家辆本部包袋杯碗根粒颗片样种遍趟回轮页度寸码毫升a-z])`,
  'gd',
);
/** Money named by what it is, right after the number: 3000多的余额, 两万的货款. */
const AMOUNT_BEFORE_MONEY_WORD = new RegExp(
  `(?<![0-9.${ZH_NUMERAL_CHARS.slice(3)}])${MONEY_NUMBER}[多几]?的?(余额|退款|货款|押金|定金|订金|欠款|话费|房租|会费|年费|服务费|手续费|违约金|学费|工资|团费|费用)`,
  'gd',
);
const DATE_ISO = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g;
const DATE_ZH = /(?:(\d{4})\s?年\s?)?(\d{1,2})\s?月\s?(\d{1,2})\s?[日号]/g;
const DATE_US = /(?<![\d/])(\d{1,2}|xx)\/(\d{1,2}|xx)\/(\d{4}|xxxx)(?![\d/])/gi;
const MONTHS = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_MDY = new RegExp(`\\b(${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi');
const DATE_DMY = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${MONTHS})\\.?,?\\s+(\\d{4})\\b`, 'gi');
const DATE_RELATIVE = /今天|昨天|前天|上周|上个月|上星期|\b(?:today|yesterday|last week|last month)\b/gi;

/** Compiles the config patterns once; `extract` is then pure and allocation-light. */
export class EntityExtractor {
  private readonly orderPatterns: RegExp[];
  private readonly skuPatterns: RegExp[];

  constructor(patterns: EntityPatterns) {
    // `d` gives group offsets so the value's own position is reported, not the "订单号:" before it.
    this.orderPatterns = patterns.orderNumbers.map((p) => new RegExp(p.pattern, 'gid'));
    this.skuPatterns = patterns.skus.map((p) => new RegExp(p.pattern, 'gid'));
  }

  extract(input: string): Entities {
    return this.find(input, false);
  }

  /**
   * The e-mail addresses, phone numbers and order numbers of a message: the same as `extract` gives
   * for them (they are found first, so no amount, date or SKU can take their place), without
   * looking for the rest. What identity matching reads on every message.
   */
  identifiers(input: string): Pick<Entities, 'emails' | 'phones' | 'orderNumbers'> {
    const { emails, phones, orderNumbers } = this.find(input, true);
    return { emails, phones, orderNumbers };
  }

  private find(input: string, identifiersOnly: boolean): Entities {
    // Only the bounded head is searched (same offsets): the patterns below are linear on it.
    const original = boundForAnalysis(input);
    // Width and traditional folding are one-for-one, so offsets in `text` are offsets in `original`
    // and config patterns need only list 订单号, not 訂單號 too.
    const text = toSimplified(foldWidth(original));
    const taken: Array<[number, number]> = [];
    const claim = (start: number, end: number): boolean => {
      if (taken.some(([s, e]) => start < e && end > s)) return false;
      taken.push([start, end]);
      return true;
    };
    const out: Entities = { orderNumbers: [], phones: [], emails: [], amounts: [], dates: [], skus: [] };
    const push = (list: Entity[], start: number, end: number, value: string | null): void => {
      if (claim(start, end)) list.push({ text: original.slice(start, end), value, start, end });
    };

    // Patterns that need a character the text does not have are not run (most messages have no
    // '@' and many no digit): each needs it in every match (EMAIL an '@', DATE_US a '/', the
    // phones, AMOUNT_PREFIX, AMOUNT_SUFFIX and the numeric dates a digit 0-9; the text is
    // width-folded, so full-width digits count).
    const digits = /[0-9]/.test(text);
    // Order of kinds = priority when two overlap: an e-mail's digits are not a phone, an order number is not an amount.
    if (text.includes('@')) for (const m of text.matchAll(EMAIL)) push(out.emails, m.index, m.index + m[0].length, m[0].toLowerCase());
    for (const re of this.orderPatterns) {
      for (const m of text.matchAll(re)) {
        const [s, e] = m.indices?.[1] ?? [m.index, m.index + m[0].length];
        push(out.orderNumbers, s, e, text.slice(s, e).toUpperCase());
      }
    }
    if (digits) {
      for (const m of text.matchAll(CN_MOBILE)) push(out.phones, m.index, m.index + m[0].length, `+86${m[1]}${m[2]}${m[3]}`);
      for (const m of text.matchAll(INTL_PHONE)) {
        const digits = m[0].replace(/\D/g, '');
        if (digits.length >= 8 && digits.length <= 15) push(out.phones, m.index, m.index + m[0].length, `+${digits}`);
      }
      for (const m of text.matchAll(US_PHONE)) push(out.phones, m.index, m.index + m[0].length, `+1${m[1]}${m[2]}${m[3]}`);
    }
    if (identifiersOnly) return sortedByStart(out);
    if (digits) {
      for (const m of text.matchAll(AMOUNT_PREFIX)) {
        // "£5.4k": thousands.
        this.pushAmount(out, claim, original, m.index, m.index + m[0].length, m[2]!, m[3], currencyOf(m[1]!), m[4] ? 1000 : 1);
      }
      for (const m of text.matchAll(AMOUNT_SUFFIX)) {
        const unit = m[3]!.toLowerCase();
        this.pushAmount(out, claim, original, m.index, m.index + m[0].length, m[1]!, m[2], currencyOf(unit), unit.startsWith('万') ? 10_000 : 1);
      }
    }
    for (const m of text.matchAll(AMOUNT_ZH_NUMERALS)) {
      // Digits alone are AMOUNT_SUFFIX's ("3980元").
      if (!HAN_NUMERAL.test(m[1]!)) continue;
      const value = zhNumber(m[1]!);
      const unit = m[2]!;
      // "一块蛋糕", "两块" are pieces, not money: a bare 块 counts from ten up.
      if (value > 0 && !(unit === '块' && value < 10))
        this.pushAmount(out, claim, original, m.index, m.index + m[0].length, String(value), undefined, currencyOf(unit), unit.startsWith('万') ? 10_000 : 1);
    }

    for (const re of [AMOUNT_CURRENCY_FIRST, AMOUNT_AFTER_MONEY_WORD, AMOUNT_BEFORE_MONEY_WORD]) {
      for (const m of text.matchAll(re)) {
        // The number's own group: 1 when the pattern starts with it, 2 when a word comes first.
        const group = re === AMOUNT_BEFORE_MONEY_WORD ? 1 : 2;
        const [start] = m.indices![group]!;
        const end = m.indices![group + 1]?.[1] ?? m.indices![group]![1];
        const value = moneyNumber(m[group]!, m[group + 1]);
        const currency = re === AMOUNT_CURRENCY_FIRST ? currencyOf(m[1]!) : 'CNY';
        if (value > 0) this.pushAmount(out, claim, original, start, end, String(value), undefined, currency, 1);
      }
    }

    if (digits) {
      for (const m of text.matchAll(DATE_ISO)) push(out.dates, m.index, m.index + m[0].length, isoDate(m[1], m[2], m[3]));
      for (const m of text.matchAll(DATE_ZH)) push(out.dates, m.index, m.index + m[0].length, m[1] ? isoDate(m[1], m[2], m[3]) : null);
    }
    if (text.includes('/')) for (const m of text.matchAll(DATE_US)) push(out.dates, m.index, m.index + m[0].length, isoDate(m[3], m[1], m[2]));
    if (digits) {
      for (const m of text.matchAll(DATE_MDY)) push(out.dates, m.index, m.index + m[0].length, isoDate(m[3], monthNumber(m[1]!), m[2]));
      for (const m of text.matchAll(DATE_DMY)) push(out.dates, m.index, m.index + m[0].length, isoDate(m[3], monthNumber(m[2]!), m[1]));
    }
    for (const m of text.matchAll(DATE_RELATIVE)) push(out.dates, m.index, m.index + m[0].length, null);

    for (const re of this.skuPatterns) {
      for (const m of text.matchAll(re)) {
        const [s, e] = m.indices?.[1] ?? [m.index, m.index + m[0].length];
        push(out.skus, s, e, text.slice(s, e).toUpperCase());
      }
    }
    return sortedByStart(out);
  }

  private pushAmount(
    out: Entities,
    claim: (s: number, e: number) => boolean,
    original: string,
    start: number,
    end: number,
    whole: string,
    fraction: string | undefined,
    currency: Currency,
    multiplier: number,
  ): void {
    if (!claim(start, end)) return;
    const amount = Number(`${whole.replace(/,/g, '')}${fraction ? `.${fraction}` : ''}`) * multiplier;
    out.amounts.push({ text: original.slice(start, end), value: `${amount} ${currency}`, amount, currency, start, end });
  }
}

function monthNumber(name: string): string {
  const i = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].indexOf(name.slice(0, 3).toLowerCase());
  return String(i + 1);
}

/** ISO date when all parts are real numbers that make a calendar date; null for XX/XX/XXXX redactions. */
function isoDate(y: string | undefined, m: string | undefined, d: string | undefined): string | null {
  if (!y || !m || !d || !/^\d+$/.test(y + m + d)) return null;
  const year = y.length === 2 ? 2000 + Number(y) : Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return null;
  return date.toISOString().slice(0, 10);
}

/** An empty entity set (for empty input). */
export function noEntities(): Entities {
  return { orderNumbers: [], phones: [], emails: [], amounts: [], dates: [], skus: [] };
}

/** The currency a symbol, code or word names (default: yuan). */
function currencyOf(unit: string): Currency {
  const u = unit.toLowerCase();
  if (/^(hk\$|hkd|港币|港元)$/.test(u)) return 'HKD';
  if (/^(nt\$|twd|新台币|台币)$/.test(u)) return 'TWD';
  if (/^(£|gbp|英镑|pounds?)$/.test(u)) return 'GBP';
  if (/^(€|eur|欧元|euros?)$/.test(u)) return 'EUR';
  if (/^(us\$|\$|usd|dollars?|美元|美金)$/.test(u)) return 'USD';
  return 'CNY';
}

/**
 * The value of a number found by the words around it: digits ("3,299", "1.5") or Chinese numerals with a
 * unit inside ("四千五", "一万二"), times an optional 万 / 千 after it. 0 for Chinese numerals without a unit
 * inside or after them ("扣一下", "退一单" are no amounts).
 */
function moneyNumber(run: string, unit: string | undefined): number {
  const multiplier = unit === '万' ? 10_000 : unit === '千' ? 1000 : 1;
  if (/^[\d,.]+$/.test(run)) return Number(run.replace(/,/g, '')) * multiplier;
  if (!/[十百千万]/.test(run) && !unit) return 0;
  return zhNumber(run) * multiplier;
}

const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** A number written in Chinese numerals, Arabic digits or both ("两千", "一万二千", "5千"); 0 when unreadable. */
export function zhNumber(text: string): number {
  let total = 0;
  let section = 0;
  let digits = 0;
  let lastUnit = 0;
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') digits = digits * 10 + Number(ch);
    else if (ch in ZH_DIGITS) digits = ZH_DIGITS[ch]!;
    else if (ch in ZH_UNITS) {
      lastUnit = ZH_UNITS[ch]!;
      section += (digits || 1) * lastUnit;
      digits = 0;
    } else if (ch === '万') {
      total += (section + digits) * 10_000;
      section = 0;
      digits = 0;
      lastUnit = 10_000;
    }
  }
  // "一万二" = 12,000, "三千五" = 3,500: a lone digit after a unit counts in the next unit down.
  // ("一千零五" = 1,005 has its 零 and counts plainly.)
  if (digits > 0 && lastUnit >= 100 && /[一二两三四五六七八九]$/.test(text) && !/[零〇]/.test(text)) return total + section + digits * (lastUnit / 10);
  return total + section + digits;
}

/** Each list of `out` in text order. */
function sortedByStart(out: Entities): Entities {
  for (const list of Object.values(out) as Entity[][]) list.sort((a, b) => a.start - b.start);
  return out;
}
