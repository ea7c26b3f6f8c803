/**
 * Impatience told by the shape of a message rather than by a word in categories.yaml: a question asked twice in a row
 * ("??"), how long the customer has waited ("已经五天了", "it has been two weeks"), and a face of annoyance ("🙄", "🙃").
 * Each is a negative tone hit for nlp/understanding.ts, like a tone word. Pure.
 */
import type { TermHit } from './term-matcher.js';

/**
 * "??" / "？？？": a question asked twice in a row is exasperation, not a request for information ("长度不一样？？？",
 * "Paying for that??"), in any language; so is a question shouted ("能称之为大果吗？！！", "Seriously?!"). A negative tone
 * hit of weight 1, like a tone word.
 */
export function questionRuns(folded: string): TermHit[] {
  const hits: TermHit[] = [];
  // A run of "!" is tried once, from its start: a long run with no "?" after it must not be scanned again from each "!".
  for (const m of folded.matchAll(/\?{2,}|\?!+|(?<!!)!+\?/g)) {
    hits.push({ term: m[0].startsWith('??') ? '??' : '?!', match: m[0], weight: 1, start: m.index, end: m.index + m[0].length });
  }
  return hits;
}

/** A count of time: 五天, 两个星期, 一个多月, 3 days, two weeks. */
const ZH_SPAN = String.raw`(?:[一二三四五六七八九十两几半\d]+|成(?=个))个?多?(?:个?工作[日天]|天|周|星期|礼拜|月|小时|钟头)`;
const EN_SPAN = String.raw`(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|over\s+(?:a|an|one|two)|more\s+than\s+(?:a|an|one|two))\s+(?:days?|weeks?|months?|hours?)`;
/**
 * How long the customer has waited, said as a wait ("已经五天了", "申请一周了", "等了两个小时", "it has been two weeks",
 * "it’s been 3 days", "been waiting for a week"): impatience, a bad experience like a tone word, so
 * "我的快递到哪了？已经五天了" is a complaint and not a status question. Time of use ("用了三个月了") is no wait, and the
 * caller leaves out a wait told beside praise ("已经三个月了，效果很好", "been using it for 3 weeks now, love it").
 */
const TIME_WAITED = new RegExp(
  String.raw`(?:已经(?:过了)?|都|申请了?|等了|提交了?|寄回去?了?|退回去?了?|停了|卡了|压了)${ZH_SPAN}了?|\b(?:it\s+has\s+been|it['’]?s\s+been|been\s+waiting(?:\s+for)?|waited(?:\s+for)?|waiting\s+for|for)\s+${EN_SPAN}(?:\s+(?:now|already))?(?=\W|$)|\b${EN_SPAN}\s+already\b`,
  'g',
);
export function timeWaited(folded: string): TermHit[] {
  const hits: TermHit[] = [];
  for (const m of folded.matchAll(TIME_WAITED)) {
    // "for 3 days" alone is a wait only with "now" or "already" after it ("the room for 3 days" is a stay).
    if (/^for\s/.test(m[0]) && !/(now|already)$/.test(m[0])) continue;
    hits.push({ term: 'time waited', match: m[0], weight: 1, start: m.index, end: m.index + m[0].length });
  }
  return hits;
}

/**
 * Faces and signs of annoyance (🙄 rolled eyes, 🙃 the upside-down face of sarcasm, 😡, 👎, 🤮): a bad experience said in
 * one character, in any language. Not 😭: Chinese writers cry at food too good ("好吃到哭😭").
 */
const ANNOYED = /[\u{1F644}\u{1F643}\u{1F612}\u{1F624}\u{1F621}\u{1F92C}\u{1F620}\u{1F4A2}\u{1F44E}\u{1F92E}\u{1F611}]/gu;

/**
 * Each face or sign of annoyance beside words, a negative tone hit of weight 1 like a tone word. Faces alone ("😡😡👎") name
 * nothing to file: they are left to read as no category.
 */
export function annoyedFaces(folded: string): TermHit[] {
  const hits: TermHit[] = [];
  if (!/[\p{L}\p{N}]/u.test(folded)) return hits;
  for (const m of folded.matchAll(ANNOYED)) hits.push({ term: 'annoyed face', match: m[0], weight: 1, start: m.index, end: m.index + m[0].length });
  return hits;
}
