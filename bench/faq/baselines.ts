/**
 * The matchers bench/faq compares ours with, in the same process on the same data:
 * - natural's TfIdf with one document per entry (all its paraphrases; jieba words for Chinese,
 *   since natural cannot segment it), ranked by its tfidfs score;
 * - the previous FaqMatcher (bench/faq/previous-faq-matcher.ts, main before issue 17).
 */
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import type { FaqConfig } from '../../config/faq.schema.js';
import type { SynonymTable } from '../../nlp/term-matcher.js';
import { PreviousFaqMatcher } from './previous-faq-matcher.js';

process.env.DOTENV_CONFIG_QUIET ??= 'true';
const require = createRequire(import.meta.url);
const natural = require('natural') as typeof import('natural');

/** A matcher's best entry for a question, with a confidence that orders its answers. */
export interface Ranked {
  id: string | null;
  confidence: number;
}

/** A baseline built on one FAQ. */
export interface Baseline {
  name: string;
  buildMs: number;
  best(text: string): Ranked;
  /** Whether it would answer at its own settings (the previous matcher's decide); undefined if it has none. */
  answers?(text: string): string | null;
}

let jieba: Jieba | undefined;
function zhWords(text: string): string[] {
  jieba ??= Jieba.withDict(dict);
  return jieba.cut(text, false).filter((w) => w.trim() && !/^[\p{P}\p{S}]+$/u.test(w));
}

export function naturalTfIdf(faq: FaqConfig): Baseline {
  const t0 = performance.now();
  const tfidf = new natural.TfIdf();
  const ids = faq.entries.map((e) => e.id);
  for (const e of faq.entries) {
    // natural tokenizes, lower-cases and drops stop words of English itself.
    tfidf.addDocument([...(e.questions.en ?? []).join(' \n ').split(/\s+/), ...(e.questions.zh ?? []).flatMap(zhWords)]);
  }
  const buildMs = performance.now() - t0;
  return {
    name: 'natural TfIdf (baseline)',
    buildMs,
    best(text) {
      const tokens = [
        ...text
          .toLowerCase()
          .split(/[^a-z0-9']+/)
          .filter(Boolean),
        ...zhWords(text.replace(/[a-z0-9]/gi, ' ')),
      ];
      let at = -1;
      let best = 0;
      tfidf.tfidfs(tokens).forEach((s, i) => {
        if (s > best) {
          best = s;
          at = i;
        }
      });
      return { id: at >= 0 ? ids[at]! : null, confidence: best };
    },
  };
}

/** The previous matcher with the thresholds it shipped with (0.25, minMargin 0.05, on its own score scale). */
export function previousMatcher(faq: FaqConfig, synonyms: SynonymTable): Baseline {
  const t0 = performance.now();
  const m = new PreviousFaqMatcher({ ...faq, threshold: 0.25, minMargin: 0.05 }, { synonyms });
  const buildMs = performance.now() - t0;
  return {
    name: 'previous FaqMatcher',
    buildMs,
    best(text) {
      const [first] = m.match(text, { limit: 1 });
      return { id: first?.id ?? null, confidence: first?.score ?? 0 };
    },
    answers: (text) => m.decide(text).answer?.entryId ?? null,
  };
}
