import { expect } from 'chai';
import { loadCategoriesFile } from '../../../../config/load-categories.js';
import { loadFaqFile } from '../../../../config/load-faq.js';
import { FaqMatcher } from '../../../../nlp/faq/faq-matcher.js';
import { OwnCaseModel, type OwnCaseModelFile } from '../../../../nlp/faq/own-case-model.js';
import shipped from '../../../../nlp/faq/own-case-model.json' with { type: 'json' };
import { SynonymTable } from '../../../../nlp/term-matcher.js';
import { trainingRows } from '../../../../scripts/train-own-case-model.js';

/**
 * The learned reading of the customer's own case (nlp/faq/own-case-model.ts) beside own-case.ts's cues: a complaint that
 * uses FAQ words in words no cue lists goes to a person; questions, and FAQs written for such messages, keep their answers.
 * None of these sentences is in test/fixtures.
 */
describe("nlp/faq/own-case-model: the FAQ leaves the customer's own case to a person", () => {
  const faq = loadFaqFile();
  const synonyms = new SynonymTable(loadCategoriesFile().synonyms);
  const matcher = new FaqMatcher(faq, { synonyms });
  const cuesOnly = new FaqMatcher(faq, { synonyms, ownCaseModel: null });
  const file = shipped as unknown as OwnCaseModelFile;

  it('holds back an answer the cues alone would give to a complaint about what happened to this customer', () => {
    for (const [text, cuesWouldAnswer] of [
      // "My parcel was sent back, I never refused it, what happened?": the tracking answer does not help.
      ['我的包裹被退回去了，我根本没拒收，怎么回事？', 'order-tracking'],
      // "The courier says it was left at my door; there is nothing at my door. Where's the parcel?"
      ['快递说放在门口了，可我家门口什么都没有，包裹呢', 'order-tracking'],
    ] as const) {
      expect(cuesOnly.decide(text).answer?.entryId, text).to.equal(cuesWouldAnswer);
      const d = matcher.decide(text);
      expect(d.answer, text).to.equal(undefined);
      expect(d.withheld, text).to.equal('own-case');
      expect(matcher.readMessage(text).learnedOwnCase?.(), text).to.equal(true);
    }
  });

  it('still answers questions, unhappy ones and those with a story included', () => {
    for (const [text, id] of [
      ['你好，我想问一下退货运费谁出？', 'return-how'],
      ['How long does a refund take to reach my card?', 'refund-time'],
      ['My refund still has not arrived and I returned it two weeks ago, when will I get it?', 'refund-time'],
      ['我買的吸塵器保固還有半年，壞了可以送修嗎？', 'warranty-repair'],
      ['下单时用了优惠券，退货后优惠券还能用吗', 'coupons-promotions'],
    ] as const) {
      expect(matcher.decide(text).answer?.entryId, text).to.equal(id);
    }
  });

  it('is off with learnedOwnCase: false in faq.yaml', () => {
    const text = '我的包裹被退回去了，我根本没拒收，怎么回事？';
    expect(new FaqMatcher({ ...faq, learnedOwnCase: false }, { synonyms }).decide(text).answer?.entryId).to.equal('order-tracking');
  });

  it('keeps answering for an entry written for such messages: requests to an assistant', () => {
    const alarm = {
      id: 'set-alarm',
      tags: [],
      questions: { zh: ['帮我定个闹钟', '明天早上六点叫醒我', '帮我设一个八点的闹钟', '把闹钟改到七点半', '给我定个下午三点的提醒'] },
      answers: { zh: { text: '在「闹钟」里点「+」，选好时间即可。' } },
    };
    const weather = {
      id: 'weather',
      tags: [],
      questions: { zh: ['明天天气怎么样', '今天会下雨吗', '这周末气温多少度', '外面冷不冷'] },
      answers: { zh: { text: '在「天气」里查看未来七天的天气。' } },
    };
    const assistant = { ...faq, entries: [alarm, weather] };
    const text = '帮我设一个明天早上七点的闹钟';
    const model = new FaqMatcher(assistant, { synonyms });
    expect(model.decide(text).answer?.entryId).to.equal('set-alarm');
  });

  it('is the model its training script makes from the files it names', () => {
    const rows = trainingRows(file.trainedOn, faq);
    expect(rows.length).to.equal(file.examples);
    // Everything but the training time.
    const { trainedAt: _now, ...made } = JSON.parse(JSON.stringify(OwnCaseModel.train(rows).toJSON()));
    const { trainedAt: _then, ...kept } = file.model as unknown as Record<string, unknown>;
    expect(made).to.deep.equal(kept);
  });

  it('speaks at a threshold where leaving each author out withheld more own-case messages than right answers', () => {
    expect(file.crossValidated.withheld).to.be.above(file.crossValidated.rightLost);
  });
});
