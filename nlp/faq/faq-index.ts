/**
 * TF-IDF vectors of the FAQ's paraphrases, and how much of a message's wording each entry shares.
 *
 * An entry's similarity is the mean of its best paraphrase's cosine and the cosine with the centroid
 * of all its paraphrases: the first rewards a near-verbatim question, the second an entry whose
 * paraphrases together cover the words used. A feature no paraphrase has counts in the message's
 * norm with the idf of the rarest feature, so words the FAQ never uses lower every similarity: a
 * complaint about a leaking kettle shares 退货 with the returns entry but little else. That is what
 * this number is for: the entry classifier says which entry fits best, this says whether the FAQ
 * knows what the message is about at all.
 */
import { FEATURE_WEIGHT } from './faq-features.js';

/** Sparse vector as parallel arrays of feature ids (-1 = a feature the FAQ never uses) and weights. */
export interface SparseVector {
  ids: number[];
  weights: number[];
}

/** Per-entry similarities of one message, and which paraphrase matched best. */
export interface EntrySimilarities {
  /** entry → similarity 0-1 (0 for entries sharing no feature). */
  similarity: Float64Array;
  /** entry → index of its best paraphrase, -1 when it shares nothing. */
  bestParaphrase: Int32Array;
}

interface Postings {
  docs: number[];
  weights: number[];
}

export class FaqIndex {
  readonly featureIds = new Map<string, number>();
  /** Unit-length TF-IDF vector per document, in the order given (the classifier trains on these). */
  readonly vectors: SparseVector[] = [];
  private readonly idf: Float64Array;
  private readonly unseenIdf: number;
  private readonly paraPostings: Postings[] = [];
  private readonly entryPostings: Postings[] = [];
  private readonly paraDot: Float64Array;
  /** paraphrase → its entry. */
  private readonly entryOf: Int32Array;

  /**
   * @param documents feature counts of each paraphrase and the entry it belongs to; documents marked
   *   `paraphrase: false` (an entry's answer text) join the vocabulary and get a vector for the
   *   classifier, but are not matched against: a long answer would make any message look similar.
   * @param entryCount number of entries (entries without paraphrases simply never match)
   */
  constructor(
    documents: Array<{ entry: number; features: Map<string, number>; paraphrase: boolean }>,
    private readonly entryCount: number,
    private readonly bestParaphraseWeight = 0.5,
  ) {
    const raw = documents.map((p) => this.weigh(p.features, true));
    const df = new Float64Array(this.featureIds.size);
    raw.forEach((doc, d) => {
      if (documents[d]!.paraphrase) for (const f of doc.ids) df[f]! += 1;
    });
    const n = documents.filter((d) => d.paraphrase).length;
    this.idf = Float64Array.from(df, (d) => Math.log((n + 1) / (d + 1)) + 1);
    this.unseenIdf = Math.log(n + 1) + 1;
    for (let f = 0; f < df.length; f++) {
      this.paraPostings.push({ docs: [], weights: [] });
      this.entryPostings.push({ docs: [], weights: [] });
    }
    const centroids = Array.from({ length: entryCount }, () => new Map<number, number>());
    raw.forEach((doc, p) => {
      const v = this.normalize(
        doc.ids,
        doc.weights.map((w, k) => w * this.idf[doc.ids[k]!]!),
      );
      this.vectors.push(v);
      if (!documents[p]!.paraphrase) return;
      const c = centroids[documents[p]!.entry]!;
      v.ids.forEach((f, k) => {
        this.paraPostings[f]!.docs.push(p);
        this.paraPostings[f]!.weights.push(v.weights[k]!);
        c.set(f, (c.get(f) ?? 0) + v.weights[k]!);
      });
    });
    this.entryOf = Int32Array.from(documents, (p) => p.entry);
    centroids.forEach((c, e) => {
      const v = this.normalize([...c.keys()], [...c.values()]);
      v.ids.forEach((f, k) => {
        this.entryPostings[f]!.docs.push(e);
        this.entryPostings[f]!.weights.push(v.weights[k]!);
      });
    });
    this.paraDot = new Float64Array(documents.length);
  }

  /** Number of features the paraphrases use. */
  get featureCount(): number {
    return this.featureIds.size;
  }

  /** Unit-length TF-IDF vector of a message's features (unknown features get id -1). */
  vectorize(features: Map<string, number>): SparseVector {
    const v = this.weigh(features, false);
    return this.normalize(v.ids, v.weights);
  }

  /** How much of the message's wording each entry shares (see the file header). */
  similarities(query: SparseVector): EntrySimilarities {
    const similarity = new Float64Array(this.entryCount);
    const bestParaphrase = new Int32Array(this.entryCount).fill(-1);
    const bestCosine = new Float64Array(this.entryCount);
    const paraDot = this.paraDot;
    const touched: number[] = [];
    for (let k = 0; k < query.ids.length; k++) {
      const f = query.ids[k]!;
      if (f < 0) continue;
      const qw = query.weights[k]!;
      const pp = this.paraPostings[f]!;
      for (let i = 0; i < pp.docs.length; i++) {
        const d = pp.docs[i]!;
        if (paraDot[d] === 0) touched.push(d);
        paraDot[d]! += qw * pp.weights[i]!;
      }
      const ep = this.entryPostings[f]!;
      for (let i = 0; i < ep.docs.length; i++) similarity[ep.docs[i]!]! += qw * ep.weights[i]!;
    }
    for (const p of touched) {
      const e = this.entryOf[p]!;
      if (bestParaphrase[e] === -1 || paraDot[p]! > bestCosine[e]!) {
        bestCosine[e] = paraDot[p]!;
        bestParaphrase[e] = p;
      }
      paraDot[p] = 0;
    }
    const lambda = this.bestParaphraseWeight;
    for (let e = 0; e < this.entryCount; e++) {
      similarity[e] = bestParaphrase[e] === -1 ? 0 : Math.min(1, lambda * bestCosine[e]! + (1 - lambda) * similarity[e]!);
    }
    return { similarity, bestParaphrase };
  }

  /** Sublinear tf × kind weight (× idf at query time); at build time unseen features join the vocabulary. */
  private weigh(features: Map<string, number>, grow: boolean): SparseVector {
    const ids: number[] = [];
    const weights: number[] = [];
    for (const [feature, count] of features) {
      let id = this.featureIds.get(feature);
      if (id === undefined && grow) {
        id = this.featureIds.size;
        this.featureIds.set(feature, id);
      }
      const idf = grow ? 1 : id === undefined ? this.unseenIdf : this.idf[id]!;
      ids.push(id ?? -1);
      weights.push((FEATURE_WEIGHT[feature[0]!] ?? 1) * (1 + Math.log(count)) * idf);
    }
    return { ids, weights };
  }

  private normalize(ids: number[], weights: number[]): SparseVector {
    let norm = 0;
    for (const w of weights) norm += w * w;
    norm = Math.sqrt(norm) || 1;
    return { ids, weights: weights.map((w) => w / norm) };
  }
}
