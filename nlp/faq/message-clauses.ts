/**
 * A customer message as the FAQ bot reads it: the clauses that carry content, without greetings,
 * politeness and order numbers.
 *
 * Customers wrap a question in other words: "你好，订单 DD20261128007，想问下我的包裹现在到哪了" or
 * "Hi, I got the blender yesterday but changed my mind. How do I send it back?". Compared as a
 * whole with short FAQ paraphrases, every extra word lowers the match; compared clause by clause,
 * the question stands out. Works on folded text (simplified, lower case, half-width).
 */

/** One clause of a message. */
export interface MessageClause {
  /** The clause with greetings, politeness words and order numbers removed. */
  text: string;
  /** The clause as written (folded), fillers included: "请问…吗" still shows it is a question. */
  raw: string;
}

/**
 * Clause breaks: sentence and clause punctuation of both scripts, line breaks. Not "、" (a list:
 * "微信、支付宝"), not a dot before a digit (2.5) or a colon between digits (9:00), not the dot of "no.".
 */
const BREAK = /[。？！，；：…\n\r\t!?;,|•~～]+|(?<!\bno)\.(?!\d)|(?<!\d):(?!\d)/;
const TRAILING_PUNCTUATION = /[\s。？！，；：…!?;,|•~～.:]+$/;
/** Words that open a new clause in the middle of a sentence ("我想退货另外发票怎么开"). */
const ZH_CONNECTORS = ['还有就是', '还有一个问题', '还想问', '另外', '顺便问一下', '顺便问下', '顺便', '以及', '但是', '可是', '不过', '然后'];
const EN_CONNECTOR = /\s(?:and|plus|but|btw)\s/;

/**
 * Order, ticket, tracking and phone numbers: 5+ digits (dashes allowed inside), optionally with a
 * few letters or "#" before (DD20261124001, C-20261130-0042, #A77120, 100234581). Customers quote
 * them so we can find the order; they say nothing about what is asked.
 */
const REFERENCE = /#?[a-z]{0,4}[-#]?\d[\d-]{3,}\d[a-z0-9-]*|#[a-z]{0,3}\d{3,}[a-z0-9-]*/g;
/** What is left of "订单号 DD…", "会员卡号 880012457" or "invoice INV-2026-1187" once the number is gone. */
// prettier-ignore
const REFERENCE_NOUNS = [
  '订单号码?', '订单编号', '订单', '单号', '运单号', '快递单号', '物流单号', '工单号?', '会员卡号', '会员号码?', '卡号', '预约号', '发票号码?', '账号', '手机号码?', '电话号码?',
  'order', String.raw`order\s*(?:no|number|id)`, 'ticket', String.raw`tracking\s*(?:no|number)?`, 'ref(?:erence)?', 'number', 'no', 'id',
  String.raw`(?:invoice|booking|account|membership|phone)(?:\s*(?:no|number|ref|reference))?`,
];
const REFERENCE_WORDS = new RegExp(String.raw`^(?:我的|my|your|the|on|for|of|in|is|[.:#\s])*(?:${REFERENCE_NOUNS.join('|')})?(?:是|为|is|was|[.:#\s])*$`);

/** Chinese greetings and attention words at the start of a clause (longest first). */
// prettier-ignore
const ZH_LEADING = [
  '客服你好', '客服您好', '你们好', '大家好', '你好', '您好', '哈喽', '在吗', '在不在', '在么', '有人吗', '有人在吗', '在线吗', '在线么', '亲亲', '亲爱的',
  '早上好', '上午好', '中午好', '下午好', '晚上好', '请问一下', '请问下', '请问', '我想问一下', '我想问下', '我想问', '想问一下',
  '想问下', '问一下', '问下', '我想咨询一下', '我想咨询', '咨询一下', '咨询下', '麻烦问一下', '麻烦你们', '麻烦您', '麻烦你', '麻烦',
  '另外', '还有就是', '还有一个问题', '还想问一下', '还想问', '顺便问一下', '顺便问下', '顺便', '对了', '打扰一下', '打扰了', '不好意思', '抱歉',
].sort((a, b) => b.length - a.length);
/** Chinese thanks and particles at the end of a clause. Not 吗/呢: they make a question. */
// prettier-ignore
const ZH_TRAILING = [
  '谢谢你们', '谢谢您', '谢谢你', '谢谢啦', '谢谢了', '谢谢', '多谢', '感谢', '辛苦了', '麻烦了', '拜托了', '急急急', '啊', '呀', '哦', '喔', '啦', '吧',
].sort((a, b) => b.length - a.length);
/** A clause that is only one of these says nothing ("亲，…", "还有，…", "ok,"). */
// prettier-ignore
const WHOLE_FILLERS = new Set([
  '亲', '嗨', '嗯', '嗯嗯', '哈哈', '好的', '好', '急', '早', '还有', '另外', '然后', '对了', '那个', '就是', ...ZH_TRAILING,
  'ok', 'okay', 'and', 'also', 'so', 'well', 'hmm', 'thanks', 'thank you', 'thx', 'cheers', 'regards', 'best regards',
  'anyone around', 'anyone there', 'is anyone there', 'are you there', 'you there',
]);
/** English greetings and politeness at the start and end of a clause. */
const EN_GREETING = String.raw`(?:hi|hello|hey|dear|greetings|hiya)(?:\s+(?:there|team|guys|all|everyone|support(?:\s+team)?|sir|madam|customer\s+service))?`;
// prettier-ignore
const EN_POLITE = [
  String.raw`good\s+(?:morning|afternoon|evening|day)`, String.raw`sorry\s+to\s+bother(?:\s+you)?`, String.raw`excuse\s+me`, String.raw`quick\s+question`,
  'please', 'pls', 'plz', 'thanks', String.raw`thank\s+you`, 'thx', 'ok', 'okay', 'um', 'uh',
].join('|');
const EN_LEADING = new RegExp(String.raw`^(?:${EN_GREETING}|${EN_POLITE})\b[\s,.!]*`);
const EN_TRAILING = /[\s,]*\b(?:please|pls|plz|thanks(?:\s+in\s+advance)?|thank\s+you(?:\s+in\s+advance)?|thx|cheers|regards|asap|lol)$/;

/** A dropped lead-in that announces a question ("我想问一下，…", "quick question:"): the next clause asks. */
const ASK_LEAD_IN = /请问|想问|问一?下|咨询|想知道|(?:want|would like|'d like|wanted) to (?:ask|know)|quick question|question/;

/** Splits a folded message into content clauses; greetings, thanks and bare order numbers are dropped. */
export function messageClauses(folded: string, maxClauses = 24): MessageClause[] {
  REFERENCE.lastIndex = 0;
  // "订单号：DD2026…" splits at the colon: with a number anywhere, a clause of only "订单号" is dropped too.
  const hasReference = REFERENCE.test(folded);
  const out: MessageClause[] = [];
  let leadIn = '';
  for (const raw of splitPieces(folded)) {
    REFERENCE.lastIndex = 0;
    const withoutRefs = raw.replace(REFERENCE, ' ');
    const text = stripFillers(withoutRefs.replace(/\s+/g, ' ').replace(TRAILING_PUNCTUATION, '').trim());
    const empty = !text || WHOLE_FILLERS.has(text) || !/[\p{L}\p{N}]/u.test(text) || (hasReference && REFERENCE_WORDS.test(text));
    if (empty) {
      if (ASK_LEAD_IN.test(raw)) leadIn = raw;
      continue;
    }
    out.push({ text, raw: leadIn + raw });
    leadIn = '';
    if (out.length >= maxClauses) break;
  }
  return out;
}

/** Punctuation, line breaks, spaces between Chinese words, then connector words. */
function splitPieces(folded: string): string[] {
  const pieces: string[] = [];
  // The break stays with the clause before it: "需要自己付运费吗？" keeps its question mark.
  const parts = folded.split(new RegExp(`(${BREAK.source})`));
  const sentences: string[] = [];
  for (let i = 0; i < parts.length; i += 2) sentences.push((parts[i] ?? '') + (parts[i + 1] ?? ''));
  for (const sentence of sentences) {
    // "你好 我想退货 怎么弄": a space between Chinese words is a comma.
    for (const part of sentence.split(/(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/)) {
      for (const en of part.split(EN_CONNECTOR)) pieces.push(...splitZhConnectors(en));
    }
  }
  return pieces.map((p) => p.trim()).filter(Boolean);
}

function splitZhConnectors(text: string): string[] {
  for (const c of ZH_CONNECTORS) {
    const at = text.indexOf(c);
    // Only between two parts that both say something: at the very start it is just a lead-in.
    if (at > 1 && at + c.length < text.length - 1) return [text.slice(0, at), ...splitZhConnectors(text.slice(at + c.length))];
  }
  return [text];
}

/** Removes greeting and politeness words from both ends until nothing changes. */
function stripFillers(clause: string): string {
  let s = clause;
  for (let guard = 0; guard < 10; guard++) {
    const before = s;
    s = s.replace(EN_LEADING, '').replace(EN_TRAILING, '').trim();
    for (const f of ZH_LEADING) if (s.startsWith(f)) s = s.slice(f.length).trim();
    for (const f of ZH_TRAILING) if (s.endsWith(f) && s.length > f.length) s = s.slice(0, -f.length).trim();
    if (s === before) break;
  }
  return s;
}
