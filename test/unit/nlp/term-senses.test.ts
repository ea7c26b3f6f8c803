/**
 * A keyword's sense told by its neighbours (config/categories.schema.ts): `with` and `without` look at the whole
 * message, `near` at the term's own clause only.
 */
import { expect } from 'chai';
import type { TermList } from '../../../config/categories.schema.js';
import { Negations, SynonymTable, TermSet, matchContext } from '../../../nlp/term-matcher.js';
import { foldText } from '../../../nlp/text-normalizer.js';

describe('term senses', () => {
  const synonyms = new SynonymTable([]);
  const negations = new Negations({ zh: ['没', '不'], en: ['not', 'no'] });
  const matched = (list: TermList, text: string): string[] => {
    const { folded, aligned } = foldText(text);
    return new TermSet(list, synonyms, negations).match(matchContext(folded, aligned, synonyms)).map((h) => h.match);
  };

  describe('near: one of its words in the same clause', () => {
    const cracked: TermList = { zh: [{ term: '裂', weight: 3, near: ['送到', '寄到'] }], en: [{ term: 'cracked', weight: 3, near: ['arrived', 'delivered'] }] };

    it('counts damage told in the clause of its arrival, in Chinese and in English', () => {
      expect(matched(cracked, '鱼缸送到家已经裂了一条缝')).to.deep.equal(['裂']);
      expect(matched(cracked, '花瓶寄到的時候就裂開了')).to.deep.equal(['裂']);
      expect(matched(cracked, 'The mirror arrived cracked down the middle.')).to.deep.equal(['cracked']);
      expect(matched(cracked, 'It was delivered yesterday with a cracked lid')).to.deep.equal(['cracked']);
    });

    it('not damage told in another clause or sentence than the arrival', () => {
      expect(matched(cracked, '包裹送到了，用了三天杯子就裂了')).to.deep.equal([]);
      expect(matched(cracked, '上周寄到的。今天早上裂了')).to.deep.equal([]);
      expect(matched(cracked, 'It arrived on time. A week later the screen cracked.')).to.deep.equal([]);
      expect(matched(cracked, 'The screen cracked after a week')).to.deep.equal([]);
    });

    it('looks at every occurrence of the term, not only the first', () => {
      expect(matched(cracked, '杯子用了三天就裂了，另一个鱼缸送到就裂了')).to.deep.equal(['裂']);
    });

    it('keeps the negation of the term: damage denied is no damage', () => {
      expect(matched(cracked, '寄到的时候没裂，装水才漏')).to.deep.equal([]);
    });
  });
});
