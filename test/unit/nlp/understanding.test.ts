import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import * as OpenCC from 'opencc-js';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { UnderstandingEngine, type Understanding } from '../../../nlp/understanding.js';

/** Realistic complaints as customers write them (not the config's keywords read back). */
const CASES: Array<{ text: string; category: string; subcategory?: string; language: string }> = [
  // PQ product quality
  { language: 'zh-Hans', category: 'PQ', subcategory: 'PQ-02', text: '昨天在你们超市买的酸奶，打开一股酸臭味，一看生产日期，早就过期三天了，这种东西也敢卖？' },
  { language: 'zh-Hans', category: 'PQ', subcategory: 'PQ-03', text: '手机买了不到一个月，昨晚突然黑屏，现在完全开不了机，售后检测说是主板的问题。' },
  { language: 'zh-Hans', category: 'PQ', subcategory: 'PQ-06', text: '衣服洗了一次就严重掉色，还起球，做工太差了，跟图片完全不一样。' },
  {
    language: 'en',
    category: 'PQ',
    subcategory: 'PQ-02',
    text: 'The bread I bought on Saturday was already mouldy when I opened it, and the best before date is next week.',
  },
  {
    language: 'en',
    category: 'PQ',
    subcategory: 'PQ-03',
    text: 'My laptop will not turn on anymore. The repair shop says the motherboard is dead after only 3 months.',
  },
  {
    language: 'en',
    category: 'PQ',
    subcategory: 'PQ-05',
    text: 'The blender stopped working after two uses, it just makes a grinding noise now. Clearly defective.',
  },
  // LG logistics
  { language: 'zh-Hans', category: 'LG', subcategory: 'LG-01', text: '下单一个星期了，物流信息一直不更新，包裹到现在还没到，到底什么时候能送？' },
  { language: 'zh-Hans', category: 'LG', subcategory: 'LG-02', text: '快递显示已签收，但是我根本没收到，问了门卫也说没有，包裹是不是被人冒领了？' },
  { language: 'zh-Hans', category: 'LG', subcategory: 'LG-03', text: '收到的时候外箱都被压扁了，里面的花瓶碎成好几块，明显是运输过程中暴力分拣。' },
  {
    language: 'en',
    category: 'LG',
    subcategory: 'LG-01',
    text: "I ordered a sofa three weeks ago and it still hasn't arrived. The tracking page has said 'in transit' for ten days.",
  },
  {
    language: 'en',
    category: 'LG',
    subcategory: 'LG-02',
    text: 'The courier marked my parcel as delivered yesterday, but nothing was left at my door and my neighbours have not seen it.',
  },
  {
    language: 'en',
    category: 'LG',
    subcategory: 'LG-03',
    text: 'The TV arrived with a cracked screen and the box was crushed on one corner. It was damaged in transit.',
  },
  // SP service & after-sales
  { language: 'zh-Hans', category: 'SP', subcategory: 'SP-02', text: '打了三次客服电话，那个客服态度极差，话没说完就挂电话，问题一点没解决。' },
  { language: 'zh-Hans', category: 'SP', subcategory: 'SP-12', text: '空调送修一个多月了还没修好，售后每次都说再等等，保修期都快过了。' },
  {
    language: 'en',
    category: 'SP',
    subcategory: 'SP-02',
    text: 'The agent on the phone was incredibly rude, talked over me and then hung up when I asked for a manager.',
  },
  {
    language: 'en',
    category: 'SP',
    subcategory: 'SP-03',
    text: 'The technician came but said he cannot fix the dishwasher because they are waiting for spare parts, no date given.',
  },
  // TD trade & price
  { language: 'zh-Hans', category: 'TD', subcategory: 'TD-07', text: '结账的时候优惠券用不了，页面一直提示不满足条件，可是明明满了200。' },
  { language: 'zh-Hans', category: 'TD', subcategory: 'TD-08', text: '付款的时候提示支付失败，结果银行卡被扣了两次钱，订单还是待付款。' },
  {
    language: 'en',
    category: 'TD',
    subcategory: 'TD-08',
    text: 'I was charged twice for the same order, the payment failed on the site but my bank shows two charges.',
  },
  {
    language: 'en',
    category: 'TD',
    subcategory: 'TD-01',
    text: 'I bought the vacuum online for $299 and found it in your store for $249. Please honour a price match.',
  },
  // RL rights & legal
  {
    language: 'zh-Hans',
    category: 'RL',
    subcategory: 'RL-01',
    text: '自从在你们APP注册以后，每天都接到骚扰电话，对方能说出我的名字和地址，我的个人信息是不是被你们泄露了？',
  },
  { language: 'zh-Hans', category: 'RL', subcategory: 'RL-02', text: '办宽带的时候营业员说必须购买他们的路由器才能开通，这不是强买强卖吗？' },
  {
    language: 'en',
    category: 'RL',
    subcategory: 'RL-09',
    text: 'Your app collected my data, including my contacts, without my consent. I never agreed to that.',
  },
  // Inquiries and suggestions
  { language: 'zh-Hans', category: 'INQ', subcategory: 'INQ-01', text: '请问你们的会员积分可以在线下门店使用吗' },
  { language: 'zh-Hans', category: 'INQ', subcategory: 'INQ-02', text: '建议你们的小程序增加一个夜间模式，晚上看着太亮了。' },
  { language: 'en', category: 'INQ', subcategory: 'INQ-01', text: 'How do I change the delivery address on an order I placed this morning?' },
];

describe('nlp/understanding', () => {
  const config = loadCategoriesFile();
  const engine = new UnderstandingEngine(config);
  const s2t = OpenCC.Converter({ from: 'cn', to: 'tw' });

  for (const c of CASES) {
    it(`${c.language} ${c.subcategory ?? c.category}: ${c.text.slice(0, 28)}…`, () => {
      const r = engine.analyze({ text: c.text });
      expect(r.category, JSON.stringify(r.evidence)).to.equal(c.category);
      if (c.subcategory) expect(r.subcategory, JSON.stringify(r.evidence)).to.equal(c.subcategory);
      expect(r.language).to.equal(c.language);
      expect(r.evidence.some((e) => e.kind === 'keyword' && e.category === c.category)).to.equal(true);
    });
  }

  it('gives traditional and simplified forms of the same complaint the same result', () => {
    for (const c of CASES.filter((x) => x.language === 'zh-Hans')) {
      const traditional = s2t(c.text);
      expect(traditional).not.to.equal(c.text);
      const a = engine.analyze({ text: c.text });
      const b = engine.analyze({ text: traditional });
      expect(b.language, traditional).to.equal('zh-Hant');
      const strip = (r: Understanding) => ({
        ...r,
        language: '',
        evidence: r.evidence.map((e) => ({ ...e, match: '' })),
        entities: JSON.stringify(r.entities).length,
      });
      expect(strip(b), traditional).to.deep.equal(strip(a));
    }
  });

  it('reports where each keyword matched in the original text', () => {
    const text = '我的包裹顯示已簽收，但是我根本沒收到！';
    const r = engine.analyze({ text });
    const hit = r.evidence.find((e) => e.kind === 'keyword' && e.term === '显示已签收');
    expect(hit).to.include({ category: 'LG', subcategory: 'LG-02' });
    if (hit?.kind !== 'keyword') throw new Error('no keyword evidence');
    expect(text.slice(hit.start, hit.end)).to.equal('顯示已簽收');
  });

  it('understands mixed Chinese and English', () => {
    const r = engine.analyze({ text: '我的order两周了还没到，tracking一直不更新，please check ASAP' });
    expect(r.category).to.equal('LG');
    expect(r.subcategory).to.equal('LG-01');
    expect(r.language).to.equal('zh-Hans');
    expect(r.emotion).to.be.at.least(2);
  });

  it('folds synonyms: 损坏 and broken count as 破损 / damaged', () => {
    expect(engine.analyze({ text: '打开快递发现包装损坏了，里面的东西也碎了' }).subcategory).to.equal('PQ-01');
    expect(engine.analyze({ text: 'The box arrived broken, everything inside was smashed' }).subcategory).to.equal('LG-03');
  });

  it('does not count a keyword right after a negation', () => {
    const r = engine.analyze({ text: '包装完好，没有破损，就是送晚了两天' });
    expect(r.category).to.equal('LG');
    expect(r.evidence.some((e) => e.kind === 'keyword' && e.term.includes('破损'))).to.equal(false);
    const en = engine.analyze({ text: 'The item was not damaged at all, but it came a week late' });
    expect(en.subcategory).to.equal('LG-01');
  });

  it('uses the subject together with the body', () => {
    const r = engine.analyze({ subject: 'Refund still not received', text: 'I returned the shoes on 3 March and have heard nothing since.', channel: 'email' });
    expect(r.category).to.equal('SP');
    expect(r.subcategory).to.equal('SP-04');
  });

  describe('severity', () => {
    it('is 1 for injury, fire, hospital, data leaks and threats to involve lawyers or media', () => {
      for (const text of [
        '充电宝充电的时候突然冒烟起火，把我手烫伤了，已经去医院处理了。',
        'The heater caught fire in my daughter’s room and she was taken to hospital with burns.',
        '孩子吃了你们的饼干之后上吐下泻，医生说是食物中毒。',
        '你们再不处理我就找媒体曝光，再去12315投诉！',
        'I have contacted my lawyer and will be filing a lawsuit if this is not fixed.',
      ]) {
        const r = engine.analyze({ text });
        expect(r.severity, `${text} ${JSON.stringify(r.evidence)}`).to.equal(1);
        expect(r.evidence.some((e) => e.kind === 'severity' && e.level === 1)).to.equal(true);
      }
    });

    it('keeps 多媒体 (multimedia) a feature, not a threat to go to the media', () => {
      expect(engine.analyze({ text: '多媒体播放不流畅，让人很郁闷' }).severity).to.be.above(2);
      expect(engine.analyze({ text: '再不退款就让媒体来评评理' }).severity).to.equal(1);
    });

    it('is 2 for bulk orders, VIP customers and repeated complaints', () => {
      expect(engine.analyze({ text: '我们公司团购的200台显示器，到现在一台都没发货' }).severity).to.equal(2);
      expect(engine.analyze({ text: 'I am a VIP member and my parcel has been late three times now' }).severity).to.equal(2);
      expect(engine.analyze({ text: '这已经是我第三次投诉快递送错地址了' }).severity).to.equal(2);
    });

    it('is 3 for an ordinary defect and 4 for questions and suggestions', () => {
      expect(engine.analyze({ text: '鼠标用了两天左键就失灵了' }).severity).to.equal(3);
      expect(engine.analyze({ text: '请问你们的会员积分可以在线下门店使用吗' }).severity).to.equal(4);
      expect(engine.analyze({ text: 'Just a suggestion: it would be nice to have dark mode in the app.' }).severity).to.equal(4);
    });

    it('does not escalate when the cue is negated', () => {
      expect(engine.analyze({ text: '还好没有人受伤，但是快递把玻璃杯摔坏了' }).severity).to.equal(3);
    });
  });

  describe('emotion', () => {
    it('is 1 for a calm message', () => {
      expect(engine.analyze({ text: 'Could you tell me when my order will be shipped? Thank you.' }).emotion).to.equal(1);
      expect(engine.analyze({ text: '您好，想问一下我的订单什么时候发货，谢谢。' }).emotion).to.equal(1);
    });

    it('rises with anger words, exclamation runs, capitals and threats', () => {
      const angryZh = engine.analyze({ text: '气死我了！！！买的东西坏了三次，客服还敷衍我，太过分了，我要去消协投诉，找媒体曝光！！！' });
      expect(angryZh.emotion).to.be.at.least(4);
      const angryEn = engine.analyze({
        text: 'This is UNACCEPTABLE!!! Third time the delivery is late. Worst service ever, I am contacting the BBB and my lawyer.',
      });
      expect(angryEn.emotion).to.be.at.least(4);
      const anxious = engine.analyze({ text: '明天就要用，快递还没到，急死了，能不能尽快帮我查一下' });
      expect(anxious.emotion).to.be.within(2, 4);
      expect(angryZh.emotion).to.be.greaterThan(anxious.emotion);
    });
  });

  describe('inputs that must not break anything', () => {
    it('empty and whitespace-only text → OTHER with zero confidence', () => {
      for (const text of ['', '   \n\t']) {
        const r = engine.analyze({ text });
        expect(r).to.include({ category: 'OTHER', subcategory: null, confidence: 0, language: 'other' });
      }
    });

    it('emoji-only text → OTHER with low confidence', () => {
      const r = engine.analyze({ text: '😡😡😡👎👎' });
      expect(r.category).to.equal('OTHER');
      expect(r.confidence).to.be.below(0.3);
    });

    it('text that matches nothing → OTHER with low confidence', () => {
      const r = engine.analyze({ text: 'The weather in Hangzhou was mild this weekend.' });
      expect(r.category).to.equal('OTHER');
      expect(r.confidence).to.be.below(0.3);
    });

    it('a 1 MB message is analysed and still understood', () => {
      const complaint = '快递一直没到，物流信息好几天不更新。';
      const text = complaint + '我真的很着急。'.repeat(Math.ceil(1_000_000 / 7));
      expect(text.length).to.be.greaterThan(1_000_000);
      const r = engine.analyze({ text });
      expect(r.category).to.equal('LG');
    });

    it('non-string input fields are treated as empty, not thrown on', () => {
      const r = engine.analyze({ text: undefined as unknown as string, subject: 42 as unknown as string });
      expect(r.category).to.equal('OTHER');
    });
  });

  describe('driven by config', () => {
    it('a support lead adds a category, keywords and a severity cue in YAML and it works without code changes', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'categories-'));
      const file = path.join(dir, 'categories.yaml');
      writeFileSync(
        file,
        [
          'synonyms:',
          '  - [会员卡, 储值卡, gift card]',
          'categories:',
          '  - code: GC',
          '    name: { zh: 储值卡, en: Gift cards }',
          '    keywords:',
          '      zh: [{ term: 会员卡余额, weight: 3 }]',
          '      en: [{ term: gift card balance, weight: 3 }]',
          '    exclude:',
          '      zh: [测试]',
          'severity:',
          '  level1:',
          '    zh: [盗刷]',
        ].join('\n'),
      );
      const custom = new UnderstandingEngine(loadCategoriesFile(file));
      const r = custom.analyze({ text: '我的储值卡余额被盗刷了五百块' });
      expect(r.category).to.equal('GC');
      expect(r.severity).to.equal(1);
      expect(custom.analyze({ text: 'My gift card balance shows zero' }).category).to.equal('GC');
      expect(custom.analyze({ text: '测试一下会员卡余额' }).category).to.equal('OTHER');
    });

    it('a bad config names the file and the field', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'categories-'));
      const file = path.join(dir, 'categories.yaml');
      writeFileSync(file, 'categories:\n  - code: lg\n    name: { zh: 物流, en: Logistics }\n');
      expect(() => loadCategoriesFile(file)).to.throw(/categories\.yaml categories\.0\.code/);
    });
  });
});
