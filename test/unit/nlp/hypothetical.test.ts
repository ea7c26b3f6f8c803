import { expect } from 'chai';
import { hypotheticalSpans } from '../../../nlp/hypothetical.js';

describe('hypothetical spans (nlp/hypothetical.ts)', () => {
  const supposedText = (text: string) => hypotheticalSpans(text).map(([a, b]) => text.slice(a, b));

  it('reaches from a conditional word to the end of its clause, in Chinese and in English', () => {
    expect(supposedText('如果收到的东西有破损，应该怎么处理？')).to.deep.equal(['如果收到的东西有破损']);
    expect(supposedText('万一孩子误吞了怎么办')).to.deep.equal(['万一孩子误吞了怎么办']);
    expect(supposedText('what happens if my parcel arrives damaged?')).to.deep.equal(['if my parcel arrives damaged']);
  });

  it('ends at a space between Chinese words, but not one right after the conditional', () => {
    expect(supposedText('主要是如果坏了 没有配件修')).to.deep.equal(['如果坏了 没有配件修']);
    expect(supposedText('如果坏了好几天了 没有配件修')).to.deep.equal(['如果坏了好几天了']);
    expect(supposedText('如果三星 苹果坏了当天就修好了')).to.deep.equal(['如果三星 苹果坏了当天就修好了']);
  });

  it('finds none where nothing is supposed, nor "if" inside a word', () => {
    expect(supposedText('屏幕碎了，怎么处理？')).to.deep.equal([]);
    expect(supposedText('the gift arrived broken')).to.deep.equal([]);
    expect(supposedText('主要是屏幕坏了，只要是正品就行')).to.deep.equal([]);
    expect(supposedText('一共付了一万一千块')).to.deep.equal([]);
  });
});
