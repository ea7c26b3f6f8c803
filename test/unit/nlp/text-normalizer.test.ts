import { expect } from 'chai';
import { detectLanguage, foldText, normalizeText, toSimplified } from '../../../nlp/text-normalizer.js';

describe('nlp/text-normalizer', () => {
  const lang = (t: string) => detectLanguage(foldText(t).folded, t).language;

  it('tells simplified Chinese, traditional Chinese, English and other languages apart', () => {
    expect(lang('我上周在你们店里买的洗衣机，到现在还没送到，客服电话一直打不通。')).to.equal('zh-Hans');
    expect(lang('我上週在你們店裡買的洗衣機，到現在還沒送到，客服電話一直打不通。')).to.equal('zh-Hant');
    expect(lang('I ordered a washing machine last week and it still has not been delivered.')).to.equal('en');
    expect(lang('先週注文した洗濯機がまだ届いていません。')).to.equal('other');
    expect(lang('Ma commande est arrivée abîmée, le carton était déchiré et très sale.')).to.equal('other');
    expect(lang('😡😡😡')).to.equal('other');
    expect(lang('')).to.equal('other');
  });

  it('calls mixed text by its main language', () => {
    expect(lang('我的order到现在还没到，tracking也不更新')).to.equal('zh-Hans');
    expect(lang('My order from 京东 still has not arrived after two weeks')).to.equal('en');
  });

  it('folds full-width letters and digits, case and traditional characters for matching, keeping offsets', () => {
    const original = '訂單號：ＡＢ１２３４５，包裝破損';
    const { folded, aligned } = foldText(original);
    expect(folded).to.equal('订单号:ab12345,包装破损');
    expect(aligned).to.equal(true);
    expect(folded.length).to.equal(original.length);
  });

  it('converts traditional characters one for one and leaves simplified text as it is', () => {
    expect(toSimplified('投訴物流延誤')).to.equal('投诉物流延误');
    const simplified = '投诉物流延误';
    expect(toSimplified(simplified)).to.equal(simplified);
  });

  it('segments Chinese with jieba and stems English with natural, dropping stop words but not negations', () => {
    const zh = normalizeText('快递员态度很差');
    expect(zh.tokens).to.include.members(['快递', '态度']);
    expect(zh.tokens).not.to.include('很');
    const en = normalizeText("The parcel hasn't arrived and the boxes were damaged");
    expect(en.tokens).to.include.members(['parcel', 'not', 'arriv', 'box', 'damag']);
    expect(en.tokens).not.to.include('the');
  });
});
