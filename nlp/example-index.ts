/**
 * Example complaints of each sub-code (categories.yaml `examples`), compared with a message the
 * way the FAQ compares questions with paraphrases: TF-IDF over words (jieba for Chinese, stems for
 * English) and Chinese character bigrams, cosine similarity. Keywords say what a rule author
 * thought of; examples catch the same complaint put in other words ("一个半小时才送来" is late
 * delivery though it names no keyword). Pure: built once per config version.
 */
import { foldText, tokenizeFolded } from './text-normalizer.js';

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

/** Words and Chinese character bigrams of a folded text, each once. */
function features(folded: string): string[] {
  const out = new Set<string>(tokenizeFolded(folded));
  for (const run of folded.match(HAN_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) out.add(`§${run.slice(i, i + 2)}`);
  }
  return [...out];
}

export class ExampleIndex {
  private readonly idf = new Map<string, number>();
  private readonly vectors: Array<{ example: LabelledExample; weights: Map<string, number>; norm: number }> = [];
  private readonly postings = new Map<string, number[]>();

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
  }

  get size(): number {
    return this.vectors.length;
  }

  /**
   * The closest example of each category (best first) for an already folded message. Words the
   * examples never use count a quarter of a rare word in the message's length: a long message is
   * penalised little for its other topics, while "not bad at all" is not close to every example
   * that says "bad".
   */
  nearest(folded: string): ExampleMatch[] {
    if (this.vectors.length === 0) return [];
    const all = features(folded);
    const query = all.filter((f) => this.idf.has(f));
    if (query.length === 0) return [];
    const unseen = Math.log(1 + this.vectors.length);
    let qsq = (all.length - query.length) * (unseen / 2) ** 2;
    const dots = new Map<number, number>();
    const shared = new Map<number, number>();
    for (const f of query) {
      const w = this.idf.get(f)!;
      qsq += w * w;
      for (const i of this.postings.get(f)!) {
        dots.set(i, (dots.get(i) ?? 0) + w * w);
        shared.set(i, (shared.get(i) ?? 0) + 1);
      }
    }
    const qnorm = Math.sqrt(qsq);
    const best = new Map<string, ExampleMatch>();
    for (const [i, dot] of dots) {
      // One word in common ("bad", "送") is chance, not likeness.
      if (shared.get(i)! < MIN_SHARED_FEATURES) continue;
      const v = this.vectors[i]!;
      const similarity = dot / (qnorm * v.norm);
      const seen = best.get(v.example.category);
      if (!seen || similarity > seen.similarity) best.set(v.example.category, { ...v.example, similarity });
    }
    return [...best.values()].sort((a, b) => b.similarity - a.similarity);
  }
}
