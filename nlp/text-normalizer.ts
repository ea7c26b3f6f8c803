/**
 * Text normalization for matching: width folding, NFKC, case folding, traditional → simplified,
 * language detection and bilingual segmentation. The original text is never changed; everything
 * here produces a separate "folded" form used only for matching and features.
 */
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import * as OpenCC from 'opencc-js';
// natural's index runs dotenv, which must stay quiet (see the module); the benches' baselines still load it.
import '../config/dotenv-quiet.js';
import { fromRegionalWords } from './regional-words.js';
import { codeAt } from './string-units.js';
import { RecentResults } from './recent-results.js';

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

// natural is CommonJS. Only its Porter stemmer and English stop words are used, required by path: its
// index also loads every storage backend it supports (Redis, MongoDB, PostgreSQL clients, dotenv), which
// took seconds at every start and CLI command, and the Redis client's `class VerbatimString extends String`
// makes V8 slow down every string loop in the process (see string-units.ts).
const require = createRequire(import.meta.url);
const natural = {
  PorterStemmer: require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(word: string): string },
  stopwords: (require('natural/lib/natural/util/stopwords.js') as { words: string[] }).words,
};

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
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
/**
 * The same two maps by UTF-16 code unit, for the per-message loops: `T2S_CODE[c]` is the simplified
 * code unit of a traditional character (0 if none), `SCRIPT_CODE[c]` is 1 for a traditional
 * character (a key of `t2s`), 2 for a simplified one (in `simp`), 0 otherwise. Every key of both
 * maps is one BMP character, so reading a text unit by unit finds exactly what reading it by code
 * point does (a surrogate is in neither).
 */
let T2S_CODE: Uint16Array | undefined;
let SCRIPT_CODE: Uint8Array | undefined;

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
    T2S_CODE = new Uint16Array(65536);
    SCRIPT_CODE = new Uint8Array(65536);
    for (const [t, sc] of t2s) {
      T2S_CODE[t.charCodeAt(0)] = sc.charCodeAt(0);
      SCRIPT_CODE[t.charCodeAt(0)] = 1;
    }
    for (const c of simp) SCRIPT_CODE[c.charCodeAt(0)] = 2;
  }
  return { t2s: tradToSimp, simp: simpChars };
}

/** The code-unit tables of {@link chineseMaps}. */
function chineseCodes(): { t2s: Uint16Array; script: Uint8Array } {
  if (!T2S_CODE || !SCRIPT_CODE) chineseMaps();
  return { t2s: T2S_CODE!, script: SCRIPT_CODE! };
}

/** Loads the jieba dictionary and the OpenCC maps now instead of on the first message (~0.5 s). */
export function warmUpNormalizer(): void {
  segmenter();
  chineseMaps();
}

const WIDE = /[\uff01-\uff5e\u3000]/g;
const narrow = (ch: string): string => (ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0));

/** Full-width ASCII and the ideographic space to their half-width forms, one UTF-16 unit for one. */
export function foldWidth(text: string): string {
  // One regex replace: building the string unit by unit cost ~80 µs for 200 Chinese characters.
  return text.replace(WIDE, narrow);
}

/** Traditional characters → simplified, one for one. Text with no traditional characters is returned as is. */
export function toSimplified(text: string): string {
  const { t2s } = chineseCodes();
  const n = text.length;
  let i = 0;
  while (i < n && t2s[codeAt(text, i)] === 0) i++;
  if (i === n) return text;
  // From the first traditional character on, unit by unit (every mapped character is one BMP unit).
  const codes = new Uint16Array(n - i);
  for (let k = i; k < n; k++) {
    const c = codeAt(text, k);
    codes[k - i] = t2s[c] || c;
  }
  let out = text.slice(0, i);
  for (let k = 0; k < codes.length; k += 8192) out += String.fromCharCode(...codes.subarray(k, k + 8192));
  return out;
}

/** The folded form used for matching: NFKC + width + case + simplified. */
export function foldText(text: string): { folded: string; aligned: boolean } {
  const { folded, aligned } = recentFolds.get(text, foldNow);
  return { folded, aligned };
}

/** The last texts folded: the classifier, the normalizer, the signature and the FAQ fold the same message. */
const recentFolds = new RecentResults<{ folded: string; aligned: boolean }>(4);

function foldNow(text: string): { folded: string; aligned: boolean } {
  let s = foldWidth(text);
  const nfkc = s.normalize('NFKC');
  const aligned = nfkc.length === s.length;
  // NFKC can change the length (ligatures, ㎏ → kg, decomposed accents): we still match on it but
  // then evidence offsets are not reported.
  s = nfkc.toLowerCase();
  const lowerAligned = aligned && s.length === text.length;
  return { folded: HAN.test(s) ? fromRegionalWords(toSimplified(s)) : s, aligned: lowerAligned };
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

/** The tokens of English words already seen (with and without stop words): complaint vocabulary repeats. */
const wordTokens = [new Map<string, string[]>(), new Map<string, string[]>()];

/** English word → tokens (see {@link wordTokensOf}), memoised per word. */
function englishTokens(word: string, out: string[], keepStop = false): void {
  const cache = wordTokens[keepStop ? 1 : 0]!;
  let tokens = cache.get(word);
  if (tokens === undefined) {
    tokens = [];
    wordTokensOf(word, tokens, keepStop);
    if (cache.size > 50_000) cache.clear();
    cache.set(word, tokens);
  }
  for (let i = 0; i < tokens.length; i++) out.push(tokens[i]!);
}

/** English word → tokens, expanding "n't" so negation survives ("hasn't" → has, not). */
function wordTokensOf(word: string, out: string[], keepStop: boolean): void {
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
 * jieba's words of the Han runs cut lately. One message is segmented by several readers (the example
 * index, the severity model twice, the FAQ whole and clause by clause): each run is cut once. The
 * cut is a pure function of the run, so the cache changes nothing but the time.
 */
const recentCuts = new Map<string, readonly string[]>();
const MAX_CACHED_CUTS = 4_096;

function cutHan(run: string): readonly string[] {
  let words = recentCuts.get(run);
  if (words === undefined) {
    words = segmenter().cut(run, false);
    if (recentCuts.size >= MAX_CACHED_CUTS) recentCuts.clear();
    recentCuts.set(run, words);
  }
  return words;
}

/**
 * Tokens of an already folded text: jieba for Han runs, natural's stemmer for Latin words.
 * With `keepStopWords` function words stay: intents often hinge on them ("why" vs "how", "can't").
 */
export function tokenizeFolded(folded: string, opts: { keepStopWords?: boolean } = {}): string[] {
  const out: string[] = [];
  const { texts, han } = segmentsOf(folded);
  for (let k = 0; k < texts.length; k++) {
    const run = texts[k]!;
    if (han[k]) {
      for (const w of cutHan(run)) {
        if (opts.keepStopWords || !ZH_STOP.has(w)) out.push(w);
      }
    } else englishTokens(run, out, opts.keepStopWords === true);
  }
  return out;
}

/**
 * A folded text cut into Han runs and English words (letters and digits, with "n't", "'s"…), in
 * order: `texts[k]` starts at `starts[k]`, `han[k]` says which kind it is. The words are the same as
 * the term matcher's English stream reads (its pattern is SEGMENT_RE's second alternative, and no
 * word touches a Han run). Remembered for the last few texts: the classifier's term matching,
 * example index and severity model all read one message this way.
 */
export interface Segments {
  texts: string[];
  starts: number[];
  han: boolean[];
}

const recentSegments = new RecentResults<Segments>(4);

export function segmentsOf(folded: string): Segments {
  return recentSegments.get(folded, segmentNow);
}

function segmentNow(folded: string): Segments {
  const segments: Segments = { texts: [], starts: [], han: [] };
  SEGMENT_RE.lastIndex = 0;
  for (let m = SEGMENT_RE.exec(folded); m; m = SEGMENT_RE.exec(folded)) {
    segments.texts.push(m[0]);
    segments.starts.push(m.index);
    segments.han.push(HAN.test(m[0][0]!));
  }
  return segments;
}

/** Language from script counts: kana/hangul/Cyrillic… → other; Han vs Latin words decides zh/en. */
export function detectLanguage(folded: string, original: string): { language: DetectedLanguage; stats: NormalizedText['stats'] } {
  // Counted unit by unit in one pass each (the ranges below are all in the BMP, as are the
  // characters of the traditional/simplified tables): the same counts as the regular expressions
  // HAN_G, /[\u3040-\u30ff]/g and /[\u0900-\u097f\u0400-\u04ff\u0600-\u06ff\u0e00-\u0e7f\uac00-\ud7af]/g.
  let han = 0;
  let kana = 0;
  let otherLetters = 0;
  // Traditional and simplified characters are all Han: counted in the same pass (the tables are
  // loaded on the first Han character, as before only for texts that have one).
  let traditional = 0;
  let simplified = 0;
  let script: Uint8Array | undefined;
  for (let i = 0; i < original.length; i++) {
    const c = codeAt(original, i);
    if (c < 0x0400) continue;
    if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff)) {
      han++;
      script ??= chineseCodes().script;
      const k = script[c];
      if (k === 1) traditional++;
      else if (k === 2) simplified++;
    } else if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (
      (c >= 0x0900 && c <= 0x097f) ||
      (c >= 0x0400 && c <= 0x04ff) ||
      (c >= 0x0600 && c <= 0x06ff) ||
      (c >= 0x0e00 && c <= 0x0e7f) ||
      (c >= 0xac00 && c <= 0xd7af)
    )
      otherLetters++;
  }
  // Runs of two or more a–z letters (/[a-z]{2,}/g).
  let latinWords = 0;
  let run = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = codeAt(folded, i);
    if (c >= 97 && c <= 122) {
      if (++run === 2) latinWords++;
    } else run = 0;
  }
  const stats = { han, latinWords, traditional, simplified };
  if (kana > 0 && kana * 5 >= han) return { language: 'other', stats };
  if (otherLetters > han + latinWords * 3) return { language: 'other', stats };
  if (han > 0 && han >= latinWords) {
    return { language: traditional > simplified ? 'zh-Hant' : 'zh-Hans', stats };
  }
  if (latinWords > 0) {
    // Accented Latin letters beyond a stray name suggest French, Spanish, German…: not ours.
    // Counted unit by unit (no array of every letter): /[à-öø-ÿ]/gi in the original, /[a-z]/g in the folded text.
    let accented = 0;
    for (let i = 0; i < original.length; i++) {
      const c = codeAt(original, i);
      if (c >= 0xc0 && accentedUnits()[c] === 1) accented++;
    }
    let letters = 0;
    for (let i = 0; i < folded.length; i++) {
      const c = codeAt(folded, i);
      if (c >= 97 && c <= 122) letters++;
    }
    return { language: accented * 20 > letters ? 'other' : 'en', stats };
  }
  return { language: 'other', stats };
}

let ACCENTED_UNITS: Uint8Array | undefined;
/** Per UTF-16 unit: 1 when /[à-öø-ÿ]/i matches it (the case-insensitive class, taken from the regex itself). */
function accentedUnits(): Uint8Array {
  if (!ACCENTED_UNITS) {
    const accented = /^[à-öø-ÿ]$/i;
    ACCENTED_UNITS = new Uint8Array(65536);
    for (let c = 0xc0; c < 65536; c++) if (accented.test(String.fromCharCode(c))) ACCENTED_UNITS[c] = 1;
  }
  return ACCENTED_UNITS;
}

/** Full normalization of one message. Pure apart from the lazily loaded dictionaries. */
export function normalizeText(original: string): NormalizedText {
  const { folded, aligned } = foldText(original);
  const { language, stats } = detectLanguage(folded, original);
  return { original, folded, aligned, language, tokens: tokenizeFolded(folded), stats };
}
