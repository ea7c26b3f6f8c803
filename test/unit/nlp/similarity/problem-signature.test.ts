import { expect } from 'chai';
import { bandHitProbability, estimateJaccard, minhash } from '../../../../nlp/similarity/minhash.js';
import { DEFAULT_SIMILARITY_THRESHOLD, problemSignature, sameProblem, similarity } from '../../../../nlp/similarity/problem-signature.js';

const shareBand = (a: string, b: string): boolean => {
  const bb = new Set(problemSignature(b).bands);
  return problemSignature(a).bands.some((k) => bb.has(k));
};

describe('nlp/similarity/problem-signature', () => {
  it('features: Chinese 2-grams without stop characters, English stems, problem concepts; order numbers and sign-offs left out', () => {
    const zh = problemSignature('您好，我的耳机到现在还没收到。订单号：20240601123456\n\n王丽');
    expect(zh.features).to.include.members(['zh:耳机', 'zh:没收', 'zh:收到', '~late']);
    expect(zh.features.join(' ')).to.not.match(/2024|王丽|您好/);
    const en = problemSignature('Hello,\n\nMy headphones were charged twice. Order #A12345678.\n\nRegards,\nEmma Clark');
    expect(en.features).to.include.members(['en:headphon', '~charged-twice', '~payment']);
    expect(en.features.join(' ')).to.not.match(/emma|clark|a12345678|regard/);
    const mixed = problemSignature('app闪退 on the checkout screen');
    expect(mixed.features).to.include.members(['zh:闪退', 'en:app', 'en:screen', '~crash', '~payment']);
  });

  it('traditional and simplified, full-width and half-width text give the same signature', () => {
    expect(problemSignature('ＡＰＰ一直閃退，無法登錄').features).to.deep.equal(problemSignature('app一直闪退，无法登录').features);
  });

  it("an SMS and an e-mail about the same problem are the same; the same customer's other problem is not", () => {
    const email = 'Hi there,\n\nI was charged twice for the rice cooker I bought last week. Please refund the extra payment.\n\nRegards,\nJames Wu';
    const sms = 'double charge on my card for the rice cooker??';
    const other = 'Hi there,\n\nThe courier who delivered my suitcase was really rude to my mother.\n\nRegards,\nJames Wu';
    expect(sameProblem({ text: email, orderNumbers: [] }, { text: sms, orderNumbers: [] }).same).to.equal(true);
    expect(sameProblem({ text: email, orderNumbers: [] }, { text: other, orderNumbers: [] }).same).to.equal(false);
    const zh1 = '买的空气炸锅到现在还没收到，已经一周了';
    const zh2 = '人工客服 催一下，空气炸锅的快递迟迟没有动静';
    const zh3 = '空气炸锅用了两天就坏了，开不了机';
    expect(sameProblem({ text: zh1, orderNumbers: [] }, { text: zh2, orderNumbers: [] }).same).to.equal(true);
    expect(sameProblem({ text: zh1, orderNumbers: [] }, { text: zh3, orderNumbers: [] }).same).to.equal(false);
  });

  it('the same complaint about another product, or another complaint about the same product, is another problem', () => {
    const no = (a: string, b: string) => sameProblem({ text: a, orderNumbers: [] }, { text: b, orderNumbers: [] });
    // One customer, two rude couriers: only the goods tell them apart when one message has no order number.
    expect(
      no(
        'The courier with my running shoes yelled at me and refused to carry it upstairs',
        'the courier with my bluetooth headphones yelled at me and refused to carry it upstairs',
      ).same,
    ).to.equal(false);
    expect(no('打开箱子发现机械键盘裂了一道口子', '人工客服 打开箱子发现电动牙刷裂了一道口子').same).to.equal(false);
    // Same goods, another symptom.
    expect(no('I was charged twice for the rice cooker', 'The rice cooker arrived damaged, the lid is cracked').same).to.equal(false);
    // The same goods and the same symptom across languages and words still match, as does a follow-up naming no goods.
    expect(no('我买的蓝牙耳机到现在还没收到，已经十天了', "My bluetooth headphones still haven't arrived, it's been ten days").same).to.equal(true);
    expect(no('The air fryer I ordered is really late', 'still waiting, where is my parcel?').same).to.equal(true);
  });

  it('product concepts: accessories are not their device, and everyday words are not goods', () => {
    const items = (t: string) => problemSignature(t).features.filter((f) => f.startsWith('~item-'));
    expect(items('My phone case arrived cracked')).to.deep.equal(['~item-phone-case']);
    expect(items('手机壳裂了')).to.deep.equal(['~item-phone-case']);
    expect(items('The desk lamp flickers')).to.deep.equal(['~item-lamp']);
    expect(items('我的手机充不进电')).to.deep.equal(['~item-phone']);
    expect(items('I was charged twice at checkout')).to.deep.equal([]);
    expect(problemSignature('The charger is missing').features).to.not.include('~payment');
  });

  it('a shared order number decides yes whatever the words; two different order numbers decide no', () => {
    const a = { text: '订单 123456789012 怎么还没发货', orderNumbers: ['123456789012'] };
    const b = { text: 'Can I change the delivery address for order 123456789012?', orderNumbers: ['123456789012'] };
    expect(sameProblem(a, b)).to.deep.include({ same: true, score: 1 });
    expect(sameProblem(a, b).reason).to.contain('123456789012');
    const late1 = { text: 'My parcel is late, order 111111111111', orderNumbers: ['111111111111'] };
    const late2 = { text: 'My parcel is late, order 222222222222', orderNumbers: ['222222222222'] };
    const verdict = sameProblem(late1, late2);
    expect(verdict.same).to.equal(false);
    expect(verdict.reason).to.contain('different order numbers');
    expect(verdict.score).to.be.greaterThan(DEFAULT_SIMILARITY_THRESHOLD);
  });

  it('similarity is 1 for the same text, 0 for an empty one, and symmetric', () => {
    const a = problemSignature('The app crashes when I pay');
    const b = problemSignature('支付的时候app闪退');
    expect(similarity(a, a)).to.equal(1);
    expect(similarity(a, problemSignature(''))).to.equal(0);
    expect(similarity(a, b)).to.equal(similarity(b, a));
    expect(similarity(a, b)).to.be.greaterThan(0.2); // shared "app" + crash + payment concepts
  });

  it('MinHash estimates Jaccard within a few points and bands find similar pairs but rarely unrelated ones', () => {
    const A = Array.from({ length: 60 }, (_, i) => `f${i}`);
    const B = [...A.slice(0, 30), ...Array.from({ length: 30 }, (_, i) => `g${i}`)]; // Jaccard 30/90
    expect(estimateJaccard(minhash(A, 128), minhash(B, 128))).to.be.closeTo(1 / 3, 0.1);
    expect(bandHitProbability(DEFAULT_SIMILARITY_THRESHOLD, 64, 2)).to.be.greaterThan(0.95);
    expect(shareBand('我买的蓝牙耳机到现在还没收到，已经十天了', '蓝牙耳机怎么还没到？物流好几天没更新了')).to.equal(true);
    expect(shareBand('我买的蓝牙耳机到现在还没收到，已经十天了', 'Please add a dark mode to the website')).to.equal(false);
    expect(problemSignature('').bands).to.deep.equal([]);
  });
});
