import type { TermHit } from './term-matcher.js';

/** What ends a clause: sentence and clause punctuation, ASCII and CJK, and line breaks. */
const BOUNDARY = /[.!?,;:。！？，；：…~\n]/u;
/** Words that only colour a one-word verdict ("Oh, brilliant.", "Just lovely!", "真棒"). */
const COLOURING = /^(?:oh|just|how|simply|absolutely|really|so|well|wow|just|真是|真|太|好)$/u;

/**
 * Praise that stands alone as a clause ("…sounds like a jet taking off. Brilliant.", "Lovely, another 'we'll call you
 * back'.", "又坏了，真棒。"): next to a problem it is the writer's sarcasm, not their verdict. The clause around `hit`,
 * once the hit and words that only colour it are taken out, is empty.
 */
export function standsAlone(folded: string, hit: TermHit): boolean {
  let start = hit.start;
  while (start > 0 && !BOUNDARY.test(folded[start - 1]!)) start--;
  let end = hit.end;
  while (end < folded.length && !BOUNDARY.test(folded[end]!)) end++;
  const rest = `${folded.slice(start, hit.start)} ${folded.slice(hit.end, end)}`.trim();
  if (rest === '') return true;
  return rest.split(/\s+/u).every((w) => COLOURING.test(w));
}
