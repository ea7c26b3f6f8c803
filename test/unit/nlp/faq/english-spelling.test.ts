import { expect } from 'chai';
import { EnglishSpelling } from '../../../../nlp/faq/english-spelling.js';

describe('EnglishSpelling: typos towards the FAQ vocabulary', () => {
  const spelling = new EnglishSpelling(['receive', 'refund', 'refund', 'delivery', 'warranty', 'order', 'cancel', 'shop', 'card']);

  it('corrects one missing, extra, wrong or swapped letter', () => {
    expect(spelling.correct('recieve')).to.equal('receive');
    expect(spelling.correct('refnud')).to.equal('refund');
    expect(spelling.correct('delivary')).to.equal('delivery');
    expect(spelling.correct('warrantty')).to.equal('warranty');
    expect(spelling.correct('cancell')).to.equal('cancel');
  });

  it('leaves known words, short words, numbers and words far from the vocabulary alone', () => {
    expect(spelling.correct('refund')).to.equal('refund');
    expect(spelling.correct('ship')).to.equal('ship'); // one letter from "shop", but a real word: too short to guess
    expect(spelling.correct('cart')).to.equal('cart');
    expect(spelling.correct('12345')).to.equal('12345');
    expect(spelling.correct('kettle')).to.equal('kettle');
  });
});
