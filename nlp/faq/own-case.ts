/**
 * A message about the customer's own case, which an FAQ answer cannot settle however well its words match one: a promise
 * already broken ("退款说好3个工作日到账，今天都第9天了", "delivery was promised for the 12th, it's the 19th"), the reason for
 * what happened to them ("为什么我的退货申请被驳回了", "why was my return rejected"), or a demand that someone act ("能不能给个
 * 说法", "这个钱必须退我", "what are you going to do about it"). The customer already knows the general rule the answer gives:
 * a person answers. Works on folded text (simplified, lower case). Pure.
 */
import { chineseNumber } from '../bulk-quantity.js';

/** A promise or an expected time: 说好, 承诺, 预计, promised, supposed to. */
const ZH_PROMISE =
  /说好|承诺|答应|保证|约定|预计|预售说|说是|说会|说给|显示(?:会|将)|客服说|说[0-9一二三四五六七八九十两几]+(?:(?:到|至|-|~)[0-9一二三四五六七八九十两几]+)?(?:个)?(?:工作)?(?:天|日|小时|号)/u;
/** …and the time since: 今天都第9天了, 已经第12天, 现在72小时了, 今天20号了, 一周了还没. */
const ZH_OVERDUE =
  /(?:今天|现在|已经|都|到现在|至今)(?:都|已经)?(?:第)?[0-9一二三四五六七八九十两几]+(?:个)?(?:工作)?(?:天|日|号|小时|周|星期|礼拜|月)(?:了)?|[0-9一二三四五六七八九十两几]+(?:个)?(?:天|周|星期|礼拜|月|小时)了(?:还|都|也)(?:没|不|未)/u;
const EN_PROMISE =
  /\b(promised|confirmed|guaranteed|supposed to|was due|were due|said it would|told me it would|told me i would|you said|your agent said|assured)\b/;
const EN_OVERDUE =
  /\b(it'?s now|it is now|now it'?s|it'?s been|it has been|(?:it'?s|it is|today is) (?:the )?\d{1,2}(?:st|nd|rd|th)|still (?:nothing|not|hasn'?t|haven'?t|no)|nothing has (?:arrived|come|happened)|never (?:arrived|came|happened))\b/;

/**
 * Why a decision went against them: 为什么 … 被驳回/被拒/不给退/没理赔; "why was my return rejected", "why did my claim get
 * denied". Not why something failed or was charged ("why was my card declined", "为什么支付失败"): an FAQ explains those.
 */
const ZH_WHY_MINE = /(?:为什么|为啥|凭什么|凭啥|怎么会)[^,，。!！?？]{0,14}(?:驳回|被拒|拒绝|拒赔|不给|不让|不退|不赔|被取消|没(?:理赔|赔|退|通过|批))/u;
const EN_WHY_MINE = /\bwhy (?:was|were|did|has|have|is|are|does|do)(?: not|n't)? (?:my|our|the|i|you|it|this)\b[^.?!]{0,60}\b(rejected|denied|refused)\b/;

/** Someone must act: a demand, an exception asked for, a claim on money. */
const ZH_DEMAND =
  /给(?:我)?(?:个|一个)?说法|怎么处理|怎么解决|你们看着办|必须(?:退|赔|给|补)|通融|给我补|赔(?:偿)?我|谁签的|谁负责|(?:券|钱|电话|回电|退款|补偿)呢[?？]/u;
const EN_DEMAND =
  /\b(what are you going to do|what will you do about|who is going to|make (?:this|it) right|i demand|i expect (?:a|my|full)|compensat(?:e|ion)|i want (?:my money|a partial|compensation)|sort (?:this|it) out now)\b/;

/** The number a promise or a wait names ("3个工作日", "第9天", "两周" in days), when it names one in days, dates or hours. */
function spanOf(text: string): { n: number; unit: string } | undefined {
  const m = /([0-9]+|[一二三四五六七八九十两]+)(?:(?:到|至|-|~)([0-9]+|[一二三四五六七八九十两]+))?(?:个)?(?:工作)?(天|日|号|小时|周|星期|礼拜)/u.exec(text);
  if (!m) return undefined;
  const raw = m[2] ?? m[1]!;
  const n = /\d/.test(raw) ? Number(raw) : chineseNumber(raw);
  if (n === undefined) return undefined;
  const unit = m[3]!;
  return unit === '周' || unit === '星期' || unit === '礼拜' ? { n: n * 7, unit: '天' } : { n, unit: unit === '日' ? '天' : unit };
}

/** The cue that makes `folded` a message about the customer's own case, or undefined. */
export function ownCaseCue(folded: string): string | undefined {
  const zhPromise = ZH_PROMISE.exec(folded);
  const zhOverdue = zhPromise ? ZH_OVERDUE.exec(folded.slice(zhPromise.index)) : null;
  if (zhPromise && zhOverdue) {
    // "说好7天无理由，现在第3天了还能退吗" is still inside the promise: a general question.
    const promised = spanOf(folded.slice(zhPromise.index, zhPromise.index + zhOverdue.index));
    const waited = spanOf(zhOverdue[0]);
    if (!(promised && waited && promised.unit === waited.unit && waited.n <= promised.n)) return 'broken promise';
  }
  const enPromise = EN_PROMISE.exec(folded);
  if (enPromise && EN_OVERDUE.test(folded.slice(enPromise.index))) return 'broken promise';
  if (ZH_WHY_MINE.test(folded) || EN_WHY_MINE.test(folded)) return 'why, of their own case';
  if (ZH_DEMAND.test(folded) || EN_DEMAND.test(folded)) return 'a demand';
  return undefined;
}
