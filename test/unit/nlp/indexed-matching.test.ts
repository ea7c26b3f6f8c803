/**
 * The rules path's shortcuts find what the plain searches find: the term index (one pass over a
 * message for every term set) against each set searching the text itself, and the concepts' literal
 * starts against running every concept pattern on the whole text. Both on the shipped
 * categories.yaml and the hand-written complaints of test/fixtures/nlp.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { TermList } from '../../../config/categories.schema.js';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { Negations, SynonymTable, TermIndex, TermSet, matchContext } from '../../../nlp/term-matcher.js';
import { foldText } from '../../../nlp/text-normalizer.js';
import { PROBLEM_CONCEPTS, conceptsOf, literalStarts } from '../../../nlp/similarity/problem-concepts.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/nlp');

function fixtureTexts(): string[] {
  const texts = readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(path.join(FIXTURES, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { text: string }).text),
    );
  // Traditional script, Latin terms inside numbers, negations and shouting.
  return [
    ...texts,
    '我的包裹還沒到，已經等了一個星期！！！',
    '订单号 DD2026031512315 不是投诉，但我要打12315',
    '不是很方便，没有被压坏，但是不太好用，vip 会员',
    "The parcel hasn't arrived, it is not damaged but I can't reach anyone.",
    '',
  ];
}

describe('indexed term matching', () => {
  const config = loadCategoriesFile();
  const synonyms = new SynonymTable(config.synonyms);
  const negations = new Negations(config.negations);
  const lists: TermList[] = [
    ...config.categories.flatMap((c) => [c.keywords, c.require, c.exclude, ...c.subcategories.map((s) => s.keywords)]),
    config.severity.level1,
    config.severity.level2,
    config.severity.level4,
    config.emotion.anger,
    config.emotion.anxiety,
    config.emotion.threats,
    config.tone.negative,
    config.tone.positive,
    config.tone.contrast,
    config.tone.opinion,
  ];
  const index = new TermIndex();
  const indexed = lists.map((l) => new TermSet(l, synonyms, negations, true, index));
  const plain = lists.map((l) => new TermSet(l, synonyms, negations));

  it('finds the same terms, in the same order, as every set searching the text itself', () => {
    let hits = 0;
    for (const text of fixtureTexts()) {
      const { folded, aligned } = foldText(text);
      const withIndex = matchContext(folded, aligned, synonyms);
      const without = matchContext(folded, aligned, synonyms);
      lists.forEach((_, i) => {
        const found = indexed[i]!.match(withIndex);
        expect(found, `${text} (list ${i})`).to.deep.equal(plain[i]!.match(without));
        expect(indexed[i]!.matchNegated(withIndex), `${text} (list ${i}, negated)`).to.deep.equal(plain[i]!.matchNegated(without));
        hits += found.length;
      });
    }
    expect(hits).to.be.greaterThan(1000);
  });
});

describe('problem concepts by literal starts', () => {
  it('names the concepts that running every pattern on the whole text names', () => {
    let named = 0;
    for (const text of fixtureTexts()) {
      const folded = foldText(text).folded;
      const expected = PROBLEM_CONCEPTS.filter((c) => c.pattern.test(folded)).map((c) => c.id);
      expect(conceptsOf(folded), text).to.deep.equal(expected);
      named += expected.length;
    }
    expect(named).to.be.greaterThan(300);
  });

  it('reads the text every match starts with, or says there is none', () => {
    expect(literalStarts(String.raw`\bapps?\b|\bclient\b|应用`)).to.deep.equal(['app', 'client', '应用']);
    expect(literalStarts(String.raw`\b(?:won'?t|will not) (?:open|load)|打不开`)).to.deep.equal(['won', 'will not', '打不开']);
    expect(literalStarts(String.raw`\bweb ?page|水壶(?<!热水壶)`)).to.deep.equal(['web', '水壶']);
    expect(literalStarts(String.raw`\b(?:t-?)?shirts?\b|衬衫`)).to.equal(undefined);
    expect(literalStarts(String.raw`[a-z]+`)).to.equal(undefined);
  });
});
