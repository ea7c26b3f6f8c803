/**
 * Example complaints of each sub-code (categories.yaml `examples`), compared with a message the
 * way the FAQ compares questions with paraphrases: TF-IDF over words (jieba for Chinese, stems for
 * English) and Chinese character bigrams, cosine similarity. Keywords say what a rule author
 * thought of; examples catch the same complaint put in other words ("一个半小时才送来" is late
 * delivery though it names no keyword). Pure: built once per config version.
 */
import { codeAt } from './string-units.js';
import { foldText, stemWord, tokenizeFolded } from './text-normalizer.js';

/** One example as written in categories.yaml, with the sub-code it illustrates. */
export interface LabelledExample {
  category: string;
  subcategory: string;
  text: string;
}

/** The closest example of a category and how close it is (cosine, 0–1). */
export interface ExampleMatch extends LabelledExample {
  similarity: number;
}

/** An example counts only when it shares at least this many words or bigrams with the message. */
const MIN_SHARED_FEATURES = 2;

const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

/**
 * How long and how many ("two weeks", "45 minutes", "三天", "两个小时") say nothing about what went wrong: an example of a
 * late repair visit is no closer to "the vacuum stopped sucking after two weeks" for sharing them. Left out of both sides.
 */
const EN_FILLER = new Set(
  [
    ...['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'twenty', 'thirty', 'hundred', 'half'],
    ...['first', 'second', 'third', 'minute', 'hour', 'day', 'week', 'month', 'year', 'time', 'today', 'yesterday', 'tomorrow', 'ago', 'later'],
  ].map(stemWord),
);
/** A number, or a Chinese count of time with its unit ("五天", "两个小时", "一周", "三次"): 多 or 一半 alone say how much. */
const COUNT = /^(\d+|[一二三四五六七八九十两半几]+个?多?(天|周|月|年|次|秒|分钟|小时|星期|礼拜))$/;
const ZH_FILLER_WORDS = new Set(['小时', '分钟', '星期', '礼拜', '今天', '昨天', '明天', '上周', '这周', '之后', '以后']);
function isFillerWord(token: string): boolean {
  return EN_FILLER.has(token) || ZH_FILLER_WORDS.has(token) || COUNT.test(token);
}
const ZH_NUMERAL = '一二三四五六七八九十两半几';
const ZH_UNIT = '天周月年次秒分个时';
/** Bigrams inside a count of time that no rule above catches ("两个小时": 个小; "一个多月": 个多, 多月). */
const ZH_FILLER_BIGRAMS = new Set(['个小', '个多', '多月', '多天', '多周', '多小']);
/** A character bigram of a count or a time: 五天, 两个, 个小, 小时, 天了 ("五天了"), 今天. */
function isFillerBigram(a: string, b: string): boolean {
  return (
    (ZH_NUMERAL.includes(a) && (ZH_UNIT.includes(b) || ZH_NUMERAL.includes(b))) ||
    (ZH_UNIT.includes(a) && b === '了') ||
    ZH_FILLER_WORDS.has(a + b) ||
    ZH_FILLER_BIGRAMS.has(a + b)
  );
}

/** Words and Chinese character bigrams of a folded text, each once. */
function features(folded: string): string[] {
  const out = new Set<string>(tokenizeFolded(folded).filter((t) => !isFillerWord(t)));
  for (const run of folded.match(HAN_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) if (!isFillerBigram(run[i]!, run[i + 1]!)) out.add(`§${run.slice(i, i + 2)}`);
  }
  return [...out];
}

/**
 * Index of a Han character in the three Han ranges of HAN_RUN taken together (28,096 characters),
 * so that a bigram's key `index(a) × HAN_CHARS + index(b)` stays a small integer.
 */
const HAN_CHARS = 28_096;
function hanIndex(c: number): number {
  return c <= 0x4dbf ? c - 0x3400 : c <= 0x9fff ? 6_592 + c - 0x4e00 : 27_584 + c - 0xf900;
}
function bigramKey(text: string, i: number): number {
  return hanIndex(codeAt(text, i)) * HAN_CHARS + hanIndex(codeAt(text, i + 1));
}

export class ExampleIndex {
  private readonly idf = new Map<string, number>();
  private readonly vectors: Array<{ example: LabelledExample; weights: Map<string, number>; norm: number }> = [];
  private readonly postings = new Map<string, number[]>();
  /** The features above by number: words by their text, bigrams by {@link bigramKey}; idf and postings by that number. */
  private readonly wordIds = new Map<string, number>();
  private readonly bigramIds = new Map<number, number>();
  private readonly idfOf: number[] = [];
  private readonly postingsOf: number[][] = [];
  /** Scratch space of `nearest`, per example (reset after each call): dot product, shared features. */
  private readonly dots: Float64Array;
  private readonly shared: Int32Array;
  /**
   * Per feature id: 1 if it counts towards MIN_SHARED_FEATURES. A word of two Han characters does not: it is the same text
   * as its bigram, which counts ("晚上好" and "一晚上没睡好" share one thing, 晚上, not two). Nor does a word of one Han
   * character (好, 了, 没): it is in most messages and most examples alike. Both still weigh in the similarity.
   */
  private readonly countsAsShared: Uint8Array;
  /** Per feature id: the number of the last query that had it (each counts once per query). */
  private readonly seenIn: Int32Array;
  private queries = 0;

  constructor(examples: LabelledExample[]) {
    const docs = examples.map((e) => ({ example: e, feats: features(foldText(e.text).folded) }));
    const df = new Map<string, number>();
    for (const d of docs) for (const f of d.feats) df.set(f, (df.get(f) ?? 0) + 1);
    const n = docs.length;
    for (const [f, c] of df) this.idf.set(f, Math.log(1 + n / c));
    docs.forEach((d, i) => {
      const weights = new Map<string, number>();
      let sq = 0;
      for (const f of d.feats) {
        const w = this.idf.get(f)!;
        weights.set(f, w);
        sq += w * w;
        const list = this.postings.get(f) ?? [];
        list.push(i);
        this.postings.set(f, list);
      }
      this.vectors.push({ example: d.example, weights, norm: Math.sqrt(sq) || 1 });
    });
    for (const [f, w] of this.idf) {
      const id = this.idfOf.length;
      this.idfOf.push(w);
      this.postingsOf.push(this.postings.get(f)!);
      if (f[0] === '§') this.bigramIds.set(bigramKey(f, 1), id);
      else this.wordIds.set(f, id);
    }
    this.countsAsShared = new Uint8Array(this.idfOf.length).fill(1);
    for (const [word, id] of this.wordIds) {
      if (word.length === 1 && /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]$/.test(word)) this.countsAsShared[id] = 0;
      if (word.length === 2 && /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2}$/.test(word) && !isFillerBigram(word[0]!, word[1]!)) this.countsAsShared[id] = 0;
    }
    this.dots = new Float64Array(this.vectors.length);
    this.shared = new Int32Array(this.vectors.length);
    this.seenIn = new Int32Array(this.idfOf.length);
  }

  get size(): number {
    return this.vectors.length;
  }

  /**
   * The closest example of each category (best first) for an already folded message. Words the
   * examples never use count a quarter of a rare word in the message's length: a long message is
   * penalised little for its other topics, while "not bad at all" is not close to every example
   * that says "bad".
   *
   * Computed on feature numbers rather than strings (no bigram strings, no maps per message), in
   * the order `features` lists them, so every sum is added up in the same order as on strings.
   */
  nearest(folded: string): ExampleMatch[] {
    if (this.vectors.length === 0) return [];
    if (this.queries === 0x7fffffff) {
      this.seenIn.fill(0);
      this.queries = 0;
    }
    const query = ++this.queries;
    // The message's features the examples have (in `features` order), and how many distinct others.
    const known: number[] = [];
    let unknown = 0;
    let unknownWords: Set<string> | undefined;
    for (const t of tokenizeFolded(folded)) {
      if (isFillerWord(t)) continue;
      const id = this.wordIds.get(t);
      if (id === undefined) {
        unknownWords ??= new Set();
        if (!unknownWords.has(t)) {
          unknownWords.add(t);
          unknown++;
        }
      } else if (this.seenIn[id] !== query) {
        this.seenIn[id] = query;
        known.push(id);
      }
    }
    let unknownBigrams: Set<number> | undefined;
    HAN_RUN.lastIndex = 0;
    for (let m = HAN_RUN.exec(folded); m; m = HAN_RUN.exec(folded)) {
      const run = m[0];
      for (let i = 0; i + 1 < run.length; i++) {
        if (isFillerBigram(run[i]!, run[i + 1]!)) continue;
        const key = bigramKey(run, i);
        const id = this.bigramIds.get(key);
        if (id === undefined) {
          unknownBigrams ??= new Set();
          if (!unknownBigrams.has(key)) {
            unknownBigrams.add(key);
            unknown++;
          }
        } else if (this.seenIn[id] !== query) {
          this.seenIn[id] = query;
          known.push(id);
        }
      }
    }
    if (known.length === 0) return [];
    const unseen = Math.log(1 + this.vectors.length);
    let qsq = unknown * (unseen / 2) ** 2;
    const { dots, shared } = this;
    // Examples in the order they were first reached (the order a Map of them would iterate in).
    const touched: number[] = [];
    for (const f of known) {
      const w = this.idfOf[f]!;
      qsq += w * w;
      for (const i of this.postingsOf[f]!) {
        if (dots[i] === 0) touched.push(i);
        dots[i] += w * w;
        shared[i] += this.countsAsShared[f]!;
      }
    }
    const qnorm = Math.sqrt(qsq);
    const best = new Map<string, ExampleMatch>();
    for (const i of touched) {
      const dot = dots[i]!;
      const common = shared[i]!;
      dots[i] = 0;
      shared[i] = 0;
      // One word in common ("bad", "送") is chance, not likeness.
      if (common < MIN_SHARED_FEATURES) continue;
      const v = this.vectors[i]!;
      const similarity = dot / (qnorm * v.norm);
      const seen = best.get(v.example.category);
      if (!seen || similarity > seen.similarity) best.set(v.example.category, { ...v.example, similarity });
    }
    return [...best.values()].sort((a, b) => b.similarity - a.similarity);
  }
}
