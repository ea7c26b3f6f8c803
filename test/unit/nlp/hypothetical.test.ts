import { expect } from 'chai';
import { askedSuppositions, hypotheticalSpans } from '../../../nlp/hypothetical.js';

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
    expect(supposedText('一定要是正品吗')).to.deep.equal([]);
  });

  it('finds no supposition in a counterfactual or in "if" meaning "whether"', () => {
    expect(supposedText('如果不是你们发错了货，我怎么会白跑一趟？')).to.deep.equal([]);
    expect(supposedText("if you hadn't lost my parcel, why would i be writing this?")).to.deep.equal([]);
    expect(supposedText("i'd like to know if you can explain why it arrived damaged?")).to.deep.equal([]);
    expect(supposedText('it looks as if it was dropped')).to.deep.equal([]);
  });

  it('ends a supposition where its consequence starts', () => {
    expect(supposedText('如果明天还收不到货我就去投诉')).to.deep.equal(['如果明天还收不到货']);
    expect(supposedText("if it isn't here by friday i'm cancelling")).to.deep.equal(["if it isn't here by friday "]);
  });

  it('takes a supposition as asked about only with a question in its own sentence and no threat', () => {
    const asked = (text: string) => askedSuppositions(text, hypotheticalSpans(text)).map(([a, b]) => text.slice(a, b));
    expect(asked('如果收到的东西有破损，应该怎么处理？')).to.deep.equal(['如果收到的东西有破损']);
    expect(asked('如果明天还收不到货我就去12315投诉，你们到底什么时候发？')).to.deep.equal([]);
    expect(asked("if the parcel doesn't arrive by friday i'm cancelling. where is it?")).to.deep.equal([]);
  });
});
