/**
 * How praise beside a problem is read (nlp/understanding.ts asks before it files praise, thanks and chit-chat as no
 * complaint): the problem each stretch of words names counts once; praise that only ever stands alone in its clause is
 * sarcasm; lukewarm praise after a "but" that follows a problem, or beside it in a clause of its own, grants a point;
 * thanks beside a problem that goes on settles nothing. Pure.
 */
import { clauseBounds } from './clause-at.js';
import type { TermHit } from './term-matcher.js';

/** Words that only colour a one-word verdict ("Oh, brilliant.", "Just lovely!", "真棒"). */
const COLOURING = /^(?:oh|just|how|simply|absolutely|really|so|well|wow|真是|真|太|好)$/u;
/** A problem word this heavy beside praise that only stands alone makes the praise sarcasm. */
const SARCASM_PROBLEM_WEIGHT = 2;
/** Thanks and reassurance ("all good"): polite with a complaint as without one, never sarcasm. */
const NEVER_SARCASTIC = new Set(['谢谢', '感谢', '多谢', '辛苦了', 'thanks', 'thank you', 'cheers', 'appreciate', 'appreciated', 'grateful', 'all good']);
/** Praise that only grants a point ("还行", "还可以"): after a "but" that follows a problem, the problem stands. */
const LUKEWARM_PRAISE = new Set(['还行', '还可以']);
/** A problem word this heavy in another clause than lukewarm praise stands ("粥还行，拌饭的米粘糊糊的"). */
const POINT_PROBLEM_WEIGHT = 1.5;
/** …unless others said it ("大家都说难吃，我觉得还行"): the writer's own verdict is the praise. */
const HEARSAY = /听说|据说|都说|别人说|大家说|朋友说|网上说|人家说|他们说|说是|评论说/u;
/** A problem word at most this many characters after a word of something going on ("still leaks", "还在漏"). */
const ONGOING_REACH = 2;
/** How far before a problem word a later occurrence of a word of something going on is looked for ("still " and a space). */
const ONGOING_LOOKBACK = 8;

/**
 * Whether `hit` stands alone as a clause ("…sounds like a jet taking off. Brilliant.", "Lovely, another 'we'll call you
 * back'.", "又坏了，真棒。", "好的收到，…"): the clause around it, once the hit and words that only colour it are taken out, is
 * empty.
 */
export function standsAlone(folded: string, hit: TermHit): boolean {
  const [start, end] = clauseBounds(folded, hit.start, hit.end);
  const rest = `${folded.slice(start, hit.start)} ${folded.slice(hit.end, end)}`.trim();
  if (rest === '') return true;
  return rest.split(/\s+/u).every((w) => COLOURING.test(w));
}

/**
 * The hits of one category that count towards the problem it names beside praise: one stretch of the message counts
 * once, so a hit inside another hit that weighs at least as much ("快递" and "快递员" inside "快递小哥", "leak" and
 * "leaks" on "leaks") adds nothing, and of equal hits on the same stretch the first counts.
 */
export function countedHits(category: TermHit[], subs: TermHit[][]): Set<TermHit> {
  const all = [...category, ...subs.flat()];
  return new Set(all.filter((x, xi) => !all.some((y, yi) => y !== x && covers(y, x, yi < xi))));
}

/** Whether hit `y` takes the place of hit `x` inside it: it weighs as much or more and is longer, heavier or named first. */
function covers(y: TermHit, x: TermHit, yFirst: boolean): boolean {
  return y.start <= x.start && x.end <= y.end && y.weight >= x.weight && (y.end - y.start > x.end - x.start || y.weight > x.weight || yFirst);
}

/** Praise only ever alone in its clause beside a problem word ("The drum bearing has gone. Brilliant."): sarcasm. */
export function sarcastic(folded: string, praise: TermHit[], problems: TermHit[]): boolean {
  return (
    problems.some((h) => h.weight >= SARCASM_PROBLEM_WEIGHT) && praise.length > 0 && praise.every((h) => !NEVER_SARCASTIC.has(h.term) && standsAlone(folded, h))
  );
}

/**
 * Lukewarm praise that grants a point beside a problem: after a "but" that follows the problem ("等了快一个钟，饭菜还是凉的，不过
 * 味道还行吧"), or in a clause of its own with the problem in another ("粥还行，拌饭的米粘糊糊的"). The problem stands ("…, but very
 * impressed" is the verdict, not a point granted).
 */
export function grantsAPoint(folded: string, praise: TermHit[], contrasts: TermHit[], problems: TermHit[]): boolean {
  if (praise.length === 0 || !praise.every((p) => LUKEWARM_PRAISE.has(p.term))) return false;
  if (contrasts.some((c) => problems.some((h) => h.end <= c.start) && praise.every((p) => p.start >= c.end))) return true;
  const clauseOf = (h: TermHit) => clauseBounds(folded, h.start, h.end);
  return problems.some((h) => {
    const [start, end] = clauseOf(h);
    return h.weight >= POINT_PROBLEM_WEIGHT && !HEARSAY.test(folded.slice(start, end)) && praise.every((p) => clauseOf(p)[0] !== start);
  });
}

/** Words of something going on that follow the problem they tell of ("broken again"). */
const AFTER_THE_PROBLEM = new Set(['again', 'once more']);

/**
 * A problem word right after a word of something going on ("Thanks, got my refund. The kettle still leaks."), or right before
 * one that follows what it tells of ("Great, the toaster is broken again. Thanks a lot.").
 */
export function problemGoesOn(ongoing: TermHit[], problems: TermHit[], ongoingWithin?: (from: number, to: number) => boolean): boolean {
  return (
    ongoing.some((o) =>
      problems.some(
        (h) =>
          (h.start >= o.end && h.start <= o.end + ONGOING_REACH) || (AFTER_THE_PROBLEM.has(o.term) && o.start >= h.end && o.start <= h.end + ONGOING_REACH),
      ),
    ) ||
    // A term's hit is its first occurrence: a later one ("Still the third visit and the fridge still isn't cooling") is looked
    // for right before each problem.
    (ongoingWithin !== undefined && problems.some((h) => ongoingWithin(Math.max(0, h.start - ONGOING_LOOKBACK), h.start)))
  );
}
