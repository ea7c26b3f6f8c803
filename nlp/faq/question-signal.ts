/**
 * Does a clause ask something? The FAQ bot answers questions; a complaint that merely names an FAQ
 * topic ("我买的水壶漏水了，要求退货退款！", "The kettle leaks, I want a full refund.") asks nothing
 * and goes to a person. Rhetorical questions are complaints too: "你们怎么发货的", "怎么这么慢",
 * "how could you…" demand, they do not ask. Works on folded clauses (simplified, lower case).
 */

/** One regular expression matching any of `parts` (each a regular-expression source). */
function anyOf(parts: string[], flags = ''): RegExp {
  return new RegExp(parts.join('|'), flags);
}

/** Chinese interrogatives and question particles. "X不X" / "X没X" (包不包邮, 发没发货) is ZH_A_NOT_A. */
// prettier-ignore
const ZH_ASKS = anyOf([
  '[?？]', '吗', '嘛[?？]?$', '么[?？]?$', '呢[?？]?$',
  '怎么', '怎样', '如何', '咋', '多久', '多长', '多少', '多大', '什么', '啥', '哪', '为什么', '为何', '何时',
  '是否', '能否', '可否', '有没有', '是不是', '能不能', '可不可以', '会不会', '要不要', '行不行', '好不好',
  '请问', '想问', '咨询', '想知道', '请告诉',
  // 几 asks ("几天到") unless it means "a few": after 了/刚/才/过/这/那/前/后/好/面, or 刚/才 + a verb
  // ("用了几天", "好几天", "刚穿几天").
  String.raw`(?<![了刚才过这那前后好面]|[刚才][\u4e00-\u9fff])几(?:天|号|点|时|个|分钟|小时)`,
]);
const ZH_A_NOT_A = /([\u4e00-\u9fff])[不没]\1/;
/**
 * A question put with a final 不 / 没 after a modal or 有 earlier in the clause: "能退差价不", "能退不", "有货没", "可以开发票不"
 * (colloquial for 能不能 / 有没有). Not "还没", "都没" ("快递还没"), nor a clause with no modal ("我都说了不", "但是他没": 是 and
 * 可 alone are no modals here).
 */
const ZH_FINAL_NOT = /(?:能|可以|有|会|要|包)[\u4e00-\u9fff]{0,8}(?<![还都也就并从])(?:不|没|没有)\s*[?？]?$/;
/** 咋 asks ("咋办"), but 不咋样 / 不咋滴 means "not great". */
const ZH_NOT_GREAT = /不咋(?:样|滴|地|的)?/g;
/** A question said as one: a question mark, or a final question particle. */
const ZH_EXPLICIT = /[?？]|(?:吗|呢|么|嘛)\s*[!！。.~～]*$/;

const EN_AUX = '(?:is|are|was|were|am|do|does|did|can|could|will|would|should|shall|may|might|have|has)';
const EN_SUBJECT = '(?:i|you|we|they|he|she|it|my|your|our|their|the|this|that|these|those|there|a|an|any|anyone|someone|u)';
/**
 * English questions said as such: a question mark; a wh-word followed by an auxiliary ("when
 * will…", "what time does…"), not a wh-word opening a statement ("when i called…", "what i
 * paid…"); "whats the…"; an auxiliary followed by its subject ("can i…", "do you…"), not "can
 * not…" / "have not…".
 */
const EN_EXPLICIT_PARTS = [
  String.raw`\?`,
  String.raw`^(?:how|what|when|where|why|which|who|whose)(?:\s+\w+)?\s+${EN_AUX}\b`,
  String.raw`^(?:whats|what's|wheres|where's|how's)\b`,
  // "have a nice weekend", "have a great day": a wish, not "have you…".
  String.raw`^(?!have an?\b)${EN_AUX}(?:n't)?\s+${EN_SUBJECT}\b`,
];
const EN_EXPLICIT = anyOf(EN_EXPLICIT_PARTS);
/** …and the ones that only use a question phrase: "how long for a refund", "i want to know…", "is there…". */
const EN_ASKS = anyOf([
  ...EN_EXPLICIT_PARTS,
  String.raw`^(?:hows|how (?:long|much|many|soon|often|far))\b`,
  String.raw`\b(?:i (?:want|would like|d like|'d like|need) to know|tell me|wondering|let me know|any idea|is it possible|is there|are there)\b`,
]);

/**
 * Questions that demand rather than ask: "怎么这么慢", "怎么能这样", "你们怎么发货的" (how on earth did
 * you…), "凭什么", "有没有搞错", "how could you", "what kind of service is this".
 */
// prettier-ignore
const ZH_RHETORICAL = anyOf([
  '怎么(?:这么|那么|这样|可以这样|能这样|好意思)',
  '怎么还[^?？]{0,8}[!！]',
  String.raw`(?:你们|你|商家|店家|卖家|快递员?|客服)怎么[\u4e00-\u9fff]{1,4}的[?？!！]*$`,
  '凭什么', '凭啥', '到底是怎样', '到底怎么回事', '有没有搞错', '搞什么', '什么破', '什么玩意', '什么垃圾', '有什么用', '有啥用', '还有没有王法', '是不是有病', '当我是', '骗子吗',
  // nobody answering or acting: "你们到底管不管", "有没有人管啊", "是不是倒闭了"
  '(?:到底|还)管不管', '有没有人管', '有人管吗', '没人管(?:吗|了吗)', '是不是倒闭', '倒闭了(?:吗|吧)', '跑路了(?:吗|吧)', '有没有人(?:理|回)',
]);
const EN_RHETORICAL = anyOf([
  String.raw`\bhow (?:could|can|dare) you\b`,
  String.raw`\bwhat kind of (?:service|company|joke)\b`,
  String.raw`\bare you (?:kidding|serious|joking)\b`,
  String.raw`\bis this a joke\b`,
  String.raw`\bwhy (?:would|should) i (?:have to )?pay\b`,
  String.raw`\b(?:does|do) (?:anyone|anybody|nobody|you) (?:even |actually )?care\b`,
  String.raw`\b(?:is|are) (?:anyone|anybody|you) (?:even |actually )?(?:there|listening|reading (?:this|these|my))\b`,
  String.raw`\bhave you gone (?:bust|out of business|bankrupt)\b`,
]);

/** How a clause asks: `explicit` (question mark, final particle, question word order), `implicit` (a question word only), or not at all. */
export type QuestionKind = 'explicit' | 'implicit' | 'none';

/**
 * Whether and how a clause asks; rhetorical questions ask nothing. `raw` is the clause as written
 * (its "？" or "！" and lead-in words count), `text` the same without greetings ("hi, how do i…").
 */
export function questionKind(clause: { raw: string; text: string }): QuestionKind {
  const raw = clause.raw.trim();
  if (!raw || ZH_RHETORICAL.test(raw) || EN_RHETORICAL.test(raw)) return 'none';
  const forms = [raw, clause.text.trim()].map((t) => t.replace(ZH_NOT_GREAT, ' '));
  if (forms.some((s) => ZH_EXPLICIT.test(s) || EN_EXPLICIT.test(s) || ZH_FINAL_NOT.test(s))) return 'explicit';
  if (forms.some((s) => ZH_ASKS.test(s) || ZH_A_NOT_A.test(s) || EN_ASKS.test(s))) return 'implicit';
  return 'none';
}

/** True when the clause asks a question, explicitly or with a question word, and is not rhetorical. */
export function asksSomething(clause: { raw: string; text: string }): boolean {
  return questionKind(clause) !== 'none';
}

/**
 * Question words, pronouns and particles: what is left of a clause without them is what it is about.
 * "为什么？", "怎么办", "How?", "can you help me" say that something is asked, not what.
 */
// prettier-ignore
const ZH_FUNCTION = anyOf(
  [
    '为什么', '为啥', '怎么办', '怎么弄', '怎么样', '怎么回事', '怎么', '怎样', '咋办', '咋弄', '咋回事', '咋整', '咋', '如何', '什么', '啥',
    '哪里', '哪儿', '哪个', '哪', '吗', '么', '呢', '吧', '啊', '呀', '哦', '嘛', '了', '的', '是', '不是', '我们', '你们', '他们',
    '我', '你', '您', '他', '她', '它', '这个', '那个', '这', '那', '要', '可以', '能不能', '能', '可不可以', '行不行', '好不好', '行吗',
    '好吗', '请问', '请', '帮我', '帮忙', '一下', '下', '还', '又', '该', '应该', '到底', '究竟',
  ],
  'g',
);
const EN_FUNCTION = new Set(
  [
    'how what why when where which who whom whose can could would will shall should may might must do does did',
    'is are was were am be been i me my we us our you your it its this that these those there here a an the so',
    'then now ok okay please help anyone someone any idea ideas thanks thank to of for on in with and or but not',
    'no yes tell let know want need',
  ]
    .join(' ')
    .split(' '),
);

/** True when a clause has nothing but question words, pronouns and particles ("为什么", "怎么办呢", "how?"). */
export function isContentFree(text: string): boolean {
  const zh = text.replace(ZH_FUNCTION, '');
  if (/[\u3400-\u9fff]/.test(zh)) return false;
  return (zh.match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []).every((w) => EN_FUNCTION.has(w.replace(/'.*$/, '')));
}

/**
 * Words of dissatisfaction. A message that asks nothing and uses them is a complaint, even when
 * every clause is about one FAQ topic ("快递太慢，差评！", "the courier was rude"): a person answers.
 */
// prettier-ignore
const ZH_COMPLAINT = anyOf([
  '差评', '太差', '很差', '真差', '极差', '超差', '差劲', '垃圾', '恶心', '无语', '坑人', '太坑', '被坑', '骗子', '骗人', '欺骗', '忽悠',
  '不负责', '态度差', '态度恶劣', '太慢', '很慢', '超慢', '慢死', '失望', '气死', '黑心', '无良', '上当', '再也不', '投诉', '曝光', '太过分',
  '过分了', '不像话', '什么态度',
]);
// prettier-ignore
const EN_COMPLAINT = new RegExp(
  String.raw`\b(?:${[
    'terrible', 'awful', 'worst', 'horrible', 'horrendous', 'disgusting', 'rude', 'unacceptable', 'ridiculous', 'scam', 'scammed', 'fraud',
    'useless', 'pathetic', 'incompetent', 'furious', 'outraged', 'disappointed', 'disappointing', 'rip-?off', 'never again', 'lied', 'liars?',
    'appalling', 'shameful', 'complain(?:t|ing)?',
  ].join('|')})\b`,
);

/** True when the text uses words of dissatisfaction (see ZH_COMPLAINT / EN_COMPLAINT). */
export function soundsLikeComplaint(text: string): boolean {
  return ZH_COMPLAINT.test(text) || EN_COMPLAINT.test(text);
}
