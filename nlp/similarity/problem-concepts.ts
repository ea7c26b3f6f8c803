/**
 * A small bilingual lexicon of complaint concepts ("the app crashes", "charged twice", "parcel late").
 * Customers describe one problem in different words and often in different languages; character
 * shingles and stems only overlap on the words they share, so each concept found in a message adds
 * one language-neutral feature (`~crash`, `~charged-twice`) that paraphrases have in common.
 *
 * Patterns run on folded text (lower case, half-width, simplified Chinese). Kept general on purpose:
 * they describe how people name common service problems, not the wording of any test or benchmark.
 */

/** One concept: `symptom` concepts say what went wrong, `object` concepts what it happened to. */
export interface ProblemConcept {
  id: string;
  kind: 'symptom' | 'object';
  pattern: RegExp;
}

const c = (id: string, kind: ProblemConcept['kind'], source: string): ProblemConcept => ({ id, kind, pattern: new RegExp(source) });

// English alternatives use \b…\w* so "crashes", "crashed" and "crashing" all match "crash".
export const PROBLEM_CONCEPTS: readonly ProblemConcept[] = [
  // What it happened to.
  c('app', 'object', String.raw`\bapps?\b|\bapplication|\bclient\b|应用|软件|客户端`),
  c('account', 'object', String.raw`\baccount|账号|账户|帐号|帐户`),
  c('payment', 'object', String.raw`\bpay\w*|\bcheckout|\bcharg\w*|支付|付款|付钱|结账|结算|扣款|扣费|扣钱`),
  c('parcel', 'object', String.raw`\bparcel|\bpackage|\bshipment|\bdeliver\w*|\bshipping|\btracking|快递|包裹|物流|配送|发货|送货|寄`),
  c('refund', 'object', String.raw`\brefund\w*|\bmoney back|\breimburs\w*|退款|退钱|退费|退货款`),
  c('website', 'object', String.raw`\bwebsite|\bweb ?page|\bsite\b|网站|网页|官网|页面`),
  c('courier', 'object', String.raw`\bcourier|\bdriver|\bdelivery (?:man|guy|person)|快递员|快递小哥|骑手|配送员|送货员`),
  c('agent', 'object', String.raw`\bagent|\bcustomer service|\bsupport\b|\bhotline|\brepresentative|客服|热线|售后`),

  // What went wrong.
  c('crash', 'symptom', String.raw`\bcrash\w*|\bkeeps? (?:closing|quitting|shutting)|\bforce clos\w*|\bfreez\w*|\bfrozen\b|闪退|崩溃|自动退出|卡死|卡住|死机`),
  c('cannot-open', 'symptom', String.raw`\b(?:won'?t|will not|doesn'?t|does not|can'?t|cannot|unable to|not) (?:open|load|start)|打不开|开不了|加载不出|进不去|无法打开|无法加载|白屏|转圈`),
  c('login', 'symptom', String.raw`\blog ?in\b|\blocked out|\breset (?:my |the )?password|\blog(?:ged)? (?:me )?out|\bsign ?in\b|\bsigned out|\bpassword|\bverification code|\botp\b|登录|登陆|登不上|登不进|密码|验证码|掉线`),
  c('outage', 'symptom', String.raw`\b(?:is|was|went|been|goes|site|app|server|service|system)s? down\b|\boutage|\bnot (?:work|respond)\w*|\b(?:error|500|502|503)\b|\bunavailable|\btimed? ?out|宕机|崩了|挂了|瘫痪|报错|错误|无法访问|访问不了|服务器|网络异常|没反应|用不了`),
  c('late', 'symptom', String.raw`\blate\b|\bdelay\w*|\boverdue|\bstill (?:waiting|not|hasn'?t|haven'?t)|\bnot (?:yet )?(?:arriv|deliver|receiv|come|show)\w*|\bhasn'?t (?:arriv|come|been deliver|shown)\w*|\bwhere is my|\bno sign of|\bstill (?:haven'?t|not) (?:got|received)|\bstuck\b|\bnever (?:arriv|came|receiv)\w*|没到|未到|还没到|没收到|没有收到|未收到|还没收|延迟|延误|迟迟|太慢|好慢|慢死|还没送|没送到|没有送到|不动|没更新|不更新|没动静|一直没|还不到|怎么还没|等了|催`),
  c('damaged', 'symptom', String.raw`\bdamag\w*|\bbroken\b|\bbroke\b|\bsmash\w*|\bcrack\w*|\bdent\w*|\bcrush\w*|\bshatter\w*|\btorn\b|破损|坏了|碎了|摔坏|压坏|损坏|裂了|裂开|破了|压扁|变形`),
  c('wrong-item', 'symptom', String.raw`\bwrong (?:item|size|colou?r|product|model|one|thing)|\bnot what i (?:ordered|bought)|\bsent (?:me )?the wrong|\bdifferent (?:item|product|colou?r|size)|发错|错发|寄错|送错|不是我买的|不是我要的|货不对板|颜色不对|尺码不对|型号不对`),
  c('missing-item', 'symptom', String.raw`\bmissing\b|\bonly (?:got|received|came with)|\bincomplete|\bnot in the (?:box|package)|少发|漏发|少了|缺少|缺了|少一|漏了一|只收到`),
  c('charged-twice', 'symptom', String.raw`\b(?:charged|billed|debited|deducted|paid) (?:me )?(?:twice|two times|double)|\bdouble[- ]?(?:charg|bill|payment)\w*|\bduplicate (?:charge|payment|transaction)|\btwo (?:charges|payments)|扣了两次|两次扣|重复扣|重复支付|重复付款|多扣|扣两次|付了两次|扣了双份`),
  c('payment-failed', 'symptom', String.raw`\bpayment (?:fail|declin|error|not go)\w*|\b(?:can'?t|cannot|unable to|couldn'?t) (?:pay|check ?out|complete (?:the |my )?(?:payment|purchase))|\bdeclined|\btransaction failed|支付失败|付款失败|付不了|支付不了|无法支付|无法付款|付款不成功|支付不成功`),
  c('refund-missing', 'symptom', String.raw`\b(?:no|still no|haven'?t (?:got|received)|not (?:got|received)|never (?:got|received)|where is) (?:my |the |a )?refund|\brefund\w* (?:has not|hasn'?t|not|never|still|is still|pending)|退款没到|退款还没|退款未到|没退款|没有退款|未退款|退款迟迟|退款一直|钱还没退|还没退|没退钱|没有退钱|不退款|不给退`),
  c('rude', 'symptom', String.raw`\brude\w*|\bimpolite|\bdisrespect\w*|\battitude|\byell\w*|\bshout\w*|\bhung up|态度|骂人|不耐烦|凶|吼|挂电话|爱答不理`),
  c('defective', 'symptom', String.raw`\bdefect\w*|\bfaulty|\bpoor quality|\bstopped working|\bdoesn'?t work|\bdoes not work|\bnot working|\bwon'?t (?:turn|switch|power) on|\bno sound|\bmalfunction\w*|质量|不能用|不好用|故障|失灵|没声音|不工作|开不了机|坏掉|不亮|充不进电`),
  c('cancel', 'symptom', String.raw`\bcancel\w*|取消|撤销`),
  c('overcharged', 'symptom', String.raw`\bovercharg\w*|\bwrong (?:price|amount)|\bhigher (?:price|than)|\bhidden (?:fee|charge)|多收|收多了|乱收费|价格不对|金额不对|多扣钱`),
  c('no-response', 'symptom', String.raw`\bno (?:one|body) (?:answer|respond|repl|pick)\w*|\bnobody|\bno (?:response|reply|answer)|\bignor\w*|\bcan'?t (?:reach|get through)|没人回|没人理|没人接|联系不上|打不通|无人|不回复|没回复|不理`),
  c('expired', 'symptom', String.raw`\bexpir\w*|\bspoil\w*|\bmou?ldy|\brotten|\bstale\b|过期|变质|发霉|馊|不新鲜|长毛`),
];

/** Ids of the concepts named in an already folded text, in lexicon order. */
export function conceptsOf(folded: string): string[] {
  const out: string[] = [];
  for (const concept of PROBLEM_CONCEPTS) if (concept.pattern.test(folded)) out.push(concept.id);
  return out;
}

const SYMPTOMS = new Set(PROBLEM_CONCEPTS.filter((x) => x.kind === 'symptom').map((x) => x.id));
/** True for a concept that says what went wrong (as opposed to what it happened to). */
export function isSymptom(id: string): boolean {
  return SYMPTOMS.has(id);
}
