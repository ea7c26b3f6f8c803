import { expect } from 'chai';
import { DEFAULT_HANDOFF_PHRASES, faqSchema } from '../../../../config/faq.schema.js';
import { loadFaqFile } from '../../../../config/load-faq.js';
import { parseFaqConfig } from '../../../../nlp/faq/faq-config.js';

const entry = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  questions: { zh: ['怎么退货'], en: ['how do i return an item'] },
  answers: { zh: { text: '在我的订单里申请退货。' }, en: { text: 'Request a return in My Orders.' } },
  ...extra,
});

describe('config/faq.schema', () => {
  it('accepts the shipped faq.yaml, which covers every topic of issue 9 in both languages', () => {
    const faq = loadFaqFile();
    const ids = faq.entries.map((e) => e.id);
    for (const id of [
      'return-how',
      'refund-how',
      'refund-time',
      'delivery-time',
      'order-tracking',
      'change-address',
      'cancel-order',
      'invoice',
      'warranty-repair',
      'payment-methods',
      'coupons-promotions',
      'membership-prices',
    ]) {
      expect(ids, id).to.include(id);
    }
    for (const e of faq.entries) {
      expect(e.questions.zh?.length ?? 0, `${e.id} zh paraphrases`).to.be.at.least(5);
      expect(e.questions.en?.length ?? 0, `${e.id} en paraphrases`).to.be.at.least(5);
      expect(e.answers.zh?.link, `${e.id} zh link`).to.match(/^https:\/\/help\.example\.com\//);
      expect(e.answers.en?.link, `${e.id} en link`).to.match(/^https:\/\/help\.example\.com\//);
    }
    expect(faq.threshold).to.be.within(0, 1);
    expect(faq.minSimilarity).to.be.within(0, 1);
  });

  it('fills the documented defaults: handoff phrases in zh and en, 60 deflection minutes', () => {
    const faq = faqSchema.parse({ entries: [entry('a')] });
    expect(faq.handoffPhrases).to.deep.equal(DEFAULT_HANDOFF_PHRASES);
    expect(faq.handoffPhrases.zh).to.include.members(['没用', '转人工', '人工', '人工客服', '不是这个']);
    expect(faq.handoffPhrases.en).to.include.members(['not helpful', 'agent', 'human', '0']);
    expect(faq.deflectionMinutes).to.equal(60);
    expect(faq).to.include({ threshold: 0.35, minSimilarity: 0.15 });
    expect(faq.entries[0]!.channels).to.equal(undefined);
  });

  it('names the entry id of a duplicate', () => {
    expect(() => parseFaqConfig({ entries: [entry('refund-time'), entry('refund-time')] })).to.throw(/entries\[1\]\.id: entry "refund-time": duplicate id/);
  });

  it('names the entry and the language when questions in a language have no answer in it', () => {
    const bad = entry('invoice', { answers: { zh: { text: '在订单页申请发票。' } } });
    expect(() => parseFaqConfig({ entries: [bad] })).to.throw(/entry "invoice": has en questions but no en answer/);
  });

  it('names the entry with no question or no answer at all', () => {
    expect(() => parseFaqConfig({ entries: [entry('empty-q', { questions: {} })] })).to.throw(/entry "empty-q": needs at least one question/);
    expect(() => parseFaqConfig({ entries: [entry('empty-a', { answers: {} })] })).to.throw(/entry "empty-a": needs at least one answer/);
  });

  it('rejects a link that is not a URL, an unknown channel and a threshold above 1', () => {
    expect(() => parseFaqConfig({ entries: [entry('x', { answers: { zh: { text: 't', link: 'help page' }, en: { text: 't' } } })] })).to.throw(
      /answers\.zh\.link: link must be a full URL/,
    );
    expect(() => parseFaqConfig({ entries: [entry('x', { channels: ['fax'] })] })).to.throw(/channels\[0\]/);
    expect(() => parseFaqConfig({ threshold: 1.5, entries: [] })).to.throw(/threshold/);
    expect(() => parseFaqConfig({ minSimilarity: -0.1, entries: [] })).to.throw(/minSimilarity/);
  });
});
