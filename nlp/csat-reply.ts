/**
 * Reads a customer's answer to the satisfaction question ("please rate 1–5"): a digit or a
 * Chinese numeral, stars, words of satisfaction in zh and en, or an emoji, with any comment that
 * follows. Anything that does not start with a rating is not an answer (it is a new message).
 */
export interface SurveyReply {
  score: 1 | 2 | 3 | 4 | 5;
  /** What the customer wrote beside the rating (trimmed), or null. */
  comment: string | null;
}

const CHINESE_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5 };

/**
 * Words and phrases read as a rating, longest first so "非常满意" wins over "满意", "不满意" over
 * "满意", "not bad" over "bad". Each is matched at the start of the reply.
 */
const WORDS: Array<[RegExp, SurveyReply['score']]> = [
  [/^(非常不满意|非常不满|极不满意|很不满意|特别不满意|太差了|太差|非常差|极差|垃圾|差评|很差)/, 1],
  [/^(不太满意|不满意|不满|不好|较差|差)/, 2],
  [/^(一般般|一般|还行|还可以|凑合|马马虎虎|中评|普通)/, 3],
  [/^(非常满意|十分满意|特别满意|很满意|超级满意|非常好|太好了|好评|五星好评)/, 5],
  [/^(比较满意|挺满意|满意|还不错|不错|挺好|很好|好)/, 4],
  [/^(very dissatisfied|extremely dissatisfied|terrible|awful|horrible|very bad|very poor|worst)\b/i, 1],
  [/^(not bad|okay|ok|so-so|so so|average|fine|neutral|meh)\b/i, 3],
  [/^(dissatisfied|unsatisfied|not satisfied|not happy|unhappy|bad|poor)\b/i, 2],
  [/^(very satisfied|extremely satisfied|excellent|perfect|amazing|outstanding|great|superb|brilliant)\b/i, 5],
  [/^(satisfied|happy|good|nice|pleased)\b/i, 4],
];

const EMOJI: Array<[RegExp, SurveyReply['score']]> = [
  [/^(😡|🤬|👎👎)/u, 1],
  [/^(👎|😞|😠|☹️|🙁)/u, 2],
  [/^(😐|🤔)/u, 3],
  [/^(👍👍|😍|🥰|❤️|💯|🌟🌟🌟🌟🌟)/u, 5],
  [/^(👍|🙂|😊|😀|😄)/u, 4],
];

/** Leading words a reply may start with before the rating ("我给5分", "I'd give 4"). */
const LEAD_IN = /^(我给|给|打|评|评分|评价|满意度|rating|score|i give|i'd give|i would give|give)\s*[:：]?\s*/i;

/** Full-width letters, digits and signs as ASCII, one character for one, so offsets still point into the original. */
function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export function readSurveyReply(raw: string): SurveyReply | undefined {
  const original = raw.trim();
  if (!original || original.length > 500) return undefined;
  const text = foldWidth(original);
  const lead = LEAD_IN.exec(text)?.[0].length ?? 0;
  const body = text.slice(lead);
  // The comment is cut from what the customer wrote (full-width punctuation and all).
  const rest = (matched: number) => original.slice(lead + matched);

  // "5", "5分", "5星", "5/5", "5 stars", "4 - fine", "五星", "三分", "★★★★".
  const stars = /^[★⭐]{1,5}/u.exec(body);
  if (stars) return reply([...stars[0]].length, rest(stars[0].length));
  const numeric = /^([1-5])(?:\s*(?:\/\s*5|分|星|颗星|stars?|points?))?(?![0-9.])/i.exec(body);
  if (numeric) return reply(Number(numeric[1]), rest(numeric[0].length));
  const chinese = /^([一二两三四五壹贰叁肆伍])\s*(?:分|星|颗星)/.exec(body) ?? /^([一二两三四五])$/.exec(body);
  if (chinese) return reply(CHINESE_DIGITS[chinese[1]!]!, rest(chinese[0].length));
  for (const [pattern, score] of [...WORDS, ...EMOJI]) {
    const m = pattern.exec(body);
    if (m) return reply(score, rest(m[0].length));
  }
  return undefined;
}

function reply(score: number, rest: string): SurveyReply | undefined {
  if (score < 1 || score > 5) return undefined;
  // What follows the rating, without the punctuation that joins them ("5，服务很好" → "服务很好").
  const comment = rest.replace(/^[\s,，.。!！:：;；、~～\-—]+/u, '').trim();
  return { score: score as SurveyReply['score'], comment: comment || null };
}
