import { itReadsEach, type Readings } from './expect-reading.js';

/**
 * Whether an everyday message asks or complains, as the shipped taxonomy (config/categories.yaml, no trained model) once
 * misread it: a question about a problem, a wait told as a question, a remedy asked for, rhetorical questions (这不是…吗,
 * 这让人怎么看, 怎么敢卖), A-not-A questions and wishes. Written for this repository, zh / zh-Hant / en; each group is one
 * reading, each case a message and what it must be read as.
 */
const READINGS: Readings = [
  [
    'keeps a question about a flight or a wedding a plain question, not urgent; the same words in a complaint are',
    [
      ['请问明天的航班可以改签吗', { category: 'INQ', urgent: false }],
      ['Can I change my flight tomorrow to the evening one?', { category: 'INQ', urgent: false }],
      ['明天一早的航班，行李箱到现在还没送到', { complaint: true, urgent: true }],
    ],
  ],
  [
    'reads a remedy asked for (a replacement, another one sent) after a fault no list names as a complaint, not an inquiry',
    [
      ['杯垫上印的图案歪了一大块，能给我换一个吗', { complaint: true }],
      ['One of the chair legs is shorter than the others, could you send another?', { complaint: true }],
    ],
  ],
  [
    'reads a question asked twice in a row as exasperation, not an inquiry',
    [
      ['鞋子两只颜色不一样？？？', { complaint: true }],
      ['Paying for that??', { complaint: true }],
      ['Can I change my delivery address?', { category: 'INQ' }],
    ],
  ],
  [
    'reads a shouted question (？！, ?!) as exasperation, not an inquiry',
    [
      ['这么小的橙子也好意思叫大果吗？！以后不买了', { complaint: true }],
      ['You call this a family-size pizza?!', { complaint: true }],
      ['请问大果装有多大？', { category: 'INQ' }],
      // "Why would…" about a charge is a grievance, not a question.
      ['退了货为什么还会扣钱？', { complaint: true }],
      ['为什么会员价没显示？', { category: 'TD' }],
    ],
  ],
  [
    'reads a wish put as "要是能…就好了" / "any plans to…" as a suggestion',
    [
      ['商场的座椅要是能宽一点就好了', { category: 'INQ' }],
      ['Any plans to open a store in Leeds?', { category: 'INQ' }],
    ],
  ],
  [
    'hears the question mark that ends an English question, and a "why" about a problem as a complaint',
    [
      // The "?" touches the word before it: it was taken for part of a word, like "vip" inside "vipshop".
      ['Where is the store?', { category: 'INQ' }],
      ['Is the blender dishwasher safe?', { category: 'INQ' }],
      ['Why has my parcel been out for delivery for five days?', { category: 'LG' }],
    ],
  ],
  [
    'reads a wait told with the question ("已经五天了", "it has been two weeks") as a complaint, and a plain question as one',
    [
      ['我的快递到哪了？已经五天了', { category: 'LG' }],
      ['Where is my parcel? It has been two weeks.', { category: 'LG' }],
      ['Where is my parcel? It’s been two weeks.', { category: 'LG' }],
      // Time of use told with praise is no wait.
      ['已经三个月了，效果很好，还会回购', { category: 'OTHER' }],
      ['Been using it for 3 weeks now, love it!', { category: 'OTHER' }],
      ['It has been two weeks since I started this serum and my skin looks amazing.', { category: 'OTHER', severity: 4 }],
      ['怎么申请发票？', { category: 'INQ' }],
      ['这个充电器支持快充吗？', { category: 'INQ' }],
    ],
  ],
  [
    'reads "why was my order cancelled?", "还管不管？" and "快点发货" as complaints',
    [
      ['为什么我的订单被取消了？', { complaint: true }],
      ['Why was my order cancelled without notice?', { complaint: true }],
      ['你们到底还管不管？', { complaint: true }],
      // The same words in a plain question keep it a question.
      ['请问这个旅游团管不管饭？', { category: 'INQ' }],
      ['你们双十一搞什么活动？', { category: 'INQ' }],
      ['Can I cancel my subscription without notice?', { category: 'INQ' }],
      ['这款卖完就不卖了吗，还会补货吗', { category: 'INQ' }],
      ['能不能快点发货啊，等着用', { category: 'LG' }],
    ],
  ],
  [
    'reads an A-not-A question (好不好用, 能不能用) as a question, not as the negative half of it',
    [
      // Bought for someone else, not tried: no complaint about the goods.
      ['帮同事代买的，好不好用不清楚', { category: 'OTHER' }],
      ['同事帮忙点的，我也不知道好不好吃', { category: 'OTHER' }],
      ['这个水壶好不好用啊', { notCategory: 'PQ' }],
      // The statement itself is still a complaint, and so is a real defect beside such a question.
      ['这个水壶不好用', { category: 'PQ' }],
      ['水壶用了两天就漏水，也不知道能不能修', { category: 'PQ' }],
    ],
  ],
  [
    'reads a rhetorical "这不是…吗" as asserting what it names, a plain "不是…" as denying it',
    [
      ['买手机非要加钱买他们的保险，这不是强买强卖吗', { category: 'RL' }],
      ['外卖迟到了半小时，不过不是什么大问题', { notCategory: 'RL' }],
      ['商家说这不是质量问题，不给退', { notCategory: 'OTHER' }],
    ],
  ],
  [
    'reads a coating that comes off as the goods, and "让我怎么跟客户交代" as a customer left stuck, not a question',
    [
      ['电饭煲内胆涂层一块块掉，煮的饭里都是黑渣，这吃下去没事吗？', { category: 'PQ' }],
      ['上百份年货礼盒要在年前送到客户手里，现在一半还在路上没动静，你们让我怎么跟客户交代', { category: 'LG' }],
      ['请问让我怎么操作退款？', { category: 'INQ' }],
    ],
  ],
  [
    'reads a question word inside a rhetorical phrase ("这让人怎么看") as asking nothing, and false advertising of a spec as the goods',
    [
      ['第87页到118页整个没有，中间直接跳过去了，这让人怎么看', { category: 'PQ' }],
      ['这书让人怎么看得懂？请问有没有注释版', { category: 'INQ' }],
      ['宣传是固态硬盘，拆开一看装的是机械的，完全是虚假宣传', { category: 'PQ', subcategory: 'PQ-07' }],
    ],
  ],
  [
    'reads "怎么敢卖" as outrage, not a question, and marketing texts that never stop as a privacy matter',
    [
      ['玩具上的小零件一拽就掉，我女儿塞嘴里卡住喉咙，这种东西怎么敢卖给3岁小孩？', { category: 'PQ', urgent: true }],
      ['天天被你们营销短信轰炸，烦死了，退订回复T也没用', { category: 'RL' }],
      ['请问营销短信怎么退订', { category: 'INQ' }],
    ],
  ],
  [
    'reads a one-clause yes/no question about what a thing is like before buying it as an inquiry; asked rhetorically, or after telling what happened, a complaint',
    [
      ['这款鞋尺码偏大吗？', { category: 'INQ' }],
      ['这件衣服偏小吗', { category: 'INQ' }],
      ['质量这么差吗？', { complaint: true }],
      ['衣服洗了一次就掉色，还会继续掉色吗？', { complaint: true }],
      ['收到的书封面有折痕，能换一本吗', { complaint: true }],
      ['鞋子偏大，能换小一码吗？', { complaint: true }],
      ['我被骗了吗', { complaint: true }],
      ['太慢了吗', { complaint: true }],
    ],
  ],
  [
    'reads a problem that came back, asked about (又 / again), as exasperation, a complaint; a wish to do something again stays a question',
    [
      ['快递又丢了吗？', { category: 'LG' }],
      ['怎么又坏了？', { category: 'PQ', byRules: true }],
      ['怎么又没送到？', { category: 'LG' }],
      ['Is it broken again?', { complaint: true }],
      ['Is it still under warranty?', { category: 'INQ' }],
      ['Can I order the same thing again?', { category: 'INQ' }],
      ['Can you send the confirmation email again?', { category: 'INQ' }],
    ],
  ],
  [
    "reads a question said with a word of a bad experience beside a named problem as a complaint, however many question words it has; a request after the customer's own slip stays a question",
    [
      ['米饭这么少，怎么吃？', { category: 'PQ' }],
      ['电影院空调开太低了，冻死人了，能不能调高点', { category: 'PQ' }],
      ['咱包装的时候能认真点么？酱料全洒了', { complaint: true }],
      ['I ordered the wrong size, can I exchange it?', { category: 'INQ' }],
      ['自己选错尺码了，请问怎么换货？', { category: 'INQ' }],
      ['请问积分能在门店用吗', { category: 'INQ' }],
      ['Why does your app need my fingerprint just to book a table?', { category: 'RL' }],
    ],
  ],
];

describe('the shipped taxonomy on whether an everyday message asks or complains', function () {
  itReadsEach(READINGS);
});
