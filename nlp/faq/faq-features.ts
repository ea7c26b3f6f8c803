/**
 * What the FAQ compares: the features of a folded text. Words (jieba for Chinese, Porter stems for
 * English, stop words kept because questions hinge on them: "how" vs "when", 吗, 能), folded through
 * the synonym groups of categories.yaml so 退钱 = 退款 = refund; word bigrams (the phrase boost:
 * "change address" says more than "change" and "address" apart); and for Chinese, characters and
 * character bigrams (jieba cuts a typo or a rare word differently in a message and in a paraphrase;
 * characters still agree: 推货 shares 货 with 退货).
 */
import type { SynonymTable } from '../term-matcher.js';
import { tokenizeFolded } from '../text-normalizer.js';
import type { EnglishSpelling } from './english-spelling.js';

/** Something that folds a token to its synonym group's canonical form (categories.yaml `synonyms`). */
export interface TokenFolder {
  fold(token: string): string;
}

/** Relative weight of each feature kind, keyed by the feature's first letter. */
export const FEATURE_WEIGHT: Readonly<Record<string, number>> = { w: 1, b: 0.5, c: 0.6, u: 0.6 };

const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const LATIN_WORD = /[a-z]+/g;

/** Feature occurrence counts: `w:` word, `b:` word bigram, `c:` Chinese character bigram, `u:` Chinese character. */
export function faqFeatures(folded: string, folder?: SynonymTable | TokenFolder, spelling?: EnglishSpelling): Map<string, number> {
  const text = spelling ? folded.replace(LATIN_WORD, (w) => spelling.correct(w)) : folded;
  const counts = new Map<string, number>();
  const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const tokens = tokenizeFolded(text, { keepStopWords: true }).map((t) => folder?.fold(t) ?? t);
  for (const t of tokens) add(`w:${t}`);
  for (let i = 1; i < tokens.length; i++) add(`b:${tokens[i - 1]} ${tokens[i]}`);
  HAN_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HAN_RUN.exec(text)) !== null) {
    const run = m[0];
    for (let i = 0; i < run.length; i++) {
      add(`u:${run[i]}`);
      if (i > 0) add(`c:${run[i - 1]}${run[i]}`);
    }
  }
  return counts;
}

/** The Latin words of a folded text, for the spelling corrector's vocabulary. */
export function latinWords(folded: string): string[] {
  return folded.match(LATIN_WORD) ?? [];
}
