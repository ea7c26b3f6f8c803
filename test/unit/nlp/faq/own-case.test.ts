import { expect } from 'chai';
import { loadCategoriesFile } from '../../../../config/load-categories.js';
import { loadFaqFile } from '../../../../config/load-faq.js';
import { FaqMatcher } from '../../../../nlp/faq/faq-matcher.js';
import { ownCaseCue } from '../../../../nlp/faq/own-case.js';
import { SynonymTable } from '../../../../nlp/term-matcher.js';
import { foldText } from '../../../../nlp/text-normalizer.js';

const cue = (text: string) => ownCaseCue(foldText(text).folded);
const synonyms = new SynonymTable(loadCategoriesFile('config/categories.yaml').synonyms);

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
    const matcher = new FaqMatcher(loadFaqFile(), { synonyms });
    const overdue = matcher.decide('退款说好3个工作日到账，今天都第9天了还没看到钱，你们到底什么时候给我退？');
    expect(overdue.answer).to.equal(undefined);
    expect(overdue.withheld).to.equal('own-case');
    expect(overdue.top[0]?.id).to.equal('refund-time');
    expect(matcher.decide('退款一般几天能到账？').answer?.entryId).to.equal('refund-time');
  });

  it('tells a request to act, a disputed charge, a failed attempt, a threat, harm, sarcasm and a wait past due', () => {
    const cases: Array<[string, string]> = [
      ['快递员把箱子摔坏了，帮我催一下补发', 'a request to act'],
      ['寄来的杯子是碎的，给我换个新的', 'a request to act'],
      ['The lamp I got is the wrong colour. Could you sort out a swap?', 'a request to act'],
      ['I need to talk to a manager about this order', 'a request to act'],
      ['同一笔订单扣了两次款，订单号 77120098', 'a disputed charge'],
      ['自动续费早就关了，这个月又被扣了25', 'a disputed charge'],
      ['You charged me twice for one pair of shoes', 'a disputed charge'],
      ['开票申请提交了好几次都失败，怎么回事', 'a failed attempt'],
      ["The returns page won't let me choose a reason", 'a failed attempt'],
      ['再不处理我就去消协投诉', 'a threat to escalate'],
      ['Refund me by Friday or I file a chargeback', 'a threat to escalate'],
      ['吹风机冒火花，我手都烫伤了', 'harm to a person'],
      ['The kettle lid flew off and my daughter ended up in hospital', 'harm to a person'],
      ['洗衣机漏水把楼下淹了，别跟我说退货流程', 'the FAQ refused'],
      ['你们的快递是乌龟送的吗？', 'sarcasm'],
      ['Thanks for nothing, is this how you treat loyal customers?', 'sarcasm'],
      ['我的账号被盗了，里面的积分全没了', 'an account taken over'],
      ['退货寄回去半个月了，钱还没到', 'a wait past due'],
      ['I returned the jacket three weeks ago and still nothing on my card', 'a wait past due'],
      ['退款批咗兩個禮拜都仲未入數', 'a wait past due'],
    ];
    for (const [text, kind] of cases) expect(cue(text), text).to.equal(kind);
  });

  it('leaves questions alone that only sound like those: asking where to look, what is usual, what happens in general', () => {
    for (const text of [
      '帮我看看我的快递到哪了',
      '能帮我查一下物流吗',
      'could you tell me where my parcel is?',
      'When can I expect my card?',
      "My card's expiring, what happens now?",
      'Will I be charged for return shipping?',
      '下单两天了还没发货，一般多久发货？',
      '付款一直失败，钱会退回来吗？',
      '打开下周二经理会议的提醒',
      '我该怎么搞懂女人呢',
      '还有货吗',
      '收到3天了还没拆封，能退吗',
      'I bought it 3 days ago and it is still unopened, can I return it?',
      '运费险也叫做退货险吗',
    ])
      expect(cue(text), text).to.equal(undefined);
  });

  it("answers a message of such a kind when the entry was written for it: a bank's FAQ on charges shown twice", () => {
    const charged = {
      id: 'charged-twice',
      tags: [],
      questions: {
        en: [
          'i was charged twice for one purchase',
          'why was i charged two times',
          'you charged me twice',
          'the same payment shows twice',
          'a payment appears two times on my statement',
        ],
      },
      answers: { en: { text: 'A payment shown twice is usually a pending hold that drops off within 3 days.' } },
    };
    const card = {
      id: 'card-delivery',
      tags: [],
      questions: { en: ['when will my card arrive', 'how long does card delivery take', 'where is my new card', 'card not arrived yet'] },
      answers: { en: { text: 'Cards arrive within 5 working days.' } },
    };
    const bank = { ...loadFaqFile(), entries: [card, charged] };
    const message = 'I was charged twice for the same purchase yesterday, why?';
    expect(new FaqMatcher(bank, { synonyms }).decide(message).answer?.entryId).to.equal('charged-twice');
    const withoutEntry = new FaqMatcher(
      { ...bank, entries: [card, { ...charged, questions: { en: ['why do payments show as pending', 'what is a pending payment'] } }] },
      { synonyms },
    );
    const decision = withoutEntry.decide(message);
    expect(decision.answer).to.equal(undefined);
    expect(decision.withheld).to.equal('own-case');
  });
});
