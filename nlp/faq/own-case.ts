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
  /给(?:我)?(?:个|一个)?说法|怎么处理|怎么解决|你们看着办|必须(?:退|赔|给|补|承担)|通融|破例|给我补|赔(?:偿)?我|谁签的|谁负责|(?:券|钱|电话|回电|退款|补偿)呢[?？]|(?:^|[\s,，。!！?？、])人呢|(?<!有)货呢|不认/u;
const EN_DEMAND =
  /\b(what are you going to do|what will you do about|give me (?:at least|back my money|my money back)|who is going to|make (?:this|it) right|i demand|(?<!(?:can|could|should|would|will|when|do|to) )i expect (?:a|my|full)|compensat(?:e|ion)|i want (?:my money|a partial|compensation)|sort (?:this|it) out now)\b/;

/**
 * A request that someone act on their case, not a question of how something works: 帮我催一下, 给我换, 可以直接帮我退款吗,
 * 找你们经理, "can someone fix this", "could you sort out…", "call me back". Left out: looking something up (帮我查一下,
 * 帮我看看我的快递到哪了, "could you check where my parcel is") and changing what they can change themselves (能帮我改一下
 * 地址吗, "could you correct the address"): the FAQ says where and how; and asking for information ("could you tell me
 * where…", "can you let me know when…").
 */
const ZH_ACT =
  /帮(?:我|忙)?(?:催|退|修|处理|核实|补|换|重新|免费)|可以直接[^,，。]{0,4}退|给我(?:退|换|补|赔|重新)|(?:请|尽快|马上|立刻|立即|今天|赶紧)[^,，。]{0,3}(?:联系|回电话?给|打电话给)我|(?:找|叫|要)(?:你们)?(?:的)?(?:负责人|主管|经理)|(?:负责人|主管|经理)[^,，。]{0,4}(?:联系|出来|回电|打电话)/u;
const EN_ACT =
  /\b(?:can|could|would|will) (?:you|someone|somebody|anyone)(?: please| just| kindly| at least)? (?:look into|fix|sort|refund|call|ring|contact|hold|resend|re-send|make an exception|waive|reverse|escalate|investigate|reissue|re-issue)\b|\bcall me back\b|\bcontact me\b|\b(?:speak|talk) to (?:a|your) (?:manager|supervisor)\b|\bi want (?:a|your) (?:manager|supervisor)\b|\b(?:reviewed|escalated) (?:by|to) a (?:manager|supervisor)\b/;

/** Money taken that they dispute: charged twice, charged after cancelling, charged more than the page said. */
const ZH_CHARGE = /多扣|扣了(?:两|2)次|扣了两笔|两笔都扣|重复扣|扣两次|多收|乱扣|多了一笔|又被扣|(?:取消|退订|关了|关闭)[^。！？!?]{0,12}扣/u;
const EN_CHARGE =
  /\bcharged me\b|\b(?:i|we) (?:was|were|got|have been|'ve been|been) (?:charged|billed)\b|\bwhy (?:was|were|am|have) (?:i|we) (?:been )?(?:charged|billed)\b|\byou (?:charged|billed)\b|\b(?:billed|charged) (?:me )?(?:\$|¥|£|€)?\d|\bdouble[- ]charge|\b(?:charged|billed) (?:me )?twice\b/;

/**
 * What they tried failed: 申请了三次都失败, 提交一直报错, 点了没反应, "won't let me", "the app crashes". A payment that fails
 * is left out (the FAQ says what to check); so is a plain "it doesn't work".
 */
const ZH_FAILED = /(?:申请|提交|点了?|开票|操作|送出)[^,，。.!！?？]{0,10}(?:失败|报错|错误|没反应|没有反应|不了)/u;
const EN_FAILED = /\bwon'?t let me\b|\bjust spins\b|\bcrash(?:es|ed|ing)?\b/;

/** Escalation threatened: 12315, 消协, 消保官, a lawyer, a chargeback, "再不退我就…". */
const ZH_THREAT = /12315|315投诉|消协|消保|消基会|消委会|工商局|市场监管|律师|起诉|法院|黑猫|申诉|(?:再不|不然|否则)[^。！？!?]{0,15}(?:我就|就去)/u;
const EN_THREAT =
  /\bchargeback\b|\bdispute (?:it|this|the charge)? ?with\b|\bconsumer (?:association|council|rights|protection)\b|\btrading standards\b|\blawyer|\bsue you\b|\bsmall claims\b|\blast warning\b/;

/**
 * A wait past due, told with what has still not happened: 已经一周了还没退, 一直没收到，已经一周了, "approved 12 days ago and
 * there's still nothing". Not when they ask what is usual (一般, 通常, "usually"): "下单两天了还没动静，你们一般多久发货？".
 */
// The numeral is bounded: an unbounded run made every start inside a long run of numerals ('1一' × 4,000) scan to its end.
const ZH_SPAN = '(?:[0-9一二三四五六七八九十两几半]{1,6}个?多?(?:天|周|星期|礼拜|月)|半个月)';
/** What a wait is for: 到, 发货, 退, 回复, 动静… ("还没拆封", "还没用过" tell the item's state, not a wait). */
const ZH_AWAITED = '(?:到|收到|发货|发|退|动|回复|回|处理|来|更新|消息|动静|下文|见|入账|入数|到账|通过|审核|联系|上门|寄|补)';
const ZH_WAIT_PAST_DUE = new RegExp(
  `${ZH_SPAN}了?[^。！？!?]{0,12}(?:还|都|也|一直)(?:没|未|不见)有?${ZH_AWAITED}|(?:一直|还|都)(?:没|未)有?${ZH_AWAITED}[^。！？!?]{0,14}${ZH_SPAN}了`,
  'u',
);
/** What has still not happened ("still nothing", "never arrived"; not "still unopened"). */
const EN_NOT_YET = String.raw`\b(?:still (?:nothing|no\b|not (?:arrived|received|here|come|refunded|shipped|delivered|heard|back|moved)|hasn'?t|haven'?t|waiting)|nothing (?:on|has|yet|came|arrived)|no sign|never (?:arrived|came|heard)|yet to)`;
const EN_WAIT_PAST_DUE = new RegExp(
  String.raw`\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|a few) (?:days|weeks|months) (?:ago|later|on|now)\b[^.?!]{0,60}${EN_NOT_YET}|\b(?:it's|it has|it's been|been) (?:\d+|two|three|four|five|six|seven|eight|nine|ten|several) (?:days|weeks)\b[^.?!]{0,40}${EN_NOT_YET}`,
);
const ASKS_WHAT_IS_USUAL = /一般|通常|正常|\busually\b|\bnormally\b|\btypically\b|\bnormal\b/u;

/** Harm to a person: 医院, 过敏, 被电, 烫伤, "burned my fingers", "allergic reaction". Someone must take the report. */
const ZH_HARM = /医院|医药费|受伤|烫伤|烧伤|划伤|被电|触电|过敏|起疹|红疹/u;
const EN_HARM = /\bhospital|\binjur(?:y|ed|ies)\b|\bburn(?:ed|t) my\b|\ballergic\b|\brash\b|\bemergency room\b|\bblister/;

/** The FAQ's kind of answer refused in advance: 别跟我说退货流程, 不是退个货就完事, "not a link to your returns page". */
const ZH_NOT_THE_FAQ = /别跟我说|不要跟我说|不是退个?货就|不是退款就/u;
const EN_NOT_THE_FAQ = /\bnot (?:a|another) (?:link|refund form|form)\b|\bdon'?t (?:send|give) me (?:a|another) link\b/;

/**
 * Sarcasm: 退款是走路来的吗, 等到圣诞, 一年修三次也叫保修, 当冤大头, 这算哪门子无理由, 三天是火星时间吗, "is this how you treat…",
 * "processed by whom, a snail?". A question in form, a complaint in fact.
 */
const ZH_SARCASM = /走路来|爬来的|蜗牛|乌龟|火星|等到(?:明年|圣诞|过年|猴年马月|下辈子)|到明年|算哪门子|也叫(?!做)|冤大头|当我(?:傻|是)/u;
const EN_SARCASM = /\bis this how you treat\b|\bwhat a joke\b|\bby whom\b|\ba snail\b|\bgreat advice\b|\bthanks for nothing\b/;

/** Their account taken over: 账号被盗, 盗刷, hacked. Not a password question. */
const ZH_ACCOUNT_TAKEN = /被盗|盗号|盗刷|盗用/u;
const EN_ACCOUNT_TAKEN = /\bhacked\b|\bsomeone (?:else )?(?:logged|got) into my account\b/;

/** The number a promise or a wait names ("3个工作日", "第9天", "两周" in days), when it names one in days, dates or hours. */
function spanOf(text: string): { n: number; unit: string } | undefined {
  const m =
    /([0-9]{1,6}|[一二三四五六七八九十两]{1,6})(?:(?:到|至|-|~)([0-9]{1,6}|[一二三四五六七八九十两]{1,6}))?(?:个)?(?:工作)?(天|日|号|小时|周|星期|礼拜)/u.exec(
      text,
    );
  if (!m) return undefined;
  const raw = m[2] ?? m[1]!;
  const n = /\d/.test(raw) ? Number(raw) : chineseNumber(raw);
  if (n === undefined) return undefined;
  const unit = m[3]!;
  return unit === '周' || unit === '星期' || unit === '礼拜' ? { n: n * 7, unit: '天' } : { n, unit: unit === '日' ? '天' : unit };
}

/** What makes a message one a person must answer (see the patterns above). */
export type OwnCaseKind =
  | 'broken promise'
  | 'why, of their own case'
  | 'a demand'
  | 'a request to act'
  | 'a disputed charge'
  | 'a failed attempt'
  | 'a threat to escalate'
  | 'harm to a person'
  | 'the FAQ refused'
  | 'sarcasm'
  | 'an account taken over'
  | 'a wait past due';

/** A promise or an expected time, then a wait past it; "说好7天无理由，现在第3天了还能退吗" is still inside the promise. */
function brokenPromise(folded: string): boolean {
  const zhPromise = ZH_PROMISE.exec(folded);
  const zhOverdue = zhPromise ? ZH_OVERDUE.exec(folded.slice(zhPromise.index)) : null;
  if (zhPromise && zhOverdue) {
    const promised = spanOf(folded.slice(zhPromise.index, zhPromise.index + zhOverdue.index));
    const waited = spanOf(zhOverdue[0]);
    if (!(promised && waited && promised.unit === waited.unit && waited.n <= promised.n)) return true;
  }
  const enPromise = EN_PROMISE.exec(folded);
  return enPromise !== null && EN_OVERDUE.test(folded.slice(enPromise.index));
}

const either = (zh: RegExp, en: RegExp) => (folded: string) => zh.test(folded) || en.test(folded);

/** Each kind and how it is told, in the order they are reported. */
const CUES: ReadonlyArray<readonly [OwnCaseKind, (folded: string) => boolean]> = [
  ['broken promise', brokenPromise],
  ['why, of their own case', either(ZH_WHY_MINE, EN_WHY_MINE)],
  ['a demand', either(ZH_DEMAND, EN_DEMAND)],
  ['a request to act', either(ZH_ACT, EN_ACT)],
  ['a disputed charge', either(ZH_CHARGE, EN_CHARGE)],
  ['a failed attempt', either(ZH_FAILED, EN_FAILED)],
  ['a threat to escalate', either(ZH_THREAT, EN_THREAT)],
  ['harm to a person', either(ZH_HARM, EN_HARM)],
  ['the FAQ refused', either(ZH_NOT_THE_FAQ, EN_NOT_THE_FAQ)],
  ['sarcasm', either(ZH_SARCASM, EN_SARCASM)],
  ['an account taken over', either(ZH_ACCOUNT_TAKEN, EN_ACCOUNT_TAKEN)],
  ['a wait past due', (folded) => either(ZH_WAIT_PAST_DUE, EN_WAIT_PAST_DUE)(folded) && !ASKS_WHAT_IS_USUAL.test(folded)],
];

/** Every kind of cue that makes `folded` a message about the customer's own case, in a fixed order; empty when none. */
export function ownCaseCues(folded: string): OwnCaseKind[] {
  return CUES.filter(([, told]) => told(folded)).map(([kind]) => kind);
}

/**
 * The first cue that makes `folded` a message about the customer's own case, or undefined; kinds in `except` (those the
 * FAQ entry at hand was written for) are not looked for.
 */
export function ownCaseCue(folded: string, except?: ReadonlySet<OwnCaseKind>): OwnCaseKind | undefined {
  return CUES.find(([kind, told]) => !except?.has(kind) && told(folded))?.[0];
}
