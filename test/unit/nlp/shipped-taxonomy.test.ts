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

  it('reads venting with no topic word as a complaint about the goods', function () {
    expect(read('这次真的是买了个寂寞').category).to.equal('PQ');
    expect(read('用了两天就怀疑人生了').category).to.equal('PQ');
    expect(read('The blender is a disaster, driving me crazy.').category).to.equal('PQ');
  });

  it('files the problem a customer names, not the "骗子" / "scam" they call it', function () {
    expect(read('葡萄酸得没法吃，黑店！').category).to.equal('PQ');
    expect(read('说是纯棉的，洗一次就起球，被骗了').category).to.equal('PQ');
    expect(read('This face cream gave me a rash. Total scam.').category).to.equal('PQ');
    // Money taken and the shop gone is fraud, whatever else is said.
    expect(read('美容院收了年卡的钱就跑路了，骗子').category).to.equal('RL');
    // 强迫症 is a figure of speech, not a forced purchase.
    expect(read('屏幕有个坏点，强迫症看着难受').category).to.equal('PQ');
  });

  it('reads a question asked twice in a row as exasperation, not an inquiry', function () {
    expect(read('鞋子两只颜色不一样？？？').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('Paying for that??').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('Can I change my delivery address?').category).to.equal('INQ');
  });

  it('does not take "help" for praise: only "helpful" said of someone is', function () {
    expect(read('I asked for help three times and got nothing.').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('Your support refuses to help.').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('The agent was not helpful at all.').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('The app is not helpful at all.').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('The staff were very helpful, thanks!').category).to.equal('OTHER');
  });

  it('reads a wish put as "要是能…就好了" / "any plans to…" as a suggestion', function () {
    expect(read('商场的座椅要是能宽一点就好了').category).to.equal('INQ');
    expect(read('Any plans to open a store in Leeds?').category).to.equal('INQ');
  });

  it('reads Taiwan words for accounts and appliances as their mainland forms (帳號 = 账号, 冷氣 = 空调)', function () {
    expect(read('我的帳號被盜了，有人用我的帳戶下單')).to.include({ category: 'RL', severity: 1 });
    expect(read('冷氣吹不涼，叫人來修也沒用').category).to.not.be.oneOf(['OTHER', 'INQ']);
    // Points that expire are the loyalty scheme, not spoiled goods; staff who obstruct a cancellation are service.
    expect(read('點數過期也沒通知，一下子少了兩千點')).to.include({ category: 'TD', severity: 3 });
    expect(read('健身房會籍想解約，一直被刁難').category).to.equal('SP');
    expect(read('洗衣機脫水的時候震得很大聲').category).to.equal('PQ');
  });

  it('knows everyday words of a fault and of a service let-down, in English and Chinese', function () {
    expect(read('The headphones crackle in the left ear.').category).to.equal('PQ');
    expect(read('Your website keeps timing out when I try to pay.').category).to.equal('PQ');
    // A pending insurance claim is a slow process, not a product "not as claimed".
    expect(read('The insurance claim has been pending for two months.').category).to.equal('SP');
    expect(read('My bank froze my account without explanation.').category).to.equal('SP');
    expect(read('The hotel gave away our room even though we had a confirmed booking.').category).to.equal('SP');
    expect(read('The tour guide abandoned our group at the museum.').category).to.equal('SP');
    expect(read('耳机有电流声，滋滋响').category).to.equal('PQ');
    expect(read('导游中途把我们扔下自己走了').category).to.equal('SP');
    expect(read('酒店把我们订的房间给了别人').category).to.equal('SP');
    expect(read('快递柜超时收费，才放了半天').category).to.equal('TD');
  });

  it('hears the question mark that ends an English question, and a "why" about a problem as a complaint', function () {
    // The "?" touches the word before it: it was taken for part of a word, like "vip" inside "vipshop".
    expect(read('Where is the store?').category).to.equal('INQ');
    expect(read('Is the blender dishwasher safe?').category).to.equal('INQ');
    expect(read('Why has my parcel been out for delivery for five days?').category).to.equal('LG');
  });

  it('reads praise in its everyday idioms as no complaint', function () {
    expect(read('The staff at the front desk went above and beyond.').category).to.equal('OTHER');
    expect(read('這次的服務真的沒話說，大推').category).to.equal('OTHER');
    expect(read('宝贝收到了，质量超出预期').category).to.equal('OTHER');
  });

  it("takes a child's car seat or brakes that failed as a safety matter, and a loose cover as none", function () {
    expect(read('The car seat buckle snapped during a sudden stop.').severity).to.equal(1);
    expect(read('The brakes on my new bike failed going downhill.').severity).to.equal(1);
    expect(read('The car seat cover is a bit loose.').severity).to.be.above(2);
    // A Taiwanese bank's flagged account (警示帳戶) holds the customer's salary: service, urgent.
    expect(read('銀行說我的帳戶被列為警示帳戶，薪水進不來')).to.include({ category: 'SP', severity: 2 });
  });

  it('tells a top-up that never arrived from a parcel, and a sale tied to another from the service it withholds', function () {
    expect(read('充了话费一直没到账').category).to.equal('TD');
    expect(read('快递三天了还没到').category).to.equal('LG');
    expect(read('不办他们的套餐就不给装宽带').category).to.equal('RL');
    expect(read('I was told I must buy the extended warranty to get the discount.').category).to.equal('RL');
    expect(read('I must buy a new charger, this one broke.').category).to.equal('PQ');
    expect(read('They sent the blue one instead of the red one.').category).to.equal('LG');
    // British English: a boiler that has packed in, a part that fell off, a household cut off.
    expect(read("The boiler's packed in again, third time this winter.").category).to.equal('PQ');
    expect(read("The kettle's limescale filter fell off inside, bits in my tea.")).to.include({ category: 'PQ', severity: 3 });
    expect(read('My daughter fell off the faulty bunk bed ladder.').severity).to.equal(1);
    expect(read("I've been cut off even though my bill's paid.").category).to.equal('PQ');
    expect(read("The pharmacy gave me someone else's prescription.").severity).to.equal(1);
    expect(read('I got a call instead of an email about my order.').subcategory).to.not.equal('LG-04');
    expect(read('东西一般，不开心，就不给好评了').category).to.not.equal('RL');
    expect(read('微信收红包一直显示失败').category).to.not.equal('RL');
  });

  it('reads Hong Kong and Taiwan complaints of harm, a school gone with the fees and a contract stretched without asking', function () {
    expect(read('醫美診所打完針臉腫起來').severity).to.equal(1);
    expect(read('補習班收了學費就倒閉了').category).to.equal('RL');
    expect(read('健身房私自延長合約還扣款').category).to.equal('RL');
    expect(read('網購嘅波鞋一隻大一隻細').category).to.equal('PQ');
  });

  it('tells the senses of everyday English apart: mobile data, power that has gone off, a callback that never came', function () {
    expect(read('My mobile data runs out way faster than it should.').category).to.equal('PQ');
    expect(read('The power has gone off five times this week.').subcategory).to.not.equal('PQ-02');
    expect(read('The milk had gone off.').subcategory).to.equal('PQ-02');
    expect(read('Housekeeping never came in four days.').category).to.not.equal('LG');
    expect(read('My parcel never came.').category).to.equal('LG');
    expect(read('My meter reading is wrong and I am being overbilled.').category).to.equal('TD');
    expect(read('The tutor keeps cancelling lessons last minute.').category).to.equal('SP');
  });

  it('reads a booked room swapped, a bribe asked for and a double charge in everyday Chinese', function () {
    expect(read('订的海景房给我换成了山景').category).to.equal('SP');
    expect(read('驾校教练收红包，不给就不让过').category).to.equal('RL');
    expect(read('共享单车扣了我两次费').category).to.equal('TD');
    expect(read('抢到一个红包，谢谢').category).to.equal('OTHER');
  });
});

describe('the shipped taxonomy on questions that complain', function () {
  const read = (text: string) => engine.analyze({ text });

  it('reads a wait told with the question ("已经五天了", "it has been two weeks") as a complaint, and a plain question as one', function () {
    expect(read('我的快递到哪了？已经五天了').category).to.equal('LG');
    expect(read('Where is my parcel? It has been two weeks.').category).to.equal('LG');
    expect(read('Where is my parcel? It’s been two weeks.').category).to.equal('LG');
    // Time of use told with praise is no wait.
    expect(read('已经三个月了，效果很好，还会回购').category).to.equal('OTHER');
    expect(read('Been using it for 3 weeks now, love it!').category).to.equal('OTHER');
    expect(read('It has been two weeks since I started this serum and my skin looks amazing.')).to.include({ category: 'OTHER', severity: 4 });
    expect(read('怎么申请发票？').category).to.equal('INQ');
    expect(read('这个充电器支持快充吗？').category).to.equal('INQ');
  });

  it('reads "why was my order cancelled?", "还管不管？" and "快点发货" as complaints', function () {
    expect(read('为什么我的订单被取消了？').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('Why was my order cancelled without notice?').category).to.not.be.oneOf(['OTHER', 'INQ']);
    expect(read('你们到底还管不管？').category).to.not.be.oneOf(['OTHER', 'INQ']);
    // The same words in a plain question keep it a question.
    expect(read('请问这个旅游团管不管饭？').category).to.equal('INQ');
    expect(read('你们双十一搞什么活动？').category).to.equal('INQ');
    expect(read('Can I cancel my subscription without notice?').category).to.equal('INQ');
    expect(read('这款卖完就不卖了吗，还会补货吗').category).to.equal('INQ');
    expect(read('能不能快点发货啊，等着用').category).to.equal('LG');
  });
});

describe('the shipped taxonomy on alarm words said of something else', function () {
  const read = (text: string) => engine.analyze({ text });

  it('keeps figures of speech and fruit out of the urgent queue, and the harm they name in it', function () {
    expect(read('This shampoo left my hair like straw. Total scam, do not buy.').severity).to.be.above(2);
    expect(read('I was scammed out of 500 dollars by a fake support agent.').severity).to.equal(1);
    expect(read('外送等了一個多小時，餓到快昏倒了').severity).to.be.above(2);
    expect(read('我妈突然昏倒了，吃了你们的药之后').severity).to.equal(1);
    expect(read('Mango box arrived with 3 bruised ones.').severity).to.be.above(2);
    expect(read('I slipped on your wet floor and my knee is badly bruised.').severity).to.equal(1);
    expect(read('米饭硬得像石子，难吃').severity).to.be.above(2);
    expect(read('米饭里吃出了石子，牙都硌疼了').severity).to.be.at.most(2);
    expect(read('The hotel bathtub had hair in it.').severity).to.be.above(2);
    expect(read('There was a hair in my soup.').severity).to.be.at.most(2);
    // The vetoes belong to the word, not to the message: real harm beside them keeps its level.
    expect(read('Not really sure how, but I was scammed out of 300 pounds by someone posing as your support.').severity).to.equal(1);
    expect(read("My son's arm is badly bruised after the fruit display shelf collapsed on him.").severity).to.equal(1);
    expect(read('米饭里吃出了石子，硬得像石头一样，牙都硌疼了').severity).to.be.at.most(2);
    expect(read('这个App越来越臃肿，流量很快就用完了').severity).to.be.above(2);
    expect(read('This shampoo is a scam, my hair feels worse.').severity).to.be.above(2);
  });
});

describe('the shipped taxonomy on Hong Kong Cantonese', function () {
  const read = (text: string) => engine.analyze({ text });

  it('reads a fridge that broke down, a rude clerk, an overcharge, a swiped card and dead broadband as Hong Kong customers write them', function () {
    expect(read('部雪櫃死火咗，啲餸全部壞晒').category).to.equal('PQ');
    expect(read('職員好串，激嬲我').category).to.equal('SP');
    expect(read('張單計多咗我兩百蚊').category).to.equal('TD');
    expect(read('買咗三日部機已經開唔到').category).to.equal('PQ');
    expect(read('點解我張信用卡會俾人碌咗三千蚊？')).to.include({ category: 'RL', severity: 1 });
    expect(read('寬頻慢到死，上網都上唔到').category).to.equal('PQ');
    expect(read('訂咗嘅枱俾人坐咗，間餐廳話冇記錄').category).to.equal('SP');
    expect(read('件貨同網上張相差好遠').category).to.equal('PQ');
    expect(read('你哋啲app又update咗，用唔到').category).to.equal('PQ');
    expect(read('啲藥過咗期都仲賣').category).to.equal('PQ');
    // Queueing to see a doctor is a wait, not harm; seeing one after eating is.
    expect(read('睇醫生排咗三個鐘').severity).to.be.above(2);
    expect(read('吃完拉肚子去看医生了').severity).to.equal(1);
    // Taiwan wording: 綁約 forced on the customer, 煞車 (刹车) that failed, a wrong vaccine.
    expect(read('電信門市硬要我綁約才給優惠').category).to.equal('RL');
    expect(read('機車行修完車後煞車失靈').severity).to.equal(1);
    expect(read('診所打錯疫苗，也不說明').severity).to.equal(1);
  });
});

describe('the shipped taxonomy as written', function () {
  it('lists each term once per list: a term written twice would count twice', function () {
    const config = loadCategoriesFile('config/categories.yaml');
    type Spec = string | { term: string; with?: unknown; without?: unknown };
    const twice: string[] = [];
    const check = (where: string, list: { zh?: Spec[]; en?: Spec[] } | undefined) => {
      for (const lang of ['zh', 'en'] as const) {
        const seen = new Set<string>();
        for (const t of list?.[lang] ?? []) {
          const key = typeof t === 'string' ? t : JSON.stringify([t.term, t.with, t.without]);
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
