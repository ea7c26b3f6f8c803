import { expect } from 'chai';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { repeatedFailure } from '../../../nlp/repeated-failure.js';
import { foldText } from '../../../nlp/text-normalizer.js';
import { UnderstandingEngine } from '../../../nlp/understanding.js';

const counts = (text: string) => repeatedFailure(foldText(text).folded).map((h) => h.match);

describe('repeated failure told by a count (nlp/repeated-failure.ts, issue 17)', function () {
  it('finds a fix that failed again and again, in digits, numerals and words, zh, zh-Hant and en', function () {
    expect(counts('空调修了四回了还是不制冷')).to.deep.equal(['四回']);
    expect(counts('这已经是我第11次打电话了，问题还是没人处理')).to.deep.equal(['第11次']);
    expect(counts('快递连续两次送错地址')).to.deep.equal(['连续两次']);
    expect(counts('冰箱一个月内坏了三回，我要退货')).to.deep.equal(['三回']);
    expect(counts('我前前后后投诉了不下十次')).to.deep.equal(['不下十次']);
    expect(counts('洗衣機三個月內修了三次，又壞了')).to.have.length(1);
    expect(counts('The engineer has been out four times and the boiler still does not work.')).to.deep.equal(['four times']);
    expect(counts('This is the 5th time I am calling about the same leak.')).to.deep.equal(['5th time']);
    expect(counts('My booking was cancelled on me three times in a row.')).to.deep.equal(['three times in a row']);
    expect(counts('Third replacement phone and it has the same fault.')).to.deep.equal(['third replacement']);
    expect(counts('Asked for a callback three times this week. Nothing.')).to.deep.equal(['three times']);
    expect(counts('I have emailed your support team four times about the refund.')).to.deep.equal(['four times']);
  });

  it('leaves alone a loyal customer’s count, a glitch’s frequency, chasing, and twice', function () {
    expect(counts('我买了三次了，每次都很好吃')).to.deep.equal([]);
    expect(counts('这是我第三次点这家，这次米饭有点硬')).to.deep.equal([]);
    expect(counts('投屏老是断，一集断三次')).to.deep.equal([]);
    expect(counts('中途催了好几次，送达之后薯条已经软了')).to.deep.equal([]);
    expect(counts('修了两次还是漏水')).to.deep.equal([]);
    expect(counts("I've ordered from here 5 times, always great.")).to.deep.equal([]);
    expect(counts('The stream drops three times a day.')).to.deep.equal([]);
    expect(counts('Support told me to restart it for the fifth time in one chat.')).to.deep.equal([]);
    expect(counts('I called twice to ask about the opening hours.')).to.deep.equal([]);
  });

  it('makes a complaint severity 2 with the shipped config, naming the count; praise with a count stays no complaint', function () {
    const engine = new UnderstandingEngine(loadCategoriesFile('config/categories.yaml'));
    const repaired = engine.analyze({ text: '空调修了四回了还是不制冷' });
    expect(repaired.severity).to.equal(2);
    expect(repaired.evidence).to.deep.include({ kind: 'severity', level: 2, term: 'repeated (4 times)', match: '四回' });
    expect(engine.analyze({ text: 'The engineer has been out four times and the boiler still does not work.' }).severity).to.equal(2);
    const loyal = engine.analyze({ text: "I've ordered from here 5 times, always great." });
    expect(loyal.category).to.equal('OTHER');
    expect(loyal.severity).to.be.above(2);
  });
});
