import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { loadCategoriesFile } from '../../../config/load-categories.js';
import { UnderstandingEngine } from '../../../nlp/understanding.js';

/**
 * The taxonomy a new user gets (config/categories.yaml, no trained model) on complaints written by
 * hand for this project (test/fixtures/nlp, see its README): the goals of issue 17 as a floor, so a
 * rule edit that breaks how real people write fails here before it reaches a queue.
 */
const engine = new UnderstandingEngine(loadCategoriesFile('config/categories.yaml'));
const rows: Array<{ text: string; category: string; severity: number }> = readFileSync('test/fixtures/nlp/handwritten-complaints.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

const readSet = (file: string): typeof rows =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
const secondAuthor = readSet('test/fixtures/nlp/second-author-tune.jsonl');
const urgency = readSet('test/fixtures/nlp/urgency-tune.jsonl');
const thirdAuthor = readSet('test/fixtures/nlp/urgency-tune-2.jsonl');

describe('the shipped taxonomy on hand-written complaints (zh, zh-Hant, en)', function () {
  const results = rows.map((r) => ({ ...r, got: engine.analyze({ text: r.text }) }));

  it('files at least 92 % under the right category (INQ and OTHER included)', function () {
    const wrong = results.filter((r) => r.got.category !== r.category).map((r) => `${r.category} → ${r.got.category}: ${r.text}`);
    expect(1 - wrong.length / results.length, wrong.join('\n')).to.be.at.least(0.92);
  });

  it('flags at least 90 % of the urgent ones (severity ≤ 2) at a precision of at least 80 %', function () {
    const urgent = results.filter((r) => r.severity <= 2);
    const flagged = results.filter((r) => r.got.severity <= 2);
    const caught = urgent.filter((r) => r.got.severity <= 2);
    expect(
      caught.length / urgent.length,
      urgent
        .filter((r) => r.got.severity > 2)
        .map((r) => r.text)
        .join('\n'),
    ).to.be.at.least(0.9);
    expect(
      caught.length / flagged.length,
      flagged
        .filter((r) => r.severity > 2)
        .map((r) => r.text)
        .join('\n'),
    ).to.be.at.least(0.8);
  });

  it("reads the README's own examples as a user would", function () {
    expect(engine.analyze({ text: 'The kettle I bought leaks.' }).category).to.equal('PQ');
    expect(engine.analyze({ text: '我的个人信息被泄露了，经常接到骚扰电话' })).to.include({ category: 'RL', severity: 1 });
    expect(engine.analyze({ text: '怎么申请退货' }).category).to.equal('INQ');
    expect(engine.analyze({ text: '东西很好，快递也快，谢谢' })).to.include({ category: 'OTHER', severity: 4 });
    expect(engine.analyze({ text: '外賣送了兩個小時才到，飯菜全涼了' }).category).to.equal('LG');
  });

  it("keeps its floor on a second author's complaints, questions and praise (written without reading categories.yaml)", function () {
    const got = secondAuthor.map((r) => ({ ...r, got: engine.analyze({ text: r.text }) }));
    const wrong = got.filter((r) => r.got.category !== r.category).map((r) => `${r.category} → ${r.got.category}: ${r.text}`);
    expect(1 - wrong.length / got.length, wrong.join('\n')).to.be.at.least(0.92);
    const urgent = got.filter((r) => r.severity <= 2);
    expect(urgent.filter((r) => r.got.severity <= 2).length / urgent.length).to.be.at.least(0.85);
  });
  it("keeps its floor on a third author's complaints across sixteen sectors (care homes, pharmacies, banks, utilities, airlines…)", function () {
    // Written from DOMAIN.md alone; 0.533 of its categories were right before its errors were read.
    const got = thirdAuthor.map((r) => ({ ...r, got: engine.analyze({ text: r.text }) }));
    const wrong = got.filter((r) => r.got.category !== r.category).map((r) => `${r.category} → ${r.got.category}: ${r.text}`);
    expect(1 - wrong.length / got.length, wrong.join('\n')).to.be.at.least(0.72);
  });
});

describe('the shipped taxonomy reads what customers actually write', function () {
  const read = (text: string) => engine.analyze({ text });

  it('flags the urgent ones of a set written to tell urgent from alarming-sounding (recall and precision ≥ 0.9)', function () {
    const got = urgency.map((r) => ({ ...r, flagged: engine.analyze({ text: r.text }).severity <= 2 }));
    const urgent = got.filter((r) => r.severity <= 2);
    const flagged = got.filter((r) => r.flagged);
    expect(
      urgent.filter((r) => r.flagged).length / urgent.length,
      urgent
        .filter((r) => !r.flagged)
        .map((r) => r.text)
        .join('\n'),
    ).to.be.at.least(0.9);
    expect(
      flagged.filter((r) => r.severity <= 2).length / flagged.length,
      flagged
        .filter((r) => r.severity > 2)
        .map((r) => r.text)
        .join('\n'),
    ).to.be.at.least(0.9);
  });

  it('keeps figures of speech out of the urgent queue and real danger in it', function () {
    expect(read('这家的麻辣烫辣得我嘴巴都着火了，下次少放点辣').severity).to.be.above(2);
    expect(read('炸鸡好吃到爆炸，就是送得有点慢').severity).to.be.above(2);
    expect(read('客服说好的回电到现在都没打过来').severity).to.be.above(2);
    expect(read('Their "fire sale" prices are the same as last month.').severity).to.be.above(2);
    expect(read('The manager was rude, you should fire him.').severity).to.be.above(2);
    expect(read('单元门口一股很重的煤气味，打热线没人接').severity).to.equal(1);
    expect(read('The stair rail came off in my hand and I nearly fell down the stairwell.').severity).to.equal(1);
    expect(read('孩子的积木零件卡在喉咙里，吓坏了').severity).to.equal(1);
    // Nor into the product queue: the drink is praised, the queue is the complaint.
    expect(read('蛋糕好吃到爆炸，就是送来晚了半小时').category).to.equal('LG');
  });

  it('takes real money at stake as serious, in any currency and in Chinese numerals', function () {
    const double = read('The hotel took the deposit twice, $1,450 each time, and nobody answers my e-mails.');
    expect(double.severity).to.equal(2);
    expect(double.evidence).to.deep.include({ kind: 'severity', level: 2, term: 'amount ≥ 1000', match: '$1,450' });
    expect(read('快递把我买的相机弄丢了，三千多块钱的东西').severity).to.equal(2);
    expect(read('The delivery was 20 minutes late and the fries were cold, I paid $15 for this.').severity).to.equal(3);
  });

  it('reads long utility outages as serious and a battery that swells or a plug that melts as a safety matter', function () {
    expect(read('我们这条街停电快二十个小时了，一直没人来修')).to.include({ category: 'PQ', severity: 2 });
    expect(read('No water at our flat since Monday morning, three days now.').severity).to.equal(2);
    expect(read('充电的时候手机电池鼓包了，还很烫').severity).to.equal(1);
    expect(read('The charger melted the plug socket last night.').severity).to.equal(1);
  });

  it('takes a fake bank text that emptied an account as fraud, urgent', function () {
    expect(read('A fake text from "your bank" sent me to a site that drained my savings account.')).to.include({ category: 'RL', severity: 1 });
    expect(read('接到冒充银行的电话，让我把钱转到安全账户，被骗了两万')).to.include({ category: 'RL', severity: 1 });
  });

  it('reads "不是很方便" as a negated praise word, and praise with thanks as no complaint', function () {
    const negated = read('屏幕有划痕，装驱动也不是很方便');
    expect(negated.category).to.equal('PQ');
    expect(negated.evidence).to.deep.include({ kind: 'tone', tone: 'negative', term: '方便', match: '方便' });
    expect(read('The staff were lovely and the room spotless, we would stay again.')).to.include({ category: 'OTHER', severity: 4 });
    expect(read('谢谢客服帮我解决了账单的问题，态度很好')).to.include({ category: 'OTHER', severity: 4 });
  });

  it('files money taken without the customer as fraud, carers and pharmacists as service, outages as product and money in transit as trade', function () {
    // Who or what failed decides the category, whatever the harm: the person looking after someone
    // (carer, pharmacist, mechanic) is service; a supply that is off is the product itself.
    expect(read('有人登录了我的账号，把密码改了，卡里的钱被转走了')).to.include({ category: 'RL' });
    expect(read('信用卡半夜被連刷五筆，我根本沒消費過')).to.include({ category: 'RL' });
    expect(read('Someone logged into my account and transferred out my savings. I did not authorise any of it.')).to.include({ category: 'RL' });
    expect(read('药店把我的药配错了，吃了以后一直头晕')).to.include({ category: 'SP' });
    expect(read('The pharmacist gave my father the wrong prescription.')).to.include({ category: 'SP' });
    expect(read('The care home left my mother alone all night and nobody rang us.')).to.include({ category: 'SP' });
    expect(read('整个小区停电十个小时了，供电热线一直占线')).to.include({ category: 'PQ' });
    expect(read('Our landline has been dead for a week.')).to.include({ category: 'PQ' });
    expect(read('给供应商的转账五天了，对方还没收到')).to.include({ category: 'TD' });
    expect(read('The wire transfer to my landlord left my account a week ago and never arrived.')).to.include({ category: 'TD' });
  });

  it('files harm told with no topic word as a complaint, and praise of a courier as none', function () {
    // Before: no keyword fired, so an urgent complaint came out OTHER, the queue for "not a complaint".
    expect(read('My son hit his head when the high chair tipped over, we are at the hospital now.')).to.include({ category: 'PQ', severity: 1 });
    expect(read('外卖小哥人超好，下雨天还帮我提上楼，必须表扬')).to.include({ category: 'OTHER', severity: 4 });
  });

  it('reads thanks for a danger put right as no complaint, and a danger still there as urgent', function () {
    // Before: the safety word kept its power whatever else was said, so a thank-you note went to the urgent queue.
    const thanks = read('上周家里的燃气泄漏问题，师傅当天就修好了，谢谢你们');
    expect(thanks).to.include({ category: 'OTHER', severity: 4 });
    expect(thanks.evidence).to.deep.include({ kind: 'tone', tone: 'settled', term: '修好了', match: '修好了' });
    expect(read('The sparking socket in our kitchen was fixed the same day, thank you to the electrician.')).to.include({ category: 'OTHER', severity: 4 });
    // One problem settled does not settle another that goes on.
    expect(read('Thanks, got my refund. The kettle still leaks.')).to.include({ category: 'PQ' });
    expect(read('谢谢，退款已到账。另外买的取暖器还是冒火花。').severity).to.equal(1);
    // A request or a question is no settlement: "get this sorted", "解决了吗？".
    expect(read('Thanks for calling back. Please get this sorted, the socket burned my hand.').severity).to.equal(1);
    expect(read('谢谢客服，燃气泄漏的问题解决了吗？').severity).to.equal(1);
    // Said with a negation, or with a "but", the danger is not over.
    expect(read('燃气泄漏的问题还没修好，谢谢你们的回复').severity).to.equal(1);
    expect(read('Thanks for the visit, but the socket is still sparking.').severity).to.equal(1);
    // Nor is a figure of speech about shock a near miss, nor a parcel left at a hospital's desk an injury.
    expect(read('The agent was so rude I nearly died of shock, then he hung up on me.').severity).to.be.above(2);
    expect(read('My parcel was left at the reception of the hospital across the road.').severity).to.be.above(2);
    expect(read('My dad was hospitalized after eating your chicken pie.').severity).to.equal(1);
    // A fear or a habit is not the event: 怕误机 (afraid of missing the flight), 很少剩菜 (rarely leaves food).
    expect(read('特意订了机场边上的酒店怕误机，结果房间又小又吵').severity).to.be.above(2);
    expect(read('我平时很少剩菜，这次的鱼实在太腥了').severity).to.be.above(2);
    expect(read('你们的专车晚到四十分钟，我误机了').severity).to.equal(2);
    // An appliance that "died" is broken, not a death.
    expect(read('The new dishwasher died after a week, same error code every time.').severity).to.be.above(1);
    expect(read('Our dog died after eating the treats you sold us.').severity).to.equal(1);
  });

  it('reads a scare that turned out to be nothing as no complaint, whatever it names', function () {
    // Before: the words of the scare decided (盗刷 → fraud, severity 1; 扣了两次 → a double charge).
    for (const text of [
      '嚇死，以為信用卡被盜刷，原來是老公買的',
      '吓死我了，以为被扣了两次钱，原来是我自己点了两下',
      'False alarm, the gas smell was my own stove left on low.',
    ])
      expect(read(text), text).to.include({ category: 'OTHER', severity: 4 });
    expect(read('嚇死，以為信用卡被盜刷，原來是老公買的').evidence).to.deep.include({
      kind: 'tone',
      tone: 'falseAlarm',
      term: '原来是老公',
      match: '原来是老公',
    });
    // One that goes on is a complaint still, and so is a mistake the customer first took for their own.
    expect(read('以为是我自己按错了，结果换了手机还是被扣了两次钱').category).to.equal('TD');
    expect(read('我以为是我自己按错了，原来是你们系统重复扣款').category).to.equal('TD');
  });

  it('reads a broken promise asked as a question as a complaint, and a plain question about a plan as an inquiry', function () {
    // Before: 什么时候 and the question mark made it an inquiry; 说好 (as promised) says something went wrong.
    expect(read('退款到底什么时候到账？说好3-5个工作日，今天第12天了').category).to.equal('SP');
    expect(read("What's the difference between the Basic and Plus broadband plans?").category).to.equal('INQ');
    expect(read('Is the hotel shuttle free or paid?').category).to.equal('INQ');
    // A small part that comes off a toy is the product, not a shortage of spare parts; a cake's writing is no book's.
    expect(read('买的儿童积木小零件一拧就掉，两岁的娃差点吞下去')).to.include({ category: 'PQ', severity: 1 });
    expect(read("The cake got tipped over in transit, the writing's all smudged").category).to.equal('LG');
    expect(read("My fridge has been 'awaiting parts' for 6 weeks and we're living out of a cooler").category).to.equal('SP');
  });

  it("reads a book's print, paper and binding as the product, its content as an opinion", function () {
    // Before: 这本书 made each an opinion (OTHER), whatever was wrong with the copy itself.
    for (const text of ['这本书纸质不怎样', '这本书印刷很模糊', '这本书装订很差，一翻就掉页', '这本书错别字太多了'])
      expect(read(text).category, text).to.equal('PQ');
    expect(read('这本书纸质很好，内容一般').category).to.equal('OTHER');
  });

  it('knows the everyday words of a fault and a renewal charge in both languages', function () {
    // Before: these came out as no complaint (OTHER) or an inquiry.
    for (const text of ['the bag is torn', 'the video keeps buffering', 'the app shows an error code', 'the printer jams every page', '视频一直卡'])
      expect(read(text).category, text).to.equal('PQ');
    expect(read('自动续费没提醒').category).to.equal('TD');
  });

  it('reads Hong Kong customers writing Cantonese like their Mandarin neighbours', function () {
    expect(read('訂咗一個禮拜，到而家都冇收到貨').category).to.equal('LG');
    expect(read('新買嘅吸塵機用咗兩日就壞咗').category).to.equal('PQ');
    // Taiwan and Hong Kong words for what the taxonomy says in Mandarin: read and not answered (已讀不回), cheated (呃人).
    expect(read('客服已讀不回三天了，到底有沒有人在處理').category).to.equal('SP');
    expect(read('呢間公司呃人嘅，收咗錢冇人覆我').evidence).to.deep.include({ kind: 'tone', tone: 'negative', term: '骗人', match: '骗人' });
    // 擺爛 (not bothering) is no spoiled food.
    expect(read('買來第二天就壞，超傻眼，店家還擺爛').subcategory).to.not.equal('PQ-02');
  });

  it('tells words that stem alike apart: a reported fault is no reporter, regulations no regulator, a new phone no news', function () {
    // Before: "reporter" matched "reported" (both stem to "report"), so any fault the customer had reported was urgent.
    expect(read('I reported the missing parcel twice and nobody called me back.').severity).to.be.above(2);
    expect(read('The regulations say you must refund me within 14 days.').severity).to.be.above(2);
    expect(read('I will complain to the regulator if this is not fixed.').severity).to.equal(1);
    expect(read('I have contacted a reporter at the local newspaper.').severity).to.equal(1);
    const threats = (text: string) => read(text).evidence.filter((e) => e.kind === 'emotion' && e.cue === 'threat');
    expect(threats('My new phone arrived with a cracked screen.')).to.deep.equal([]);
    expect(threats('I will take this to the TV news.')).to.have.length(1);
  });

  it('files a fault repaired again and again as after-sales service', function () {
    expect(read('热水器修了三次了还是不出热水').category).to.equal('SP');
    expect(read('The oven has had three repairs and it still will not heat.').category).to.equal('SP');
  });

  it('tells a phone battery being charged from money being charged', function () {
    expect(read('Can this speaker be charged with a USB-C cable?').category).to.equal('INQ');
    expect(read('I was charged a fee I never agreed to on my card.').category).to.equal('TD');
  });

  it('reads a so-so verdict ("一般") and advice to book elsewhere as a complaint, not a suggestion', function () {
    expect(read('菜一般，汤也一般').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('建议订别的酒店，这家太糟糕了').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('建议增加夜间配送').category).to.equal('INQ');
  });
});

describe('the shipped taxonomy as written', function () {
  it('lists each term once per list: a term written twice would count twice', function () {
    const config = loadCategoriesFile('config/categories.yaml');
    type Spec = string | { term: string; with?: unknown; without?: unknown; near?: unknown };
    const twice: string[] = [];
    const check = (where: string, list: { zh?: Spec[]; en?: Spec[] } | undefined) => {
      for (const lang of ['zh', 'en'] as const) {
        const seen = new Set<string>();
        for (const t of list?.[lang] ?? []) {
          const key = typeof t === 'string' ? t : JSON.stringify([t.term, t.with, t.without, t.near]);
          if (seen.has(key)) twice.push(`${where} ${lang}: ${key}`);
          seen.add(key);
        }
      }
    };
    for (const c of config.categories) {
      check(c.code, c.keywords);
      for (const s of c.subcategories ?? []) check(s.code, s.keywords);
    }
    check('tone.negative', config.tone.negative);
    check('tone.positive', config.tone.positive);
    check('severity.level1', config.severity.level1);
    check('severity.level2', config.severity.level2);
    expect(twice).to.deep.equal([]);
  });
});
