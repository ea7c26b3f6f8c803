import type { TermHit } from './term-matcher.js';

/**
 * Praise negated twice is praise: "没有一个人不喜欢你们家的蛋糕", "没有不满意的", "无人不夸". The second negation
 * denies the first of everyone or everything, so the negated word of praise ("不喜欢") stands for the praise itself.
 * Pure.
 */

/** A negation of everyone or everything, right before the negated word: 没有(一个)(人), 无人, 谁 (rhetorical: "谁不喜欢"). */
const EVERYONE_DENIED = /(?:(?:没有|没|并无)(?:一个|一位|哪个|哪位|任何)?(?:人|顾客|客人|朋友|同事|家人|孩子)?(?:会说?)?|无人|谁会?)$/u;
/** The first negation of the praise word, as the negated match leaves it before the word. */
const NEGATOR_BEFORE = /(?:不|没)$/u;
/** How far before a negated word the negations are looked for. */
const REACH = 12;

/** Whether a negated word of praise (`hit`: the praise word, its negation before it) is negated a second time. */
export function praiseNegatedTwice(folded: string, hit: Pick<TermHit, 'start'>): boolean {
  const before = folded.slice(Math.max(0, hit.start - REACH), hit.start);
  // The negation of the word itself ("不" of "不喜欢"), and the words between ("不太", "不是很") are left to the first.
  const first = NEGATOR_BEFORE.exec(before.replace(/(?:太|是很|是|很|怎么|大)$/u, ''));
  if (!first) return false;
  return EVERYONE_DENIED.test(before.slice(0, first.index));
}
