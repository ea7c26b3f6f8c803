/**
 * A small bilingual lexicon of complaint concepts ("the app crashes", "charged twice", "parcel late").
 * Customers describe one problem in different words and often in different languages; character
 * shingles and stems only overlap on the words they share, so each concept found in a message adds
 * one language-neutral feature (`~crash`, `~charged-twice`) that paraphrases have in common.
 *
 * Patterns run on folded text (lower case, half-width, simplified Chinese). Kept general on purpose:
 * they describe how people name common service problems, not the wording of any test or benchmark.
 */

import { codeAt, startsAt } from '../string-units.js';

/**
 * One concept: `symptom` concepts say what went wrong, `object` concepts what part of the service
 * it happened to (the app, the payment, the parcel), `product` concepts which goods it is about
 * (headphones, a rice cooker): one customer's two problems of one kind usually differ only there.
 */
export interface ProblemConcept {
  id: string;
  kind: 'symptom' | 'object' | 'product';
  pattern: RegExp;
}

const c = (id: string, kind: ProblemConcept['kind'], source: string): ProblemConcept => ({ id, kind, pattern: new RegExp(source) });

// English alternatives use \b…\w* so "crashes", "crashed" and "crashing" all match "crash".
// prettier-ignore
export const PROBLEM_CONCEPTS: readonly ProblemConcept[] = [
  // What it happened to.
  c('app', 'object', String.raw`\bapps?\b|\bapplication|\bclient\b|应用|软件|客户端`),
  c('account', 'object', String.raw`\baccount|账号|账户|帐号|帐户`),
  c('payment', 'object', String.raw`\bpay\w*|\bcheckout|\bcharg(?!ers?\b|ing (?:cable|port|case))\w*|支付|付款|付钱|结账|结算|扣款|扣费|扣钱`),
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
  // Which goods: product types as shoppers name them (general e-commerce categories, at the level of
  // "headphones" or "rice cooker", not brands). Ids start with `item-`. Accessory words are kept
  // apart from their device (a phone case is not a phone, a desk lamp is not a desk).
  c('item-phone', 'product', String.raw`\b(?:smart|mobile|cell) ?phones?\b(?! ?(?:case|cover|screen protector))|\biphone\b|\bphone\b(?! ?(?:case|cover|call|number|screen protector))|手机(?![壳套膜号])`),
  c('item-phone-case', 'product', String.raw`\bphone (?:case|cover)s?|手机壳|手机套|保护壳|保护套`),
  c('item-screen-protector', 'product', String.raw`\bscreen protector|钢化膜|手机膜|贴膜`),
  c('item-charger', 'product', String.raw`\bchargers?\b|\bcharging (?:cable|brick|adapter)|\b(?:usb|lightning|hdmi) cable|\bpower bank|充电器|充电头|数据线|充电线|充电宝|移动电源`),
  c('item-headphones', 'product', String.raw`\b(?:head|ear)phones?\b|\bear ?buds?\b|\bheadsets?\b|\bairpods\b|耳机|耳麦`),
  c('item-speaker', 'product', String.raw`\b(?:bluetooth |smart )?speakers?\b|音箱|音响`),
  c('item-laptop', 'product', String.raw`\blaptops?\b|\bnotebook computer|\bcomputer\b|\bmacbook|\bdesktop pc|笔记本电脑|电脑|主机`),
  c('item-tablet', 'product', String.raw`\btablets?\b|\bipad|平板`),
  c('item-keyboard', 'product', String.raw`\bkeyboards?\b|键盘`),
  c('item-mouse', 'product', String.raw`\b(?:computer |wireless |gaming )?mouse\b|\bmice\b|鼠标`),
  c('item-monitor', 'product', String.raw`\bmonitors?\b|\bdisplay screen|显示器`),
  c('item-tv', 'product', String.raw`\btv\b|\btelevision|\btv set|电视`),
  c('item-camera', 'product', String.raw`\bcameras?\b|\bwebcam|\bdashcam|相机|摄像头|摄像机|行车记录仪`),
  c('item-watch', 'product', String.raw`\bsmart ?watch|\bwrist ?watch|\bfitness (?:tracker|band)|手表|手环`),
  c('item-printer', 'product', String.raw`\bprinters?\b|打印机`),
  c('item-router', 'product', String.raw`\brouters?\b|\bmodem\b|路由器|光猫`),
  c('item-console', 'product', String.raw`\bgame console|\bplaystation|\bxbox|\bnintendo|游戏机`),
  c('item-rice-cooker', 'product', String.raw`\brice cookers?|电饭煲|电饭锅`),
  c('item-air-fryer', 'product', String.raw`\bair ?fryers?|空气炸锅`),
  c('item-coffee-machine', 'product', String.raw`\bcoffee (?:machine|maker|grinder)s?|\bespresso machine|咖啡机`),
  c('item-kettle', 'product', String.raw`\bkettles?\b|电水壶|烧水壶|热水壶`),
  c('item-microwave', 'product', String.raw`\bmicrowaves?\b|微波炉`),
  c('item-oven', 'product', String.raw`\bovens?\b|烤箱`),
  c('item-blender', 'product', String.raw`\bblenders?\b|\bjuicers?\b|\bfood processor|榨汁机|破壁机|料理机`),
  c('item-fridge', 'product', String.raw`\bfridges?\b|\brefrigerators?\b|\bfreezers?\b|冰箱|冰柜`),
  c('item-washing-machine', 'product', String.raw`\bwashing machines?|\bwasher\b|\btumble dryer|洗衣机|烘干机`),
  c('item-dishwasher', 'product', String.raw`\bdishwashers?\b|洗碗机`),
  c('item-vacuum', 'product', String.raw`\bvacuum(?: cleaner)?s?\b|\bhoover|\brobot vacuum|吸尘器|扫地机`),
  c('item-air-conditioner', 'product', String.raw`\bair ?con(?:ditioner)?s?\b|空调`),
  c('item-fan', 'product', String.raw`\b(?:electric |desk |ceiling )fans?\b|电风扇|电扇|风扇`),
  c('item-heater', 'product', String.raw`\bheaters?\b|取暖器|暖风机|电暖器`),
  c('item-hair-dryer', 'product', String.raw`\b(?:hair|blow) ?dryers?|吹风机|电吹风`),
  c('item-hair-styler', 'product', String.raw`\bhair straightener|\bcurling (?:iron|wand)|直板夹|卷发棒`),
  c('item-toothbrush', 'product', String.raw`\btooth ?brush(?:es)?|牙刷`),
  c('item-shaver', 'product', String.raw`\bshavers?\b|\brazors?\b|\btrimmers?\b|剃须刀|刮胡刀`),
  c('item-lamp', 'product', String.raw`\blamps?\b|\blight bulbs?|\bceiling light|台灯|灯泡|落地灯|吊灯`),
  c('item-suitcase', 'product', String.raw`\bsuitcases?\b|\bluggage|\btrolley case|行李箱|拉杆箱|旅行箱`),
  c('item-bag', 'product', String.raw`\bbackpacks?\b|\bhandbags?\b|\bpurses?\b|\bwallets?\b|背包|双肩包|书包|手提包|钱包|挎包`),
  c('item-drinkware', 'product', String.raw`\bthermos\b|\b(?:vacuum |thermos )?flasks?\b|\bwater bottles?|\btumblers?\b|\bmugs?\b|保温杯|水杯|杯子|水壶(?<!热水壶|烧水壶|电水壶)`),
  c('item-stroller', 'product', String.raw`\bstrollers?\b|\bprams?\b|\bpushchairs?\b|\bbaby buggy|婴儿车|推车`),
  c('item-car-seat', 'product', String.raw`\bcar seats?|安全座椅`),
  c('item-diapers', 'product', String.raw`\bdiapers?\b|\bnapp(?:y|ies)\b|纸尿裤|尿不湿`),
  c('item-baby-formula', 'product', String.raw`\b(?:baby |infant )formula|奶粉`),
  c('item-coat', 'product', String.raw`\bjackets?\b|\bcoats?\b|\bparkas?\b|\bhoodies?\b|外套|夹克|羽绒服|大衣|棉服|卫衣`),
  c('item-shirt', 'product', String.raw`\b(?:t-?)?shirts?\b|\bblouses?\b|\bsweaters?\b|衬衫|t恤|上衣|毛衣`),
  c('item-trousers', 'product', String.raw`\btrousers\b|\bpants\b|\bjeans\b|\bshorts\b|\bleggings\b|裤子|牛仔裤|短裤|打底裤`),
  c('item-dress', 'product', String.raw`\bdress(?:es)?\b|\bskirts?\b|连衣裙|裙子|半身裙`),
  c('item-shoes', 'product', String.raw`\bshoes?\b|\bsneakers?\b|\btrainers\b|\bboots\b|\bsandals?\b|\bslippers?\b|鞋|靴`),
  c('item-glasses', 'product', String.raw`\b(?:sun|eye)?glasses\b|\bspectacles|眼镜|墨镜`),
  c('item-jewellery', 'product', String.raw`\bnecklaces?\b|\bbracelets?\b|\bearrings?\b|\bjewell?e?ry|项链|手链|耳环|戒指|首饰`),
  c('item-cosmetics', 'product', String.raw`\blipsticks?\b|\bmake-?up\b|\bskin ?care|\bface cream|\bperfumes?\b|\bshampoo|口红|化妆品|护肤品|面霜|香水|洗发水`),
  c('item-sofa', 'product', String.raw`\bsofas?\b|\bcouch(?:es)?\b|沙发`),
  c('item-mattress', 'product', String.raw`\bmattress(?:es)?\b|\bbed frame|床垫|床架`),
  c('item-chair', 'product', String.raw`\b(?:office |desk |gaming )?chairs?\b|椅子|座椅(?<!安全座椅)`),
  c('item-table', 'product', String.raw`\btables?\b|\bdesk\b(?! ?lamp)|桌子|书桌|餐桌|办公桌`),
  c('item-bicycle', 'product', String.raw`\bbicycles?\b|\bbikes?\b|\be-?scooters?\b|自行车|单车|电动车|滑板车`),
  c('item-toy', 'product', String.raw`\btoys?\b|\blego\b|\bdolls?\b|玩具|积木|娃娃`),
  c('item-book', 'product', String.raw`\bbooks?\b|\bnovels?\b|图书|书籍|这本书|绘本`),
  c('item-food', 'product', String.raw`\bgroceries|\bfruit|\bvegetables?|\bsnacks?\b|\bmilk\b|\bmeat\b|水果|蔬菜|零食|牛奶`),
  c('item-bedding', 'product', String.raw`\bduvets?\b|\bpillows?\b|\bblankets?\b|\bbed ?sheets?|被子|枕头|毯子|床单|四件套`),
];

/**
 * Literal text every match of `source` starts with, one string per alternative (a top-level one,
 * or one of a leading `(?:…)` group), after any leading `\b` and lookarounds; undefined when some
 * alternative has no such text (it starts with a class, an escape, an optional part…). A match of
 * the pattern then needs one of these strings in the text: a cheap test before the regex.
 */
export function literalStarts(source: string): string[] | undefined {
  const out: string[] = [];
  for (const alt of splitAlternatives(source)) {
    const starts = altStarts(alt);
    if (!starts) return undefined;
    out.push(...starts);
  }
  return out;
}

/** Top-level alternatives of a regular-expression source. */
function splitAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}

/** Index just after the group opening at `open` (its closing parenthesis + 1), or -1. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

const SPECIAL = new Set(['\\', '(', ')', '[', ']', '.', '*', '+', '?', '{', '}', '|', '^', '$']);
const OPTIONAL = new Set(['?', '*', '{']);

/** The literal starts of one alternative (see literalStarts). */
function altStarts(alt: string): string[] | undefined {
  let i = 0;
  // Zero-width parts first: word boundaries and lookarounds.
  for (;;) {
    if (alt.startsWith('\\b', i)) i += 2;
    else if (/^\(\?<?[=!]/.test(alt.slice(i, i + 4))) {
      const end = groupEnd(alt, i);
      if (end < 0) return undefined;
      i = end;
    } else break;
  }
  if (alt.startsWith('(?:', i)) {
    const end = groupEnd(alt, i);
    if (end < 0 || OPTIONAL.has(alt[end] ?? '')) return undefined;
    const out: string[] = [];
    for (const inner of splitAlternatives(alt.slice(i + 3, end - 1))) {
      const starts = altStarts(inner);
      if (!starts) return undefined;
      out.push(...starts);
    }
    return out;
  }
  let literal = '';
  for (; i < alt.length && !SPECIAL.has(alt[i]!); i++) {
    // A character made optional by what follows it is not part of every match.
    if (OPTIONAL.has(alt[i + 1] ?? '')) break;
    literal += alt[i];
  }
  return literal ? [literal] : undefined;
}

/**
 * The concepts' literal starts, indexed by their first character (and their second, for starts of
 * two characters or more): one pass over a text finds where each concept can match, and only there
 * its pattern is tried. A concept whose pattern has no literal starts is run on the whole text.
 * `slot[c]` is -1 when no start begins with code unit c, else an index into `single` (concepts with
 * the one-character start c) and `longer` (the longer starts, by their second character).
 */
const conceptIndex = (() => {
  const always: boolean[] = [];
  const slot = new Int32Array(65536).fill(-1);
  const single: number[][] = [];
  const longer: Array<Map<number, Array<{ text: string; concept: number }>>> = [];
  PROBLEM_CONCEPTS.forEach((concept, k) => {
    const literals = concept.pattern.flags === '' ? literalStarts(concept.pattern.source) : undefined;
    always.push(!literals);
    for (const text of literals ?? []) {
      const c0 = text.charCodeAt(0);
      if (slot[c0] === -1) {
        slot[c0] = single.length;
        single.push([]);
        longer.push(new Map());
      }
      const s = slot[c0]!;
      if (text.length === 1) {
        single[s]!.push(k);
        continue;
      }
      const list = longer[s]!.get(text.charCodeAt(1)) ?? [];
      list.push({ text, concept: k });
      longer[s]!.set(text.charCodeAt(1), list);
    }
  });
  // The same patterns, sticky: tried at one position (where a literal start is) instead of scanning the text.
  const sticky = PROBLEM_CONCEPTS.map((concept) => new RegExp(concept.pattern.source, 'y'));
  return { always, slot, single, longer, sticky };
})();

/** Ids of the concepts named in an already folded text, in lexicon order. */
export function conceptsOf(folded: string): string[] {
  const { always, slot, single, longer, sticky } = conceptIndex;
  // Per concept, where its literal starts occur (ascending): only there can a match of it begin.
  const at: Array<number[] | undefined> = new Array<number[] | undefined>(always.length);
  const mark = (k: number, i: number): void => {
    const list = at[k];
    if (!list) at[k] = [i];
    else if (list[list.length - 1] !== i) list.push(i);
  };
  for (let i = 0; i < folded.length; i++) {
    const s = slot[codeAt(folded, i)]!;
    if (s < 0) continue;
    for (const k of single[s]!) mark(k, i);
    const list = longer[s]!.get(codeAt(folded, i + 1));
    if (list) for (const { text, concept } of list) if (startsAt(folded, text, i)) mark(concept, i);
  }
  const out: string[] = [];
  PROBLEM_CONCEPTS.forEach((concept, k) => {
    if (always[k] ? concept.pattern.test(folded) : matchesAt(sticky[k]!, folded, at[k])) out.push(concept.id);
  });
  return out;
}

/** Whether the sticky pattern `re` matches `text` at one of `positions`. */
function matchesAt(re: RegExp, text: string, positions: number[] | undefined): boolean {
  if (!positions) return false;
  for (const p of positions) {
    re.lastIndex = p;
    if (re.test(text)) return true;
  }
  return false;
}

const SYMPTOMS = new Set(PROBLEM_CONCEPTS.filter((x) => x.kind === 'symptom').map((x) => x.id));
/** True for a concept that says what went wrong (as opposed to what it happened to). */
export function isSymptom(id: string): boolean {
  return SYMPTOMS.has(id);
}

const PRODUCTS = new Set(PROBLEM_CONCEPTS.filter((x) => x.kind === 'product').map((x) => x.id));
/** True for a concept that names goods (`item-headphones`): which product a complaint is about. */
export function isProduct(id: string): boolean {
  return PRODUCTS.has(id);
}
