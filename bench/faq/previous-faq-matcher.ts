/**
 * THE PREVIOUS MATCHER (main before issue 17), kept only as the benchmark's baseline: bench/faq runs it beside the
 * current nlp/faq/faq-matcher.ts on the same data in the same process, for quality and speed. Not used by the gateway.
 *
 * Finds the FAQ entry a customer's message asks about, and decides whether the bot may answer.
 *
 * Every question paraphrase in faq.yaml becomes a TF-IDF vector over normalized features:
 * words (jieba for Chinese, Porter stems for English, folded through the synonym groups of
 * categories.yaml so 退钱 = 退款 = refund), word bigrams (the phrase boost: "change address" is
 * stronger evidence than "change" and "address" apart) and, for Chinese, character bigrams (jieba
 * cuts a typo or a rare word differently in a query and in a paraphrase; characters still agree).
 * An entry's score is the mean of its best paraphrase's cosine and the cosine with the centroid of
 * all its paraphrases: the first rewards a near-verbatim question, the second an entry whose
 * paraphrases together cover the words used. Scores are in [0, 1]; a word the FAQ never uses lowers
 * the score (the question is probably about something else), which is what the threshold needs.
 *
 * Built once per config (a few ms for a few hundred entries); a query costs one normalization and
 * a walk over the postings of its features.
 */
import { boundForAnalysis } from '../../nlp/analysis-bounds.js';
import type { SynonymTable } from '../../nlp/term-matcher.js';
import { detectLanguage, foldText, tokenizeFolded } from '../../nlp/text-normalizer.js';
import type { FaqAnswer, FaqConfig, FaqEntry, FaqLanguage } from '../../config/faq.schema.js';

/** Something that folds a token to its synonym group's canonical form (categories.yaml `synonyms`). */
export interface TokenFolder {
  fold(token: string): string;
}

/** Options of {@link FaqMatcher}. */
export interface FaqMatcherOptions {
  /** Synonym groups from categories.yaml (a {@link SynonymTable}); without them words match only as written. */
  synonyms?: SynonymTable | TokenFolder;
  /** Weight of the best-paraphrase cosine against the entry-centroid cosine (default 0.5). */
  bestParaphraseWeight?: number;
  /** Weight of a query feature no paraphrase has, relative to the rarest known one (default 1: bench/faq found lower values let unrelated messages score higher). */
  unseenWeight?: number;
}

/** Per-query options. */
export interface FaqMatchOptions {
  /** The customer's channel: entries restricted to other channels are skipped. */
  channel?: string;
  /** The customer's language (`zh`, `zh-Hans`, `zh-Hant`, `en`); detected from the text when omitted. */
  language?: string;
  /** How many entries to return (default 5). */
  limit?: number;
}

/** One candidate entry for a message. */
export interface FaqMatch {
  id: string;
  /** 0-1; compare with the config's `threshold`. */
  score: number;
  /** The paraphrase that matched best (as written in faq.yaml). */
  question: string;
  /** The answer in `language`. */
  answer: FaqAnswer;
  /** The customer's language if the entry has an answer in it, else the entry's other language. */
  language: FaqLanguage;
}

/** What the bot should do with a message. */
export interface FaqDecision {
  /** Present when the best entry is confident enough to answer without a person. */
  answer?: { entryId: string; text: string; link?: string; score: number; language: FaqLanguage };
  /** The best candidates, best first, answered or not (for metrics, "top unanswered", the agent's view). */
  top: FaqMatch[];
}

/** Feature weights per kind. Word bigrams are the phrase boost. */
const KIND_WEIGHT = { w: 1, b: 0.8, c: 0.6 };
const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;

interface Paraphrase {
  entry: number;
  text: string;
  language: FaqLanguage;
}

/** Sparse vector as parallel arrays of feature ids and weights. */
interface SparseVector {
  ids: number[];
  weights: number[];
}

/**
 * TF-IDF matcher over one FAQ configuration. Immutable: build a new one when the config reloads.
 */
export class PreviousFaqMatcher {
  private readonly entries: FaqEntry[];
  private readonly paraphrases: Paraphrase[] = [];
  private readonly featureIds = new Map<string, number>();
  private idf: Float64Array = new Float64Array(0);
  /** idf of a feature the FAQ never uses: as rare as can be. */
  private unseenIdf = 1;
  /** feature id → paraphrase ids and weights. */
  private readonly paraPostings: Array<{ docs: number[]; weights: number[] }> = [];
  /** feature id → entry ids and centroid weights. */
  private readonly entryPostings: Array<{ docs: number[]; weights: number[] }> = [];
  private readonly folder: TokenFolder | undefined;
  private readonly lambda: number;
  private readonly unseenWeight: number;
  private paraDot = new Float64Array(0);
  private entryDot = new Float64Array(0);
  private bestSim = new Float64Array(0);
  private bestPara = new Int32Array(0);
  /** Per-language index of entries allowed on a channel, cached per channel name. */
  private readonly channelAllowed = new Map<string, Uint8Array>();

  constructor(
    private readonly faq: FaqConfig,
    opts: FaqMatcherOptions = {},
  ) {
    this.entries = faq.entries;
    this.folder = opts.synonyms;
    this.lambda = opts.bestParaphraseWeight ?? 0.5;
    this.unseenWeight = opts.unseenWeight ?? 1;
    this.build();
  }

  /** The threshold and margin this matcher decides with. */
  get threshold(): number {
    return this.faq.threshold;
  }

  /** Number of indexed paraphrases (all languages). */
  get size(): number {
    return this.paraphrases.length;
  }

  /** The best entries for a message, best first. Entries not allowed on `opts.channel` are left out. */
  match(text: string, opts: FaqMatchOptions = {}): FaqMatch[] {
    const limit = opts.limit ?? 5;
    const bounded = boundForAnalysis(text);
    const folded = fold(bounded);
    const customer = customerLanguage(opts.language, folded, bounded);
    const query = this.vectorize(folded, false);
    if (query.ids.length === 0 || this.entries.length === 0) return [];

    // Scratch accumulators reused across queries (JavaScript runs one query at a time).
    const paraDot = this.paraDot;
    const entryDot = this.entryDot;
    const touched: number[] = [];
    const touchedEntries: number[] = [];
    for (let k = 0; k < query.ids.length; k++) {
      const f = query.ids[k]!;
      if (f < 0) continue; // a feature no paraphrase has only lowers the query's norm
      const qw = query.weights[k]!;
      const pp = this.paraPostings[f]!;
      for (let i = 0; i < pp.docs.length; i++) {
        const d = pp.docs[i]!;
        if (paraDot[d] === 0) touched.push(d);
        paraDot[d]! += qw * pp.weights[i]!;
      }
      const ep = this.entryPostings[f]!;
      for (let i = 0; i < ep.docs.length; i++) {
        const d = ep.docs[i]!;
        if (entryDot[d] === 0) touchedEntries.push(d);
        entryDot[d]! += qw * ep.weights[i]!;
      }
    }

    const allowed = this.allowedOn(opts.channel);
    const bestSim = this.bestSim;
    const bestPara = this.bestPara;
    for (const p of touched) {
      const e = this.paraphrases[p]!.entry;
      const sim = paraDot[p]!;
      paraDot[p] = 0;
      if (allowed && !allowed[e]) continue;
      if (bestPara[e] === -1 || sim > bestSim[e]!) {
        bestSim[e] = sim;
        bestPara[e] = p;
      }
    }

    const scored: Array<{ entry: number; score: number; para: number }> = [];
    for (const e of touchedEntries) {
      if (bestPara[e] !== -1) {
        const score = this.lambda * bestSim[e]! + (1 - this.lambda) * entryDot[e]!;
        scored.push({ entry: e, score: Math.min(1, score), para: bestPara[e]! });
      }
      entryDot[e] = 0;
      bestSim[e] = 0;
      bestPara[e] = -1;
    }
    scored.sort((a, b) => b.score - a.score || a.entry - b.entry);

    return scored.slice(0, limit).map(({ entry, score, para }) => {
      const e = this.entries[entry]!;
      const matched = this.paraphrases[para]!;
      const language = answerLanguage(e, customer ?? matched.language);
      return { id: e.id, score: round(score), question: matched.text, answer: e.answers[language]!, language };
    });
  }

  /**
   * Answer or not: the best entry answers when its score is at or above `threshold` and, if
   * `minMargin` is set, beats the runner-up entry by at least that much.
   */
  decide(text: string, opts: FaqMatchOptions = {}): FaqDecision {
    const top = this.match(text, { ...opts, limit: Math.max(2, opts.limit ?? 5) });
    const shown = top.slice(0, opts.limit ?? 5);
    const first = top[0];
    if (!first || first.score < this.faq.threshold) return { top: shown };
    const margin = first.score - (top[1]?.score ?? 0);
    if (this.faq.minMargin !== undefined && margin < this.faq.minMargin) return { top: shown };
    const answer: NonNullable<FaqDecision['answer']> = { entryId: first.id, text: first.answer.text, score: first.score, language: first.language };
    if (first.answer.link) answer.link = first.answer.link;
    return { answer, top: shown };
  }

  private build(): void {
    // Pass 1: vocabulary and unweighted-by-idf vectors; pass 2: idf, then normalize.
    const docs: SparseVector[] = [];
    this.entries.forEach((entry, e) => {
      for (const language of ['zh', 'en'] as const) {
        for (const q of entry.questions[language] ?? []) {
          this.paraphrases.push({ entry: e, text: q, language });
          docs.push(this.vectorize(fold(q), true));
        }
      }
    });

    const df = new Float64Array(this.featureIds.size);
    for (const doc of docs) for (const f of doc.ids) df[f]! += 1;
    const n = docs.length;
    this.idf = new Float64Array(df.length);
    for (let f = 0; f < df.length; f++) this.idf[f] = Math.log((n + 1) / (df[f]! + 1)) + 1;
    this.unseenIdf = (Math.log(n + 1) + 1) * this.unseenWeight;
    for (let f = 0; f < df.length; f++) {
      this.paraPostings.push({ docs: [], weights: [] });
      this.entryPostings.push({ docs: [], weights: [] });
    }

    const centroids = this.entries.map(() => new Map<number, number>());
    docs.forEach((v, p) => {
      let norm = 0;
      for (let k = 0; k < v.ids.length; k++) {
        v.weights[k]! *= this.idf[v.ids[k]!]!;
        norm += v.weights[k]! ** 2;
      }
      norm = Math.sqrt(norm) || 1;
      const c = centroids[this.paraphrases[p]!.entry]!;
      for (let k = 0; k < v.ids.length; k++) {
        const f = v.ids[k]!;
        const w = v.weights[k]! / norm;
        this.paraPostings[f]!.docs.push(p);
        this.paraPostings[f]!.weights.push(w);
        c.set(f, (c.get(f) ?? 0) + w);
      }
    });
    this.paraDot = new Float64Array(n);
    this.entryDot = new Float64Array(this.entries.length);
    this.bestSim = new Float64Array(this.entries.length);
    this.bestPara = new Int32Array(this.entries.length).fill(-1);
    centroids.forEach((c, e) => {
      let norm = 0;
      for (const w of c.values()) norm += w * w;
      norm = Math.sqrt(norm) || 1;
      for (const [f, w] of c) {
        this.entryPostings[f]!.docs.push(e);
        this.entryPostings[f]!.weights.push(w / norm);
      }
    });
  }

  private allowedOn(channel: string | undefined): Uint8Array | undefined {
    if (!channel) return undefined;
    let allowed = this.channelAllowed.get(channel);
    if (!allowed) {
      allowed = Uint8Array.from(this.entries, (e) => (!e.channels || (e.channels as readonly string[]).includes(channel) ? 1 : 0));
      this.channelAllowed.set(channel, allowed);
    }
    return allowed;
  }

  /** Feature occurrence counts of a folded text, keyed `w:` word, `b:` word bigram, `c:` Chinese character bigram. */
  private termCounts(folded: string): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
    const tokens = tokenizeFolded(folded).map((t) => this.folder?.fold(t) ?? t);
    for (const t of tokens) add(`w:${t}`);
    for (let i = 1; i < tokens.length; i++) add(`b:${tokens[i - 1]} ${tokens[i]}`);
    HAN_RUN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = HAN_RUN.exec(folded)) !== null) {
      const run = m[0];
      for (let i = 1; i < run.length; i++) add(`c:${run[i - 1]}${run[i]}`);
    }
    return counts;
  }

  /**
   * Sublinear tf × idf × kind weight, L2-normalized. With `grow` (index time) unseen features join
   * the vocabulary; at query time they get id -1 and the idf of the rarest feature: they count in
   * the query's norm (lowering every score) but match nothing.
   */
  private vectorize(folded: string, grow: boolean): SparseVector {
    const ids: number[] = [];
    const weights: number[] = [];
    let norm = 0;
    for (const [feature, count] of this.termCounts(folded)) {
      let id = this.featureIds.get(feature);
      if (id === undefined && grow) {
        id = this.featureIds.size;
        this.featureIds.set(feature, id);
      }
      const idf = grow ? 1 : id === undefined ? this.unseenIdf : this.idf[id]!;
      const w = KIND_WEIGHT[feature[0] as 'w' | 'b' | 'c'] * (1 + Math.log(count)) * idf;
      ids.push(id ?? -1);
      weights.push(w);
      norm += w * w;
    }
    if (!grow) {
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < weights.length; i++) weights[i]! /= norm;
    }
    return { ids, weights };
  }
}

/**
 * foldText, then 幺 back to 么: the normalizer's character table (OpenCC tw→cn) turns the simplified
 * 么 into 幺, so "怎么" became "怎幺" and jieba cut it into two meaningless pieces, while a traditional
 * "怎麼" folds to "怎么" and then matched nothing. 幺 itself is rare in customer questions.
 */
function fold(text: string): string {
  return foldText(text).folded.replace(/幺/g, '么');
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** `zh-Hant` → zh; undefined when the text's language is not one the FAQ is written in. */
function customerLanguage(given: string | undefined, folded: string, original: string): FaqLanguage | undefined {
  const lang = given ?? detectLanguage(folded, original).language;
  if (lang.startsWith('zh')) return 'zh';
  if (lang.startsWith('en')) return 'en';
  return undefined;
}

function answerLanguage(entry: FaqEntry, wanted: FaqLanguage): FaqLanguage {
  if (entry.answers[wanted]) return wanted;
  return wanted === 'zh' ? 'en' : 'zh';
}
