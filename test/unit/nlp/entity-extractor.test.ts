import { expect } from 'chai';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { EntityExtractor } from '../../../nlp/entity-extractor.js';

describe('nlp/entity-extractor', () => {
  const extractor = new EntityExtractor(loadCategoriesFile().entities);

  it('finds order numbers after their label and as bare long numbers, with offsets into the original text', () => {
    const text = '你好，我的订单号：2024031512345678 一直没发货，另一个单号 JD-88213377 也是';
    const e = extractor.extract(text);
    expect(e.orderNumbers.map((o) => o.value)).to.deep.equal(['2024031512345678', 'JD-88213377']);
    for (const o of e.orderNumbers) expect(text.slice(o.start, o.end)).to.equal(o.text);
    const bare = extractor.extract('the charge for 48912750381722911 was never refunded');
    expect(bare.orderNumbers.map((o) => o.value)).to.deep.equal(['48912750381722911']);
  });

  it('reads full-width order numbers and reports them at their place in the original', () => {
    const text = '訂單號：ＡＢ２０２４００１２３，還沒到';
    const e = extractor.extract(text);
    expect(e.orderNumbers).to.have.length(1);
    expect(e.orderNumbers[0]!.value).to.equal('AB202400123');
    expect(text.slice(e.orderNumbers[0]!.start, e.orderNumbers[0]!.end)).to.equal('ＡＢ２０２４００１２３');
  });

  it('normalizes Chinese mobiles and international numbers to E.164', () => {
    const e = extractor.extract('请回电 138-1234-5678 或者 +86 139 0000 1111，英国同事 +44 7700 900123');
    expect(e.phones.map((p) => p.value)).to.deep.equal(['+8613812345678', '+8613900001111', '+447700900123']);
  });

  it('finds e-mail addresses and does not read their digits as phones', () => {
    const e = extractor.extract('Write to zhang.wei13812345678@example.com.cn please');
    expect(e.emails.map((m) => m.value)).to.deep.equal(['zhang.wei13812345678@example.com.cn']);
    expect(e.phones).to.have.length(0);
  });

  it('finds amounts with their currency in both languages', () => {
    const e = extractor.extract('多扣了¥1,299.50，门店价3999元，退款2万元；I was billed $59.99 twice and {$120.00} in fees, 35 dollars more');
    expect(e.amounts.map((a) => [a.amount, a.currency])).to.deep.equal([
      [1299.5, 'CNY'],
      [3999, 'CNY'],
      [20000, 'CNY'],
      [59.99, 'USD'],
      [120, 'USD'],
      [35, 'USD'],
    ]);
  });

  it('reads amounts in Chinese numerals, pounds, euros and Hong Kong and Taiwan dollars, and no piece as money', () => {
    const e = extractor.extract('助听器两千多块，又多扣了一萬二千元；£1,200 laptop, 200 euros, HK$500, NT$3,000；一块蛋糕，三百五十元');
    expect(e.amounts.map((a) => [a.amount, a.currency])).to.deep.equal([
      [2000, 'CNY'],
      [12000, 'CNY'],
      [1200, 'GBP'],
      [200, 'EUR'],
      [500, 'HKD'],
      [3000, 'TWD'],
      [350, 'CNY'],
    ]);
  });

  it('reads a number as money when the words around it say so, and a count after it as no money', () => {
    const money = (text: string) => extractor.extract(text).amounts.map((a) => [a.text, a.amount, a.currency]);
    expect(money('信用卡同一筆被重複扣款，多扣了一萬二')).to.deep.equal([['一萬二', 12000, 'CNY']]);
    expect(money('转给房东1.5万，对方没收到')).to.deep.equal([['1.5万', 15000, 'CNY']]);
    expect(money('会员卡里3000多的余额突然被清零')).to.deep.equal([['3000', 3000, 'CNY']]);
    expect(money('退款港幣四千五，話七個工作天')).to.deep.equal([['四千五', 4500, 'HKD']]);
    expect(money('同一个订单扣了我两次款，一共6598')).to.deep.equal([['6598', 6598, 'CNY']]);
    expect(money('手术费四万多全是借的，一家六口八萬幾團費')).to.deep.equal([
      ['四万', 40000, 'CNY'],
      ['八萬', 80000, 'CNY'],
    ]);
    expect(extractor.extract('12 mowers, £5.4k paid upfront').amounts.map((a) => [a.text, a.amount, a.currency])).to.deep.equal([['£5.4k', 5400, 'GBP']]);
    expect(money('退款一直没到，扣了两次，退了三单，损失了五天，一共等了40分钟，一共20kg')).to.deep.equal([]);
  });

  it('finds dates in ISO, Chinese, US and written forms, keeping redacted ones without a value', () => {
    const e = extractor.extract(
      '2024-03-05 下单，2024年3月8日 才发货；on 03/15/2024 I called, again on March 20, 2024; the letter dated XX/XX/XXXX; 昨天又打了',
    );
    expect(e.dates.map((d) => d.value)).to.deep.equal(['2024-03-05', '2024-03-08', '2024-03-15', '2024-03-20', null, null]);
  });

  it('finds SKU and model codes', () => {
    const e = extractor.extract('型号：XR-2000，货号 AB12345；the model number HW-5521-B keeps failing');
    expect(e.skus.map((s) => s.value)).to.deep.equal(['XR-2000', 'AB12345', 'HW-5521-B']);
  });

  it('gives identity matching the same e-mails, phones and order numbers as the full extraction, without amounts or dates', () => {
    const texts = [
      '订单号 DD20261124001，手机 138 1234 5678，邮箱 Li.Wei@Example.com，多收了 200 元，2026-11-24 下单',
      'Call me on +44 20 7946 0958 or (415) 555-0134 about order #A123456, I paid $1,250.50 on 11/24/2026',
      '我的電話是１３９１２３４５６７８，訂單號：２０２６１１２４９９',
      '东西很好，谢谢',
    ];
    for (const text of texts) {
      const full = extractor.extract(text);
      const ids = extractor.identifiers(text);
      expect(ids, text).to.deep.equal({ emails: full.emails, phones: full.phones, orderNumbers: full.orderNumbers });
      expect(ids, text).to.not.have.any.keys('amounts', 'dates', 'skus');
    }
    expect(extractor.identifiers(texts[0]!).phones.map((p) => p.value)).to.deep.equal(['+8613812345678']);
  });

  it('returns empty lists for text without entities', () => {
    const e = extractor.extract('东西很好，谢谢');
    expect(Object.values(e).every((list) => list.length === 0)).to.equal(true);
  });
});
