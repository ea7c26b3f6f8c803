import { expect } from 'chai';
import { BulkQuantity, chineseNumber } from '../../../nlp/bulk-quantity.js';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { UnderstandingEngine } from '../../../nlp/understanding.js';

describe('bulk orders (categories.yaml severity.bulkOrder)', function () {
  it('reads Chinese numerals, exact and rough', function () {
    expect(['二十', '五十', '两百', '一百二十', '三千', '十二', '几十', '上百', '两千五'].map(chineseNumber)).to.deep.equal([
      20, 50, 200, 120, 3000, 12, 20, 100, 2005,
    ]);
    expect(chineseNumber('很多')).to.equal(undefined);
  });

  it('finds a quantity of at least the minimum before a unit, in digits or numerals, zh and en', function () {
    const bulk = new BulkQuantity({ min: 20, units: { zh: ['份', '箱', '人份'], en: ['boxes', 'rooms', 'lunch boxes'] } });
    expect(bulk.find('公司订的50份午餐一份都没到')).to.deep.include({ quantity: 50 });
    expect(bulk.find('订了两百箱矿泉水')).to.deep.include({ quantity: 200 });
    expect(bulk.find('送来二十多份全洒了')).to.deep.include({ quantity: 20 });
    expect(bulk.find('our office ordered 40 lunch boxes')).to.deep.include({ quantity: 40 });
    expect(bulk.find('we booked 1,200 rooms')).to.deep.include({ quantity: 1200 });
    // Few units, or a number that counts something else, is not a bulk order.
    expect(bulk.find('买了3份，少了一份')).to.equal(undefined);
    expect(bulk.find('等了50分钟')).to.equal(undefined);
    expect(bulk.find('i ordered 2 boxes of tea')).to.equal(undefined);
    // English names the goods freely after a verb of ordering; time, money and tries are no goods.
    expect(bulk.find('we ordered 300 uniforms for the event')).to.deep.include({ quantity: 300 });
    expect(bulk.find('an order of 60 branded hoodies')).to.deep.include({ quantity: 60 });
    expect(bulk.find('i ordered 45 minutes ago')).to.equal(undefined);
    expect(bulk.find('bought 30 dollars of credit')).to.equal(undefined);
  });

  it('makes a complaint about a bulk order severity 2 with the shipped config, and leaves small orders and praise alone', function () {
    const engine = new UnderstandingEngine(loadCategoriesFile('config/categories.yaml'));
    const sev = (text: string) => engine.analyze({ text }).severity;
    expect(sev('我们公司订的200份盒饭到现在还没送到，员工都饿着')).to.equal(2);
    expect(sev('Our office ordered 40 lunch boxes for a training day and none arrived.')).to.equal(2);
    expect(sev('The hotel cancelled our booking the night before the conference, 12 rooms.')).to.be.at.most(2);
    expect(sev('买了3件衣服有一件破了')).to.equal(3);
    // Body weight is no order: "132斤" in a size note of a happy customer.
    expect(sev('裤子很好，面料很柔软，173高132斤换了31码的，刚刚好')).to.be.above(2);
  });
});

describe('severity 2 cues that generalise (issue 17): foreign bodies in food, outages that last, identity misuse, losses', function () {
  const engine = new UnderstandingEngine(loadCategoriesFile('config/categories.yaml'));
  const sev = (text: string) => engine.analyze({ text }).severity;

  it('a stone in the bread is serious; a missing screw on a laptop is not', function () {
    expect(sev('吃的面包里发现了一个小石子，差点把牙咬坏。')).to.be.at.most(2);
    expect(sev('笔记本背面少个螺丝钉，外壳也不平整。')).to.equal(3);
  });

  it('an outage of days is serious', function () {
    expect(sev('小区断水两天了，家里有卧床老人。')).to.be.at.most(2);
    expect(sev('Our broadband has been down for five days and I work from home.')).to.be.at.most(2);
  });

  it('someone using the customer’s identity or number is serious', function () {
    expect(sev('手机号被别人过户了，我的银行验证码都收不到。')).to.be.at.most(2);
    expect(sev('Someone opened a loan in my name using my ID.')).to.be.at.most(2);
  });

  it('losses and missing medicine are serious', function () {
    expect(sev('冰箱坏了一个星期没人修，里面的东西全坏了。')).to.be.at.most(2);
    expect(sev('The airline lost my suitcase with my medication in it.')).to.be.at.most(2);
    expect(sev('The gym closed overnight and took our annual fees.')).to.be.at.most(2);
  });
});
