import { expect } from 'chai';
import { categoriesSchema } from '../../../config/categories.schema.js';
import { ExampleIndex } from '../../../nlp/example-index.js';
import { foldText } from '../../../nlp/text-normalizer.js';
import { UnderstandingEngine } from '../../../nlp/understanding.js';

/** A small taxonomy of our own, so each behaviour is pinned independently of the shipped wording. */
const config = categoriesSchema.parse({
  negations: { zh: ['没有', '没', '不'], en: ['not', 'no', 'never'] },
  tone: {
    fallbackCategory: 'PQ',
    negative: { zh: ['太差', '失望', '垃圾'], en: ['terrible', 'disappointed'] },
    positive: { zh: ['很好', '谢谢', '满意', '舒服'], en: ['great', 'thanks', 'helpful'] },
    contrast: { zh: ['但是', '就是'], en: ['but'] },
    opinion: { zh: ['作者', '文笔', '抵制'], en: ['the author'] },
  },
  categories: [
    {
      code: 'PQ',
      name: { zh: '产品质量', en: 'Product quality' },
      keywords: { zh: [], en: [{ term: 'leak', weight: 2, without: ['data', 'information', 'privacy'] }] },
      subcategories: [
        {
          code: 'PQ-01',
          name: { zh: '变质', en: 'Spoiled' },
          examples: { zh: ['面包发霉长毛了', '牛奶打开就是酸的，已经变质'], en: ['the bread was mouldy when I opened it'] },
        },
        { code: 'PQ-02', name: { zh: '漏水', en: 'Leaks' }, keywords: { zh: [{ term: '漏', weight: 3, without: ['信息', '数据', '隐私'] }] } },
      ],
    },
    {
      code: 'LG',
      name: { zh: '物流', en: 'Logistics' },
      keywords: { zh: [{ term: '快递', weight: 1 }] },
      subcategories: [
        {
          code: 'LG-01',
          name: { zh: '配送延迟', en: 'Late' },
          examples: { zh: ['外卖一个半小时才送来，菜都凉了', '下单五天了包裹才到'], en: ['my order took two hours to arrive'] },
        },
      ],
    },
    {
      code: 'RL',
      name: { zh: '权益', en: 'Rights' },
      keywords: { zh: [{ term: '泄露', weight: 3 }], en: [{ term: 'leak', weight: 3, with: ['data', 'information', 'privacy'] }] },
    },
    {
      code: 'INQ',
      name: { zh: '咨询', en: 'Inquiry' },
      kind: 'inquiry',
      severity: 4,
      keywords: {
        zh: [
          { term: '怎么', weight: 1 },
          { term: '请问', weight: 1 },
        ],
      },
      subcategories: [{ code: 'INQ-01', name: { zh: '咨询', en: 'Question' }, examples: { zh: ['请问怎么开发票'] } }],
    },
  ],
  severity: { level1: { zh: ['食物中毒', '起火'], en: ['caught fire', 'food poisoning'] }, level2: { zh: ['第三次'], en: [] } },
});
const engine = new UnderstandingEngine(config);

describe('understanding: examples, senses and tone', function () {
  it('tells the senses of "leak" apart: a leaking kettle is product quality, leaked data is a rights issue', function () {
    expect(engine.analyze({ text: 'The kettle I bought leaks.' }).category).to.equal('PQ');
    expect(engine.analyze({ text: 'You leaked my personal data to advertisers.' }).category).to.equal('RL');
    expect(engine.analyze({ text: '水壶漏水了' }).category).to.equal('PQ');
    expect(engine.analyze({ text: '我的个人信息被泄露了，漏出去的数据谁负责' }).category).to.equal('RL');
  });

  it('reads a complaint put in other words through the nearest example, and names the example', function () {
    const u = engine.analyze({ text: '外卖两个小时才送到，饭都凉透了' });
    expect(u).to.include({ category: 'LG', subcategory: 'LG-01' });
    const example = u.evidence.find((e) => e.kind === 'example');
    expect(example).to.include({ kind: 'example', subcategory: 'LG-01' });
    expect((example as { example: string }).example).to.match(/外卖/);
    expect(engine.analyze({ text: 'The bread was already mouldy and stale.' })).to.include({ category: 'PQ', subcategory: 'PQ-01' });
  });

  it('files a bad experience that names no topic under the fallback category', function () {
    const u = engine.analyze({ text: '太差了，非常失望，再也不买了' });
    expect(u.category).to.equal('PQ');
    expect(u.evidence.some((e) => e.kind === 'tone' && e.tone === 'negative')).to.equal(true);
  });

  it('files harm told with no topic word under the fallback category, urgent, and leaves a plain remark OTHER', function () {
    expect(engine.analyze({ text: '昨晚吃完全家食物中毒，现在在医院' })).to.include({ category: 'PQ', severity: 1 });
    expect(engine.analyze({ text: 'We all got food poisoning after Sunday lunch.' })).to.include({ category: 'PQ', severity: 1 });
    expect(engine.analyze({ text: '今天下雨了' }).category).to.equal('OTHER');
  });

  it('reads praise and thanks as no complaint (OTHER, severity 4), even when they mention a topic', function () {
    for (const text of ['东西很好，快递也快，谢谢', 'Great service, thanks!']) {
      expect(engine.analyze({ text }), text).to.include({ category: 'OTHER', severity: 4 });
    }
  });

  it('keeps a rhetorical question in a complaint a complaint, and a plain question an inquiry', function () {
    expect(engine.analyze({ text: '请问怎么开发票？' }).category).to.equal('INQ');
    expect(engine.analyze({ text: '快递这么慢，太差了，怎么回事？' }).category).to.equal('LG');
  });

  it('reads praise said with a negation as a bad experience: "不舒服" and "not helpful" are complaints', function () {
    const zh = engine.analyze({ text: '用起来一点都不舒服' });
    expect(zh.category).to.equal('PQ');
    expect(zh.evidence).to.deep.include({ kind: 'tone', tone: 'negative', term: '舒服', match: '舒服' });
    expect(engine.analyze({ text: 'The agent was not helpful at all' }).category).to.equal('PQ');
    expect(engine.analyze({ text: '用起来很舒服' })).to.include({ category: 'OTHER', severity: 4 });
  });

  it('reads praise followed by "but" or "但是" as the polite start of a complaint', function () {
    expect(engine.analyze({ text: '客服很好，但是快递到现在还没到' }).category).to.equal('LG');
    expect(engine.analyze({ text: 'Great price, but the kettle leaks' }).category).to.equal('PQ');
    // "但是" before the praise does not turn praise into a complaint.
    expect(engine.analyze({ text: '本来有点担心，但是东西很好，谢谢' }).category).to.equal('OTHER');
  });

  it('reads an opinion on content or a brand as no complaint, unless it names a real problem', function () {
    expect(engine.analyze({ text: '作者的文笔太差了，失望' })).to.include({ category: 'OTHER', severity: 4 });
    expect(engine.analyze({ text: 'I was disappointed by the author, terrible' }).category).to.equal('OTHER');
    expect(engine.analyze({ text: '这个作者的书收到时漏了一地墨水，第三次了' }).category).to.equal('PQ');
  });

  it('does not count an example that shares a single word with the message', function () {
    const u = engine.analyze({ text: 'my order' });
    expect(u.evidence.filter((e) => e.kind === 'example')).to.deep.equal([]);
  });

  it('counts a Chinese word and its own characters once: a greeting is not close to a complaint that shares 晚上 and 好', function () {
    const index = new ExampleIndex([
      { category: 'PQ', subcategory: 'PQ-08', text: '房间里有蚊子，一晚上没睡好' },
      { category: 'SP', subcategory: 'SP-12', text: '同一个问题修了三次还是坏' },
    ]);
    expect(index.nearest(foldText('晚上好').folded)).to.deep.equal([]);
    expect(index.nearest(foldText('行，没问题').folded)).to.deep.equal([]);
    // Two things in common still make a likeness.
    expect(index.nearest(foldText('酒店房间蚊子太多了').folded).map((m) => m.subcategory)).to.deep.equal(['PQ-08']);
  });

  it('does not take a shared duration ("two hours", "五天") for a likeness', function () {
    const examplesOf = (text: string) => engine.analyze({ text }).evidence.filter((e) => e.kind === 'example');
    expect(examplesOf('The heater stopped working two hours after I plugged it in')).to.deep.equal([]);
    expect(examplesOf('买了五天了包装都没拆')).to.deep.equal([]);
    // Counted as their stems ("day" → "dai", "yesterday" → "yesterdai"), as the index keeps words.
    const index = new ExampleIndex([{ category: 'SP', subcategory: 'SP-01', text: 'Waited all day yesterday for the technician' }]);
    expect(index.nearest(foldText('The kettle broke yesterday, two days after I bought it').folded)).to.deep.equal([]);
    expect(index.nearest(foldText('The technician never came, I waited all afternoon').folded)).to.have.length(1);
    // The words of the late order still find it.
    expect(examplesOf('my order took ages to arrive')).to.have.length(1);
  });

  it('never makes a non-complaint urgent, but safety words keep their power', function () {
    expect(engine.analyze({ text: '很好，第三次买了，谢谢' }).severity).to.equal(4);
    expect(engine.analyze({ text: '吃了你们的外卖食物中毒了' }).severity).to.equal(1);
    expect(engine.analyze({ text: 'The charger caught fire last night.' }).severity).to.equal(1);
  });
});
