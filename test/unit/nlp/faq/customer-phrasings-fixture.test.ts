import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CUSTOMER_PHRASINGS_FILE } from '../../../../bench/faq/faq-tasks.js';
import { loadFaqFile } from '../../../../config/load-faq.js';
import { foldText } from '../../../../nlp/text-normalizer.js';

/**
 * test/fixtures/faq/customer-phrasings.jsonl measures faq.yaml on wording it never saw (bench/faq).
 * It only can while no line of it is in faq.yaml: this fails when someone copies one in.
 */
describe('the customer-phrasings benchmark set', () => {
  type Line = { text: string; expected: string | null; language: string; traits: string[] };
  const lines = readFileSync(CUSTOMER_PHRASINGS_FILE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
  const faq = loadFaqFile();
  const bare = (s: string) => foldText(s).folded.replace(/[^\p{L}\p{N}]/gu, '');

  it('labels every question with an entry of the shipped faq.yaml, or null for a complaint', () => {
    const ids = new Set(faq.entries.map((e) => e.id));
    for (const l of lines) {
      if (l.expected === null) expect(l.traits, l.text).to.include('complaint');
      else expect(ids.has(l.expected), `${l.text}: ${l.expected}`).to.equal(true);
    }
    expect(lines.filter((l) => l.expected !== null).length).to.be.within(60, 100);
    expect(lines.filter((l) => l.expected === null).length).to.be.at.least(40);
    expect(new Set(lines.map((l) => l.language))).to.deep.equal(new Set(['zh-Hans', 'zh-Hant', 'en']));
  });

  it('has no line that faq.yaml has as a paraphrase (after folding traditional characters and punctuation)', () => {
    const paraphrases = new Set(faq.entries.flatMap((e) => [...(e.questions.zh ?? []), ...(e.questions.en ?? [])]).map(bare));
    for (const l of lines) expect(paraphrases.has(bare(l.text)), l.text).to.equal(false);
  });
});
