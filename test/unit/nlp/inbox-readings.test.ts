import { itReadsEach, type Readings } from './expect-reading.js';

/**
 * What the shipped taxonomy (config/categories.yaml and the shipped category model) read wrong in a support inbox's
 * messages, found on 2026-12-08 in the misreads of a thirteenth author's tuning set
 * (test/fixtures/nlp/thirteenth-author-tune.jsonl). The messages below are written for this test, not taken from a set;
 * each group is one reading, each case a message and what it must be read as.
 */
const READINGS: Readings = [
  [
    "reads the staff saying it was the writer's doing as the staff's claim, not the writer's slip; and the writer's own quick action beside a fire as no praise",
    [
      ['我从没订过什么会员服务，每月扣我20，客服非说是我自己点的', { complaint: true }],
      ['热水壶烧着烧着冒烟了，幸好我及时拔了插头，要求退货', { category: 'PQ', severity: 1 }],
    ],
  ],
  [
    'reads rules and terms "written" unclearly as the seller\'s, a discount not given at the till as a promotion dispute, and a whole street without power as a mass outage',
    [
      ['满50减10，结算的时候没减，活动规则写得不清不楚', { category: 'TD' }],
      ['不是说全场九折吗？为什么结账没有打折？', { category: 'TD' }],
      ['整条街停电八个小时了，热线一直占线', { severity: 1 }],
    ],
  ],
  [
    'reads an opinion said as one ("纯个人口味", "just my opinion, no need to reply") as no complaint, a translation that reads like a machine\'s as an opinion on a book, and thanks for an auto-reply weeks old as sarcasm',
    [
      ['新口味的奶茶我觉得偏甜，纯个人口味，不用回复', { category: 'OTHER' }],
      ['The new app icon looks worse than the old one, just my opinion, no need to reply.', { category: 'OTHER' }],
      ['这本小说翻译太生硬了，像机翻', { category: 'OTHER' }],
      ['Thanks for your auto-reply saying you would answer within 48 hours. That was two weeks ago.', { category: 'SP' }],
      ['This is an automatic reply: I am on leave until the 3rd.', { category: 'OTHER' }],
    ],
  ],
  [
    'reads a "sorry we missed you" card left while the customer was in as a failed delivery, and furniture knocked into a door frame by the delivery men as damage by the carrier',
    [
      ["I was home all day, nobody knocked, and there's a 'sorry we missed you' card in the letterbox.", { category: 'LG' }],
      ["I was in all afternoon and the driver didn't knock, the parcel went back to the depot.", { category: 'LG', subcategory: 'LG-02' }],
      ['送货师傅搬沙发把门框撞掉一块漆', { category: 'LG', subcategory: 'LG-03' }],
    ],
  ],
  [
    'reads a rhetorical question inside a complaint as exasperation, not an inquiry ("这叫纯棉？", "我是来…的吗", "Is this your company policy?", "How to … like this?"), and a question whether personal data was sold as privacy; a real question stays one',
    [
      ['详情页写的是纯棉，洗一次就起球，这叫纯棉？', { category: 'PQ' }],
      ['进门半小时全是推销，我是来听推销的吗', { complaint: true }],
      ['刚在你们门店登记了电话，第二天就一堆贷款电话，是不是把我的资料卖了？', { category: 'RL', subcategory: 'RL-01' }],
      ['The courier wanted 100 rupees extra to carry it upstairs. Is this your company policy?', { complaint: true }],
      ['We ordered 50 mugs for the office and the print is smudged on half of them. How to give these out like this?', { category: 'PQ' }],
      ['这个东西叫什么名字？', { category: 'INQ' }],
      ['Do you have a case like this in blue?', { category: 'INQ' }],
    ],
  ],
];

describe("the shipped taxonomy on a support inbox's messages", function () {
  itReadsEach(READINGS);
});
