/**
 * What a message only supposes: from a conditional word ("如果", "万一", "if", "in case") to the end of its clause
 * ("如果收到的东西有破损，…", "What happens if my parcel arrives damaged?"). A problem supposed has not happened (a question
 * about it asks, it does not complain), and a problem "put right" in a supposition ("如果是苹果，当天就修好了") was not. Pure.
 */
import { clauseBounds } from './clause-at.js';

/** 要是 of 主要是 / 只要是 is no "if", nor 万一 of 一万一千. */
const CONDITIONAL_WORD = String.raw`如果|假如|(?<![\d一二两三四五六七八九十几百千])万一|(?<![主只需想还就也都])要是|假设|倘若|若是|若果|\b(?:if|in case|suppose|supposing)\b`;
const CONDITIONAL = new RegExp(CONDITIONAL_WORD, 'gu');
const OPENS_WITH_CONDITIONAL = new RegExp(`^\\s*(?:${CONDITIONAL_WORD})`, 'u');

/**
 * In Chinese a space between words often ends a clause as a comma would ("如果坏了 没有配件修"), though not one right after
 * the conditional's own few words ("如果三星 苹果坏了…": a list).
 */
const HAN_SPACE = /(?<=[\u3400-\u9fff])\s/gu;
const SHORTEST_SUPPOSITION = 6;

export type Span = readonly [start: number, end: number];

/** The supposed stretches of a folded text, in order. */
export function hypotheticalSpans(folded: string): Span[] {
  const spans: Span[] = [];
  for (const m of folded.matchAll(CONDITIONAL)) {
    const start = m.index;
    let end = clauseBounds(folded, start, start + m[0].length)[1];
    for (const space of folded.slice(start, end).matchAll(HAN_SPACE)) {
      if (space.index < SHORTEST_SUPPOSITION) continue;
      end = start + space.index;
      break;
    }
    spans.push([start, end]);
  }
  return spans;
}

/** Whether a clause starts by supposing ("如果…", "if…"). */
export function opensWithSupposition(clause: string): boolean {
  return OPENS_WITH_CONDITIONAL.test(clause);
}

/** Whether a hit lies wholly within one of `spans`. */
export function supposed(spans: readonly Span[], hit: { start: number; end: number }): boolean {
  return spans.some(([start, end]) => hit.start >= start && hit.end <= end);
}
