/**
 * Text normalization for matching: width folding, NFKC, case folding, traditional → simplified,
 * language detection and bilingual segmentation. The original text is never changed; everything
 * here produces a separate "folded" form used only for matching and features.
 */
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import * as OpenCC from 'opencc-js';
// Before natural is required below: it runs dotenv, which must stay quiet (see the module).
import '../config/dotenv-quiet.js';

/** Detected language of a message. Traditional and simplified Chinese are told apart for display and replies. */
export type DetectedLanguage = 'zh-Hans' | 'zh-Hant' | 'en' | 'other';

/** A message after normalization. `folded` has the same length as `original` (offsets carry over). */
export interface NormalizedText {
  /** The text as received. */
  original: string;
  /** NFKC, half-width, lower-case, simplified Chinese; same UTF-16 length as `original` whenever `aligned`. */
  folded: string;
  /** True when `folded[i]` corresponds to `original[i]` for every i (false only after a length-changing NFKC fold). */
  aligned: boolean;
  language: DetectedLanguage;
  /** Chinese words (jieba, simplified) and English stems (natural's Porter stemmer), stop words removed, negations kept. */
  tokens: string[];
  /** Counts used by language detection and emotion scoring. */
  stats: { han: number; latinWords: number; traditional: number; simplified: number };
}

// natural is CommonJS; config/dotenv-quiet.ts (imported above) keeps the dotenv it runs quiet.
const require = createRequire(import.meta.url);
const natural = require('natural') as typeof import('natural');

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const HAN_G = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const SEGMENT_RE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:['’][a-z]+)*/g;

/** Negations stay in the token stream: "not damaged" must not look like "damaged". */
const KEEP_EN = new Set(['not', 'no', 'never', 'cannot', 'again', 'nor', 'without', 'off', 'down', 'over', 'only', 'out']);
const EN_STOP = new Set(
  natural.stopwords.filter((w) => !KEEP_EN.has(w)).concat(['s', 'm', 've', 'll', 're', 'd', 'hi', 'hello', 'please', 'thanks', 'thank', 'im']),
);
const ZH_STOP = new Set(
  '的 了 是 我 你 他 她 它 们 我们 你们 这 那 这个 那个 就 都 也 还 在 和 与 及 啊 吧 呢 吗 嘛 呀 哦 哈 么 之 而 着 过 把 被 给 让 又 很 得 地 个 一个 有 要 会 能 说 对 从 到 为 以 于 上 下 吗 啦 喔 嗯 哎 唉 呃 请问 您好 你好 谢谢'.split(
    ' ',
  ),
);

let jieba: Jieba | undefined;
let tradToSimp: Map<string, string> | undefined;
let simpChars: Set<string> | undefined;

function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/**
 * Character-level traditional → simplified map, built once from OpenCC's dictionaries.
 * Converting char by char (not opencc's phrase mode) keeps the folded text the same length as the
 * original, so offsets found in it point into the original; Taiwan-only vocabulary (軟體/软件) is
 * folded by synonyms in categories.yaml instead.
 */
function chineseMaps(): { t2s: Map<string, string>; simp: Set<string> } {
  if (!tradToSimp || !simpChars) {
    const chars: string[] = [];
    for (let cp = 0x4e00; cp <= 0x9fff; cp++) chars.push(String.fromCharCode(cp));
    for (let cp = 0xf900; cp <= 0xfaff; cp++) chars.push(String.fromCharCode(cp));
    // A separator between characters stops opencc from treating neighbours as a phrase.
    const joined = chars.join('\n');
    const toSimp = OpenCC.Converter({ from: 'tw', to: 'cn' })(joined).split('\n');
    const toTrad = OpenCC.Converter({ from: 'cn', to: 'tw' })(joined).split('\n');
    const t2s = new Map<string, string>();
    const simp = new Set<string>();
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      const s = toSimp[i];
      const t = toTrad[i];
      // A character that is itself a simplified form (its traditional form differs) is left alone:
      // the character-level tw→cn table would otherwise turn 么 into 幺 (怎么 → 怎幺).
      const isSimplifiedForm = t !== undefined && t !== c;
      if (s && s !== c && s.length === 1 && !isSimplifiedForm) t2s.set(c, s);
      if (t && t !== c && !t2s.has(c)) simp.add(c);
    }
    tradToSimp = t2s;
    simpChars = simp;
  }
  return { t2s: tradToSimp, simp: simpChars };
}

/** Loads the jieba dictionary and the OpenCC maps now instead of on the first message (~0.5 s). */
export function warmUpNormalizer(): void {
  segmenter();
  chineseMaps();
}

/** Full-width ASCII and the ideographic space to their half-width forms, one UTF-16 unit for one. */
export function foldWidth(text: string): string {
  let out = '';
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) {
      out += String.fromCharCode(c - 0xfee0);
      changed = true;
    } else if (c === 0x3000) {
      out += ' ';
      changed = true;
    } else out += text[i];
  }
  return changed ? out : text;
}

/** Traditional characters → simplified, one for one. Text with no traditional characters is returned as is. */
export function toSimplified(text: string): string {
  const { t2s } = chineseMaps();
  let out = '';
  let changed = false;
  for (const ch of text) {
    const s = t2s.get(ch);
    if (s !== undefined) {
      out += s;
      changed = true;
    } else out += ch;
  }
  return changed ? out : text;
}

/** The folded form used for matching: NFKC + width + case + simplified. */
export function foldText(text: string): { folded: string; aligned: boolean } {
  let s = foldWidth(text);
  const nfkc = s.normalize('NFKC');
  const aligned = nfkc.length === s.length;
  // NFKC can change the length (ligatures, ㎏ → kg, decomposed accents): we still match on it but
  // then evidence offsets are not reported.
  s = nfkc.toLowerCase();
  const lowerAligned = aligned && s.length === text.length;
  return { folded: HAN.test(s) ? toSimplified(s) : s, aligned: lowerAligned };
}

const stemCache = new Map<string, string>();
/** natural's Porter stemmer, memoised: it costs several µs per word and complaint vocabulary repeats. */
export function stemWord(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = /^\d+$/.test(word) ? word : natural.PorterStemmer.stem(word);
    if (stemCache.size > 50_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** English word → tokens, expanding "n't" so negation survives ("hasn't" → has, not). */
function englishTokens(word: string, out: string[], keepStop = false): void {
  const w = word.replace(/’/g, "'");
  if (w.endsWith("n't")) {
    const base = w === "won't" ? 'will' : w === "can't" ? 'can' : w.slice(0, -3);
    if (base && (keepStop || !EN_STOP.has(base))) out.push(stemWord(base));
    out.push('not');
    return;
  }
  const bare = w.replace(/'(s|re|ve|ll|d|m)$/, '');
  if ((!keepStop && EN_STOP.has(bare)) || bare.length === 0) return;
  if (/^\d+$/.test(bare)) {
    // Numbers are mostly order numbers and amounts: keep their shape, not their value.
    out.push(bare.length >= 6 ? '#longnum' : '#num');
    return;
  }
  out.push(stemWord(bare));
}

/**
 * Tokens of an already folded text: jieba for Han runs, natural's stemmer for Latin words.
 * With `keepStopWords` function words stay: intents often hinge on them ("why" vs "how", "can't").
 */
export function tokenizeFolded(folded: string, opts: { keepStopWords?: boolean } = {}): string[] {
  const out: string[] = [];
  SEGMENT_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SEGMENT_RE.exec(folded)) !== null) {
    const run = m[0];
    if (HAN.test(run[0]!)) {
      for (const w of segmenter().cut(run, false)) {
        if (opts.keepStopWords || !ZH_STOP.has(w)) out.push(w);
      }
    } else englishTokens(run, out, opts.keepStopWords);
  }
  return out;
}

/** Language from script counts: kana/hangul/Cyrillic… → other; Han vs Latin words decides zh/en. */
export function detectLanguage(folded: string, original: string): { language: DetectedLanguage; stats: NormalizedText['stats'] } {
  const han = (original.match(HAN_G) ?? []).length;
  const latinWords = (folded.match(/[a-z]{2,}/g) ?? []).length;
  let traditional = 0;
  let simplified = 0;
  if (han > 0) {
    const { t2s, simp } = chineseMaps();
    for (const ch of original) {
      if (t2s.has(ch)) traditional++;
      else if (simp.has(ch)) simplified++;
    }
  }
  const stats = { han, latinWords, traditional, simplified };
  const kana = (original.match(/[\u3040-\u30ff]/g) ?? []).length;
  const otherLetters = (original.match(/[\u0900-\u097f\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\uac00-\ud7af]/g) ?? []).length;
  if (kana > 0 && kana * 5 >= han) return { language: 'other', stats };
  if (otherLetters > han + latinWords * 3) return { language: 'other', stats };
  if (han > 0 && han >= latinWords) {
    return { language: traditional > simplified ? 'zh-Hant' : 'zh-Hans', stats };
  }
  if (latinWords > 0) {
    // Accented Latin letters beyond a stray name suggest French, Spanish, German…: not ours.
    const accented = (original.match(/[à-öø-ÿ]/gi) ?? []).length;
    const letters = (folded.match(/[a-z]/g) ?? []).length;
    return { language: accented * 20 > letters ? 'other' : 'en', stats };
  }
  return { language: 'other', stats };
}

/** Full normalization of one message. Pure apart from the lazily loaded dictionaries. */
export function normalizeText(original: string): NormalizedText {
  const { folded, aligned } = foldText(original);
  const { language, stats } = detectLanguage(folded, original);
  return { original, folded, aligned, language, tokens: tokenizeFolded(folded), stats };
}
