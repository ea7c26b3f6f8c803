/**
 * A failure the customer has met again and again, told by a count rather than by a word in categories.yaml: "第11次打电话",
 * "修了四回了还是不制冷", "连续三次送错", "投诉了不下十次", "the engineer has been out four times", "for the 5th time",
 * "cancelled three times in a row", "over and over". Repeated failure is severity 2 in DOMAIN.md; the caller applies it to
 * complaints only, so "我买了三次了，每次都很好吃" and "ordered 5 times, always great" (praise) are left alone. The count must
 * sit in a clause that tells an attempt or a failure (calling, repairing, breaking, sending wrong, being refused), not a
 * purchase or a stay ("这是我第三次点这家，这次米饭有点硬" is a loyal customer's ordinary complaint). Pure.
 */
import { chineseNumber } from './bulk-quantity.js';
import { clauseAt } from './clause-at.js';
import type { TermHit } from './term-matcher.js';

/** This many times or more is "again and again" (twice is still bad luck, and "第二次投诉" has its own term). */
const MIN_REPEATS = 3;
/** "连续两次", "twice in a row": in a row, two already is a pattern. */
const MIN_IN_A_ROW = 2;

/** A count of times: 第11次, 四回, 三趟, 十几次, 不下十次, 七八次, 无数次. */
const ZH_COUNT = /(第|连续|不下|已经|都)?(\d{1,3}|[一二两三四五六七八九十]{1,2}几?|无数)\s?(?:次|回|趟|遍)/gu;
/**
 * How often a fault shows within a time ("一天断十几次", "一集断三次", "每天失灵无数次"): a glitch's frequency, an ordinary
 * fault, not a fix that failed again and again.
 */
const ZH_FREQUENCY = /[一每][天日晚夜集局场小次]|每次/u;
/** What was tried or what failed, in the clause of the count. Not chasing ("催了三次"): that is impatience, told elsewhere. */
const ZH_ATTEMPT =
  /打|联系|找|修|投诉|反映|反馈|坏|故障|死机|黑屏|断|掉线|停|送错|发错|漏|驳回|拒|退回|寄回|上门|换|返厂|取消|跑了|去了|申请|提交|问了|说了|重启|打不开|闪退|失败|卡死|延误|改期|爽约|放鸽子|承诺|答应|保证|没到|没送|没修|没解决|没人|不来|跳闸|堵|报错|扣/u;
/** A fix that failed or a complaint made again: what a plain count ("三次", not "第三次") must sit beside. */
const ZH_FIX = /修|换|返厂|投诉|反映|坏|故障|上门|驳回|送错|发错/u;
/** A purchase, a meal or a stay: a loyal customer's count, not a failure's. */
const ZH_CUSTOM = /买|购|点了|点这|下单|回购|光顾|住过|住了|吃过|来过|用了/u;

const EN_NUMBER: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  'a dozen': 12,
  'dozens of': 24,
  several: 3,
  multiple: 3,
  numerous: 5,
  countless: 10,
  'so many': 5,
  umpteen: 10,
};
const EN_ORDINAL: Record<string, number> = { third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10 };
/** "four times", "7 calls", "a dozen emails", "three engineers", "twice in a row". */
const EN_COUNT =
  /\b(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|dozens of|several|multiple|numerous|countless|so many|umpteen)\s+(?:separate\s+|different\s+|more\s+)?(times|calls|phone calls|visits|attempts|emails|e-mails|messages|engineers|technicians|replacements|repairs|complaints|chats)\b(\s+in\s+a\s+row)?/g;
/** "for the 5th time", "the third engineer", "4th visit". */
const EN_NTH =
  /\b(third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,3}(?:rd|th))\s+(time|visit|replacement|repair|call|engineer|technician|attempt|complaint)\b/g;
/** Said without a count. */
const EN_AGAIN = /\b(over and over(?: again)?|time after time|time and again|twice in a row)\b/g;
/** A glitch's frequency within a time ("drops three times a day", "for the fifth time in one chat"). */
const EN_FREQUENCY =
  /\s*(?:a|an|per|each|every|in (?:one|a single|the same|an?)) (?:day|night|hour|week|episode|film|movie|game|match|chat|call|session|evening|morning)\b/y;
/**
 * What a plain count of times must sit beside: a fix that failed, a fault back again, a complaint made again, a request
 * for help made again ("asked for a callback three times", "emailed them four times").
 */
const EN_FIX =
  /\b(been out|came out|come out|repair(?:ed|s)?|fix(?:ed)?|replac(?:e|ed|ement|ements)|broke|broken|break(?:s)?|fail(?:ed|s)?|complain(?:ed)?|report(?:ed)?|still|same (?:fault|problem|issue)|engineers?|technicians?|cancel(?:l)?ed|reschedul(?:e|ed)|call(?:ed)? back|callbacks?|contacted|rang|phoned|emailed|asked for|requested)\b/;
/** Counted things that tell no failure by themselves ("five times", "7 calls", "three emails"). */
const EN_NEEDS_FIX = /^(?:times|calls|phone calls|emails|e-mails|messages|chats)$/;
const EN_CUSTOM = /\b(order(?:ed)? from|bought|stayed|eaten|been here|come here|came here|shopped|visited (?:the|this|your) (?:shop|store|restaurant|hotel))\b/;

/**
 * Counts looked at per pattern: a message of thousands of "修了三次" with no stop between them would otherwise scan its one long
 * clause once per count (the analysed text is at most 8,000 characters, nlp/analysis-bounds.ts).
 */
const MAX_COUNTS = 32;
function* first(re: RegExp, folded: string): Generator<RegExpExecArray> {
  let n = 0;
  for (const m of folded.matchAll(re)) {
    if (n++ === MAX_COUNTS) return;
    yield m;
  }
}
/** Whether `re` (sticky) matches `folded` right after `end`. */
const followedBy = (re: RegExp, folded: string, end: number) => {
  re.lastIndex = end;
  return re.test(folded);
};

/** The counts of repeated attempts or failures in a folded (lower-case, simplified) text, each a hit of weight 1. */
export function repeatedFailure(folded: string): TermHit[] {
  const hits: TermHit[] = [];
  const hit = (count: number, match: string, start: number) =>
    hits.push({ term: `repeated (${count} times)`, match, weight: 1, start, end: start + match.length });

  for (const m of first(ZH_COUNT, folded)) {
    const [match, prefix, raw] = [m[0], m[1], m[2]!];
    const count = raw === '无数' ? 10 : /\d/.test(raw) ? Number(raw) : zhCount(raw);
    if (count === undefined || count < (prefix === '连续' ? MIN_IN_A_ROW : MIN_REPEATS)) continue;
    const clause = clauseAt(folded, m.index, m.index + match.length);
    if (!(prefix === '第' ? ZH_ATTEMPT : ZH_FIX).test(clause) || ZH_CUSTOM.test(clause) || ZH_FREQUENCY.test(clause.slice(0, clause.indexOf(match)))) continue;
    hit(count, match, m.index);
  }
  for (const m of first(EN_COUNT, folded)) {
    const count = /\d/.test(m[1]!) ? Number(m[1]) : EN_NUMBER[m[1]!];
    if (count === undefined || count < (m[3] ? MIN_IN_A_ROW : MIN_REPEATS)) continue;
    const clause = clauseAt(folded, m.index, m.index + m[0].length);
    // "three engineers", "four repairs" tell failed fixes by themselves; times, calls and messages need what was tried.
    if (EN_NEEDS_FIX.test(m[2]!) && !EN_FIX.test(clause.replace(m[0], ' '))) continue;
    if (EN_CUSTOM.test(clause) || followedBy(EN_FREQUENCY, folded, m.index + m[0].length)) continue;
    hit(count, m[0], m.index);
  }
  for (const m of first(EN_NTH, folded)) {
    const count = EN_ORDINAL[m[1]!] ?? Number.parseInt(m[1]!, 10);
    const clause = clauseAt(folded, m.index, m.index + m[0].length);
    if (count < MIN_REPEATS || EN_CUSTOM.test(clause) || followedBy(EN_FREQUENCY, folded, m.index + m[0].length)) continue;
    hit(count, m[0], m.index);
  }
  for (const m of first(EN_AGAIN, folded)) {
    if (EN_CUSTOM.test(clauseAt(folded, m.index, m.index + m[0].length))) continue;
    hit(m[0] === 'twice in a row' ? 2 : MIN_REPEATS, m[0], m.index);
  }
  return hits;
}

/** 三 → 3, 十几 → 10, 七八 → 7 (the lower of a rough pair). */
function zhCount(raw: string): number | undefined {
  const rough = /^([一二两三四五六七八九])([一二两三四五六七八九])$/u.exec(raw);
  if (rough) return chineseNumber(rough[1]!);
  return chineseNumber(raw.replace(/几$/u, ''));
}
