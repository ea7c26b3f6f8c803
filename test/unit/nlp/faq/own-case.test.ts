import { expect } from 'chai';
import { loadCategoriesFile } from '../../../../config/load-categories.js';
import { loadFaqFile } from '../../../../config/load-faq.js';
import { FaqMatcher } from '../../../../nlp/faq/faq-matcher.js';
import { ownCaseCue } from '../../../../nlp/faq/own-case.js';
import { SynonymTable } from '../../../../nlp/term-matcher.js';
import { foldText } from '../../../../nlp/text-normalizer.js';

const cue = (text: string) => ownCaseCue(foldText(text).folded);

describe("a message about the customer's own case is not answered by the FAQ (nlp/faq/own-case.ts)", () => {
  it('tells a promise already broken, the reason for a decision against them, and a demand, in zh, zh-Hant and en', () => {
    expect(cue('退款说好3个工作日到账，今天都第9天了还没看到钱，你们到底什么时候给我退？')).to.equal('broken promise');
    expect(cue('差价退款说1到3天，一周了还没到')).to.equal('broken promise');
    expect(cue('退款說好7個工作天，已經第12天了還沒入帳，到底要等到什麼時候？')).to.equal('broken promise');
    expect(cue("Delivery was promised for the 12th, it's the 19th and tracking still says 'label created'.")).to.equal('broken promise');
    expect(cue('为什么我的退货申请被驳回了？衣服吊牌都在')).to.equal('why, of their own case');
    expect(cue('why was my return rejected?? the jacket still has the tags on')).to.equal('why, of their own case');
    expect(cue('优惠券没减，钱已经付了，差价你们怎么处理？')).to.equal('a demand');
    expect(cue('The sofa arrived scratched. What are you going to do about it?')).to.equal('a demand');
  });

  it('leaves general questions alone, unhappy ones included, and why something failed', () => {
    for (const text of [
      '退款一般几天到账？',
      '快递太慢了，一般几天能到啊？',
      '鞋子有点挤脚，穿着难受死了，怎么退货啊？',
      'Card keeps getting declined, so annoying. Do you take PayPal instead?',
      'why was my card declined?',
      '为什么支付失败了',
      '预计几号发货？',
      '说好7天无理由退货，现在第3天了还能退吗？',
      '客服说3个工作日到账，今天第2天，正常吗',
    ])
      expect(cue(text), text).to.equal(undefined);
  });

  it('withholds the answer in the shipped FAQ however well the words match, and says why', () => {
    const matcher = new FaqMatcher(loadFaqFile(), { synonyms: new SynonymTable(loadCategoriesFile('config/categories.yaml').synonyms) });
    const overdue = matcher.decide('退款说好3个工作日到账，今天都第9天了还没看到钱，你们到底什么时候给我退？');
    expect(overdue.answer).to.equal(undefined);
    expect(overdue.withheld).to.equal('own-case');
    expect(overdue.top[0]?.id).to.equal('refund-time');
    expect(matcher.decide('退款一般几天能到账？').answer?.entryId).to.equal('refund-time');
  });
});
