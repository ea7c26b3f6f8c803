import { expect } from 'chai';
import { faqSchema } from '../../../../config/faq.schema.js';
import { isHandoffRequest } from '../../../../nlp/faq/faq-matcher.js';

const faq = faqSchema.parse({});

describe('isHandoffRequest', () => {
  describe('Chinese replies that ask for a person', () => {
    for (const text of [
      '没用',
      '转人工',
      '人工',
      '人工客服',
      '不是这个',
      '转人工吧',
      '我要转人工',
      '请帮我转人工客服',
      '这个没用',
      '没用啊！',
      '不是这个啊',
      '轉人工',
      '人工！！',
      '转 人工',
      '0',
      '０',
    ]) {
      it(`"${text}" hands over`, () => expect(isHandoffRequest(text, faq)).to.equal(true));
    }
  });

  describe('English replies that ask for a person', () => {
    for (const text of [
      'not helpful',
      'Not helpful.',
      'agent',
      'AGENT',
      'human',
      'I want to talk to an agent please',
      'Can I speak to a human?',
      'real person please',
      "That didn't help",
      'It was not helpful at all',
      'agent now!!',
      ' 0 ',
    ]) {
      it(`"${text}" hands over`, () => expect(isHandoffRequest(text, faq)).to.equal(true));
    }
  });

  describe('messages that merely contain a phrase do not', () => {
    for (const text of [
      'Your agent was rude to me on the phone yesterday',
      'the delivery person never came',
      'My order 10 has not arrived',
      '10',
      '人工费怎么这么贵',
      '客服态度太差了，我要投诉你们的客服',
      'is this product made by a human or a machine, and how long is the warranty',
      '退款多久到账',
      '',
      '   ',
    ]) {
      it(`"${text}" is not a handoff`, () => expect(isHandoffRequest(text, faq)).to.equal(false));
    }
  });

  it('uses the configured phrases, not only the defaults', () => {
    const custom = faqSchema.parse({ handoffPhrases: { zh: ['找经理'], en: ['manager'] } });
    expect(isHandoffRequest('找经理', custom)).to.equal(true);
    expect(isHandoffRequest('get me a manager please', custom)).to.equal(true);
    expect(isHandoffRequest('转人工', custom)).to.equal(false);
  });
});
