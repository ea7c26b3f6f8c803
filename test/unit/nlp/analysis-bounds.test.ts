import { expect } from 'chai';
import { MAX_ANALYSED_CHARS, MAX_REPEAT, MAX_TOKEN_CHARS, boundForAnalysis } from '../../../nlp/analysis-bounds.js';
import { EntityExtractor } from '../../../nlp/entity-extractor.js';

describe('boundForAnalysis: what the NLP stages read of a hostile text', function () {
  it('keeps ordinary complaints exactly as they are', function () {
    for (const text of [
      'The kettle I bought leaks.',
      '订单DD20261124001到现在还没送到，怎么回事？',
      '請問怎麼申請退貨？ wang.fang@example.com +86 138 0013 8000',
      '太差了!!!!!!',
    ]) {
      expect(boundForAnalysis(text)).to.equal(text);
    }
  });

  it('reads only the head of a long text, never ending inside a surrogate pair', function () {
    expect(boundForAnalysis('漏水了。'.repeat(10_000))).to.have.length(MAX_ANALYSED_CHARS);
    const emoji = 'a' + '😀'.repeat(MAX_ANALYSED_CHARS);
    const bounded = boundForAnalysis(emoji);
    expect(bounded.length).to.be.at.most(MAX_ANALYSED_CHARS);
    expect(() => encodeURIComponent(bounded)).not.to.throw();
  });

  it('blanks the meaningless tail of a run longer than any word, keeping offsets', function () {
    const text = `order ${'ab'.repeat(2500)} arrived broken, call 13800138000`;
    const bounded = boundForAnalysis(text);
    expect(bounded).to.have.length(text.length);
    expect(bounded.slice(6, 6 + MAX_TOKEN_CHARS)).to.equal('ab'.repeat(MAX_TOKEN_CHARS / 2));
    expect(bounded.slice(6 + MAX_TOKEN_CHARS, 5006).trim()).to.equal('');
    expect(bounded.endsWith('arrived broken, call 13800138000')).to.equal(true);
    // Offsets found in the bounded text point into the original.
    const phones = new EntityExtractor({ orderNumbers: [], skus: [] }).extract(text).phones;
    expect(phones.map((p) => text.slice(p.start, p.end))).to.deep.equal(['13800138000']);
  });

  it('cuts a run of one repeated character to a few (a run of 32,000 x froze the gateway)', function () {
    const bounded = boundForAnalysis('x'.repeat(32_000));
    expect(bounded.trim()).to.equal('x'.repeat(MAX_REPEAT + 1));
    expect(boundForAnalysis('太差了!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!')).to.equal(`太差了${'!'.repeat(MAX_REPEAT + 1)}${' '.repeat(30 - MAX_REPEAT - 1)}`);
  });

  it('keeps long Chinese runs (written without spaces) and cuts only the Latin stretches inside them', function () {
    const zh = '我买的水壶一直漏水'.repeat(30);
    expect(boundForAnalysis(zh)).to.equal(zh);
    const mixed = `水壶${'xy'.repeat(150)}漏水`;
    const bounded = boundForAnalysis(mixed);
    expect(bounded.startsWith(`水壶${'xy'.repeat(MAX_TOKEN_CHARS / 2)} `)).to.equal(true);
    expect(bounded.endsWith('漏水')).to.equal(true);
  });
});
