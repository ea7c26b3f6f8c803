/**
 * A message that is a verdict and nothing else ("差评！～～～～", "一般般啦。。。", "垃圾！", "Terrible!!"): once its tone
 * words, particles and punctuation are taken out, at most one letter is left. It names nothing anyone could put right, so
 * nlp/understanding.ts files it as no complaint (its tone still sets the emotion). Pure.
 */
import type { TermHit } from './term-matcher.js';

/** Sentence-final particles and fillers that say nothing on their own. */
const FILLERS = /[了啦啊呀吧的呢哦嘛噢哈诶唉哎]/gu;
const NOT_A_LETTER = /[^\p{L}\p{N}]/gu;

export function verdictAlone(folded: string, tone: readonly TermHit[]): boolean {
  let rest = '';
  let at = 0;
  for (const h of [...tone].sort((a, b) => a.start - b.start)) {
    if (h.start > at) rest += folded.slice(at, h.start);
    at = Math.max(at, h.end);
  }
  rest += folded.slice(at);
  return rest.replace(NOT_A_LETTER, '').replace(FILLERS, '').length <= 1;
}
