/**
 * Regional words → the mainland Mandarin the taxonomy and the FAQ are written in, each replacement as long as what it
 * replaces (offsets carry over). Taiwan's words that character conversion leaves as they are (回覆 → 回复, 簡訊 → 短信),
 * and written Cantonese (Hong Kong customers): 冇收到 → 没收到, 壞咗 → 坏了, 唔好用 → 不好用,
 * 到而家都冇 → 到现在都没. Keys are in the simplified form toSimplified gives. A phrase that Mandarin also writes
 * across a word boundary carries the contexts where it is not Cantonese (重点解决, 周边度假, 然而家里, 好耐用).
 * Characters that are also everyday Mandarin (食, 係, 咁, 仲) change only inside the phrases listed.
 */
const REGIONAL_PHRASES: Array<[pattern: string, mandarin: string]> = [
  // Taiwan: 回覆 / 答覆 (a reply; 覆 is also a simplified character, so conversion keeps it), 簡訊 (a text message).
  ['回覆', '回复'],
  ['答覆', '答复'],
  ['简讯', '短信'],
  // 唔该晒 (thanks a lot) before 唔该 (excuse me, please)
  ['唔该晒', '多谢了'],
  ['唔该', '劳驾'],
  ['唔系', '不是'],
  ['系咪', '是不'],
  ['即系(?![统列])', '就是'],
  ['仲未', '还没'],
  ['仲有', '还有'],
  ['仲系', '还是'],
  ['仲要', '还要'],
  ['(?<![然从进因反继故既])而家(?![庭人里具电长属园乡族务用])', '现在'],
  ['依家', '现在'],
  ['琴日', '昨天'],
  ['寻日', '昨天'],
  ['听日(?![语文本剧])', '明天'],
  ['几耐', '多久'],
  ['好耐(?![用心磨看穿脏热寒])', '很久'],
  ['搞掂', '搞定'],
  // 𨋢 (a lift: one character outside the Basic Plane, two code units like 电梯)
  ['𨋢', '电梯'],
  ['点样(?![品本板])', '怎样'],
  ['点解(?![决释答说读析题锁码开除压冻])', '为何'],
  ['边度(?![假过日数量])', '哪里'],
  ['乜嘢', '什么'],
  // question words: 几时 (when), 边个 (who, which), 搞咩 (what's going on)
  ['几时', '何时'],
  ['边个(?![子儿])', '哪个'],
  ['搞咩', '搞啥'],
  ['咩嘢', '什么'],
  ['做咩', '干嘛'],
  ['啱啱', '刚刚'],
  ['食咗', '吃了'],
  ['好食(?![物材品堂谱欲])', '好吃'],
  ['难食', '难吃'],
  ['呃人', '骗人'],
  ['呃钱', '骗钱'],
  ['覆我', '回我'],
  // 闹 (to scold) before who was scolded: 闹人, 闹我, 闹客; Mandarin's 闹 (noisy, 热闹, 闹钟) is not followed by these.
  ['闹(?=人|我|客)', '骂'],
  // 覆电 / 覆机 (to call back), 跟紧 (following it up)
  ['覆电', '回电'],
  ['覆机', '回电'],
  ['跟紧', '跟进'],
  ['死火', '坏了'],
  ['俾人', '被人'],
  ['碌咗', '刷了'],
  ['碌卡', '刷卡'],
  // 甩 (to come off) before what came off or 咗/晒: 鞋底甩咗, 甩皮, 甩色; Mandarin's 甩 (to swing, 甩掉) is followed by none of these.
  ['甩(?=咗|晒|皮|色|底|漆|毛|线|甩)', '掉'],
  // 亲 after what hurt someone: 夹亲, 撞亲, 烫亲, 跌亲, 整亲 (got hurt by it).
  ['(?<=[夹撞烫跌整咬刮])亲', '伤'],
  // 起波波 (pilling): Taiwan and the mainland say 起毛球.
  ['起波波', '起毛球'],
  ['起晒波波', '起毛球了'],
  // 郁 (to move) after a negation: 冇郁过, 唔郁 (the parcel has not moved); Mandarin's 郁 (郁闷, 浓郁) follows no negation.
  ['冇郁', '没动'],
  ['唔郁', '不动'],
  // 有返货 (back in stock); Mandarin's 返货 (goods sent back) does not follow 有.
  ['(?<=有)返货', '到货'],
  // 倾 (to talk) after 可以, 想, 同你, and in 倾偈; Mandarin's 倾 (to tilt, 倾向, 倾斜) comes first in its word.
  ['倾偈', '聊天'],
  ['(?<=可以|想|同你|要)倾(?![向斜销泻诉听尽心注家覆])', '聊'],
  // Hong Kong's own words for things: 雪柜 (fridge), 屋企 (home), 速递 (courier), 熄机 (to switch off, of a phone).
  ['雪柜', '冰箱'],
  ['屋企', '家里'],
  ['速递', '快递'],
  ['熄机', '关机'],
  // 听 (to answer) the phone: 冇人听 (nobody answers), 唔听电话; Mandarin's 没人听 (nobody listens) is written 没.
  ['冇人听', '没人接'],
  ['唔听', '不接'],
  // 晒 after what it completes ("坏晒", "冻晒，", "湿晒"): all of it. Mandarin's 晒 (to sun-dry, to show off) comes before its object.
  ['晒(?=$|[^\\u3400-\\u9fff])', '了'],
];
/** Characters only Cantonese writes; 唔 also as a Mandarin interjection ("唔，好的"), so only before a word. */
const CANTONESE_CHARS: Record<string, string> = {
  冇: '没',
  咗: '了',
  嘅: '的',
  啲: '些',
  喺: '在',
  嚟: '来',
  佢: '他',
  哋: '们',
  睇: '看',
  搵: '找',
  揾: '找',
  攞: '拿',
  畀: '给',
  俾: '给',
  餸: '菜',
  瞓: '睡',
  嘈: '吵',
  咩: '啥',
};
const REGIONAL = new RegExp(
  [...REGIONAL_PHRASES.map(([pattern]) => pattern), `[${Object.keys(CANTONESE_CHARS).join('')}]`, '唔(?=[\\u3400-\\u4dbf\\u4e00-\\u9fff])'].join('|'),
  'g',
);
/** A matched phrase → its Mandarin (the match is the phrase's two characters: the contexts are lookarounds). */
const MANDARIN_BY_MATCH = new Map<string, string>(REGIONAL_PHRASES.map(([pattern, mandarin]) => [pattern.replace(/\(\?<?[!=][^)]*\)/g, ''), mandarin]));
for (const [from, to] of [...MANDARIN_BY_MATCH, ...Object.entries(CANTONESE_CHARS)])
  if (from.length !== to.length) throw new Error(`Regional fold ${from} → ${to} changes the length`);

/** `text` (already simplified, lower-cased) with its Taiwan words and written Cantonese in Mandarin; the same length. */
export function fromRegionalWords(text: string): string {
  return text.replace(REGIONAL, (m) => MANDARIN_BY_MATCH.get(m) ?? CANTONESE_CHARS[m] ?? '不');
}
