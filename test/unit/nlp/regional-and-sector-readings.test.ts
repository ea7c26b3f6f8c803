import { itReadsEach, type Readings } from './expect-reading.js';

/**
 * How customers of other places and sectors write what the shipped taxonomy (config/categories.yaml, no trained model)
 * once misread: Hong Kong Cantonese, Taiwan, Indian and Singapore English, and services no tuning set covered (salons,
 * laundries, vets, removals, bike sharing, renovation), found by probes and by the tenth author's and C3's misreads on
 * 2026-12-07. Written for this repository; each group is one reading, each case a message and what it must be read as.
 */
const READINGS: Readings = [
  [
    "reads Hong Kong, Indian and Singapore phrasings: a parcel said delivered that nobody brought, a dryer with no air, an aircon not cold, a call nobody picks, a complaint nobody reverts on, money debited for a recharge not done, GST charged two times; a term's words are never read across a sentence end",
    [
      ['我嘅包裹話送咗，但係我成日喺屋企都冇人嚟過', { category: 'LG', subcategory: 'LG-02' }],
      ['買咗部風筒用咗兩日就冇風', { category: 'PQ', subcategory: 'PQ-05' }],
      ['Aircon not cold at all, already service last week also same', { category: 'PQ', subcategory: 'PQ-05' }],
      ['Customer care is not picking the call since morning', { category: 'SP', subcategory: 'SP-05' }],
      ['I have raised the complaint 3 times but no one is revert back', { category: 'SP', subcategory: 'SP-05' }],
      ['Sir, amount debited but recharge not done. Please refund asap.', { category: 'TD', subcategory: 'TD-08' }],
      ['Why you charge me GST two times on the bill?', { category: 'TD', subcategory: 'TD-08' }],
      ["Someone accessed my account and changed my password, I can't log in and there were purchases I didn't make.", { category: 'RL', severity: 1 }],
      ['Hi, do you price match with other stores?', { category: 'INQ' }],
    ],
  ],
  [
    "reads senses and Cantonese the tenth author's messages showed: food cold on the way, not a flask that does not keep warm; a date not yet reached is no late parcel; patience asked of the customer is no praise; a lift written 𨋢 traps people (severity 1); a refund asked after with 到底 or after 14 working days is a complaint",
    [
      ['保温杯根本不保温，开水倒进去两个小时就凉透了。', { category: 'PQ' }],
      ['外卖送到的时候饭菜都凉透了', { category: 'LG', subcategory: 'LG-05' }],
      ['买的鲜牛奶日期还没到就结块发酸', { category: 'PQ' }],
      ['物流信息三天没更新了，客服只会说耐心等待。', { category: 'LG' }],
      ['成棟大廈停咗電，𨋢入面仲困住個阿伯', { severity: 1 }],
      ['请问一下，我上个月提交的退款到底还退不退了？', { category: 'SP' }],
      ['請問退款到底什麼時候會入帳？已經過了14個工作天。', { category: 'SP' }],
      ['请问这两款到底有什么区别？', { category: 'INQ' }],
      ['請問退款大概多久會入帳？', { category: 'INQ' }],
    ],
  ],
  [
    'reads words of more sectors: an earphone with 没声, a treadmill belt that 打滑, a banking app 系统繁忙, coffee like 刷锅水, fees still taken after cancelling (照扣), luggage that never came out, a parcel returned for its address, a vase 碎成三块 on arrival, a courier who scolds, an app that logs the user out, a purchase forced as a condition, a flood-damaged car, a smell of gas, a wrong prescription and a high fever turned away (severity 1)',
    [
      ['耳机左耳时不时没声，重新配对也没用。', { category: 'PQ' }],
      ['这家的咖啡越来越水，喝着像刷锅水。', { category: 'PQ' }],
      ['退了会之后健身中心照扣了我两个月月费', { category: 'TD' }],
      ['落地两小时了行李还没出来，转盘都停了。', { category: 'LG' }],
      ['My luggage never come out at Changi, I fly again tomorrow for work and everything is inside.', { category: 'LG' }],
      ['买的花瓶到手碎成三块，外面就裹了一层薄膜。', { category: 'LG' }],
      ['Delivery guy scold me because the lift spoil and he must climb, not my fault what.', { category: 'LG', subcategory: 'LG-06' }],
      ["Tutoring app keeps logging my son out mid-session, he's lost his practice test twice.", { category: 'PQ' }],
      ['Gym made me sign up to their supplement plan to get the joining discount.', { category: 'RL' }],
      ['Smelled gas by the new boiler your engineer fitted yesterday, we have left the house.', { severity: 1 }],
      ["The pharmacy gave me my neighbour's prescription and I took two pills.", { severity: 1 }],
      ['孩子高烧四十度，诊所前台说没预约不给看', { severity: 1 }],
      ['麦克风没声音，插上也没反应', { category: 'PQ' }],
    ],
  ],
  [
    'reads written Cantonese complaints whose words Mandarin spells otherwise: shoes that 爆咗, a phone that 充唔到電, bruised apples (撞瘀), a noisy aircon (好嘈, 瞓唔到覺), bland coffee (好淡), being passed around (踢嚟踢去)',
    [
      ['對鞋著咗兩日就爆咗', { category: 'PQ' }],
      ['部手機充唔到電', { category: 'PQ' }],
      ['蘋果好多都撞瘀咗', { category: 'PQ' }],
      ['冷氣機好嘈，瞓唔到覺', { category: 'PQ' }],
      ['咖啡凍冰冰，仲好淡', { category: 'PQ' }],
      ['打去問佢哋又話唔知，踢嚟踢去', { category: 'SP' }],
      ['手機螢幕莫名其妙出現綠線', { category: 'PQ', subcategory: 'PQ-11' }],
      ['美发店办卡时说打五折，结果结账按原价', { category: 'TD' }],
      ['洗衣店把我的白衬衫洗成了粉色', { category: 'PQ' }],
      ['干洗店说三天取，结果一个星期了还没洗好', { complaint: true }],
      ['共享单车明明锁了还一直在计费，扣了我40块', { category: 'TD' }],
      ['装修完家里甲醛超标，孩子住进去一直咳嗽', { urgent: true }],
      ['The mascara made my eyes sting and water all day.', { category: 'PQ' }],
      ['郵局寄失咗我封掛號信', { category: 'LG', subcategory: 'LG-02' }],
      ['托嬰中心的老師對小孩大小聲', { category: 'SP', subcategory: 'SP-02', byRules: true }],
      ['共享機車電量顯示滿電，騎不到五公里就沒電', { category: 'PQ' }],
      ['獸醫診所等咗兩個鐘都未有人理', { category: 'SP' }],
      ['驾校报名时说包过，挂科了补考还要另交钱', { category: 'TD' }],
      ['打车软件显示35元，下车扣了58', { category: 'TD' }],
      ['网约车司机一路开得很猛，我吓坏了', { complaint: true }],
      ['新房子墙皮一块块往下掉', { category: 'PQ' }],
      ['12点下的单子，下午2点还没有起送！', { category: 'LG', subcategory: 'LG-01' }],
      ["The new sofa's cushions have gone flat after a month.", { category: 'PQ' }],
      ['My furniture delivery was rescheduled three times without asking me.', { category: 'LG' }],
      ['Your call centre keeps transferring me between departments.', { category: 'SP' }],
    ],
  ],
  [
    'reads how reviews name a wrong item sent (要的是 X，送的是 Y; 错码), money not back after a return (没返钱), coarse make (很糙) and food gone mushy or dried out',
    [
      ['我点的是牛肉面，结果送的是鸡肉面', { category: 'LG', subcategory: 'LG-04' }],
      ['错码了，还得自己寄回去换', { category: 'LG', subcategory: 'LG-04' }],
      ['送的是热的，很满意', { category: 'OTHER' }],
      ['我要的是牛肉饭，结果送的是鸡肉饭。鸡肉饭味道还行吧', { category: 'LG', subcategory: 'LG-04' }],
      ['送餐很快，但凉皮没有任何味道', { category: 'PQ', subcategory: 'PQ-04' }],
      ['退了货半个月，到现在还没返钱', { category: 'SP', subcategory: 'SP-04' }],
      ['这个包做工很糙，线头到处都是', { category: 'PQ' }],
      ['炒饭粘糊糊的，像没炒开', { category: 'PQ' }],
      ['买的苹果放了两天就没水分了', { category: 'PQ' }],
    ],
  ],
];

describe('the shipped taxonomy on the wording of other places and sectors', function () {
  itReadsEach(READINGS);
});
