/**
 * What a message only supposes: from a conditional word ("如果", "万一", "if", "in case") to the end of its clause
 * ("如果收到的东西有破损，…", "What happens if my parcel arrives damaged?"). A problem supposed has not happened (a question
 * about it asks, it does not complain), and a problem "put right" in a supposition ("如果是苹果，当天就修好了") was not. Pure.
 */
import { clauseBounds } from './clause-at.js';

/**
 * Conditional words. Not 要是 of 主要是 / 只要是 / 一定要是, nor 万一 of 一万一千; not a counterfactual (如果不是你们发错了货,
 * "if you hadn't lost it": what happened is the complaint); not "if" that means "whether" ("I'd like to know if…") or "as if".
 */
const CONDITIONAL_WORD = String.raw`如果(?!不是)|假如(?!不是)|(?<![\d一二两三四五六七八九十几百千])万一|(?<![主只需想还就也都定须])要是(?!不是)|假设|倘若|若是|若果|(?<!\b(?:know|knew|check|checking|ask|asking|asked|wonder|wondering|wondered|see|tell me|sure|unsure|as)\s)\b(?:if(?!\s+(?:\w+\s+){1,2}(?:had|hadn't|had not)\b)|in case|suppose|supposing)\b`;
const CONDITIONAL = new RegExp(CONDITIONAL_WORD, 'gu');
const OPENS_WITH_CONDITIONAL = new RegExp(`^\\s*(?:${CONDITIONAL_WORD})`, 'u');

/**
 * In Chinese a space between words often ends a clause as a comma would ("如果坏了 没有配件修"), though not one right after
 * the conditional's own few words ("如果三星 苹果坏了…": a list).
 */
const HAN_SPACE = /(?<=[\u3400-\u9fff])\s/gu;
const SHORTEST_SUPPOSITION = 6;
/** Where a supposition's consequence starts ("如果再不发货我就投诉", "if it's late I'll cancel"): what follows is not supposed. */
const CONSEQUENCE = /我就|就要|就去|那就|那我|\b(?:then|i'll|i will|i'm|i am|we'll|we will)\b/u;

/** What ends a sentence. */
const SENTENCE_END = /[。！？!?\n]|\.(?!\d)/u;
/** A question in the supposition's sentence: the supposition is asked about. */
const ASKS = /[?？]|吗|怎么|如何|能不能|可不可以|可唔可以|会不会|是否|点算|点办/u;
/** A threat in it ("如果明天还收不到货我就去12315投诉，…？"): the problem is real, the condition is the deadline. */
const THREAT =
  /投诉|举报|报警|起诉|曝光|差评|12315|消协|律师|取消|退款|\b(?:complain|complaint|report|cancel|cancelling|sue|review|refund|ombudsman|trading standards|chargeback|lawyer)\b/u;

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
    const consequence = CONSEQUENCE.exec(folded.slice(start + m[0].length, end));
    if (consequence) end = start + m[0].length + consequence.index;
    spans.push([start, end]);
  }
  return spans;
}

/**
 * The supposed stretches that a question in their own sentence asks about, with no threat in it: what they name has not
 * happened ("如果收到的东西有破损，应该怎么处理？"). Not a deadline with a threat ("如果明天还收不到货我就去投诉，你们到底什么时候发？"), nor a
 * supposition whose sentence asks nothing.
 */
export function askedSuppositions(folded: string, spans: readonly Span[]): Span[] {
  return spans.filter(([start, end]) => {
    let from = start;
    while (from > 0 && !SENTENCE_END.test(folded[from - 1]!)) from--;
    let to = end;
    while (to < folded.length && !SENTENCE_END.test(folded[to]!)) to++;
    const sentence = folded.slice(from, Math.min(folded.length, to + 1));
    return ASKS.test(sentence) && !THREAT.test(sentence);
  });
}

/** Whether a clause starts by supposing ("如果…", "if…"). */
export function opensWithSupposition(clause: string): boolean {
  return OPENS_WITH_CONDITIONAL.test(clause);
}

/** Whether a hit lies wholly within one of `spans`. */
export function supposed(spans: readonly Span[], hit: { start: number; end: number }): boolean {
  return spans.some(([start, end]) => hit.start >= start && hit.end <= end);
}
