/**
 * Which entry a message asks about: softmax regression over the TF-IDF features, trained on the
 * FAQ's own paraphrases each time the FAQ is built.
 *
 * Nearest-paraphrase similarity treats every shared word alike; trained weights learn which words
 * tell entries apart (退款 + 多久 → refund-time, 退款 + 怎么 → refund-how) and which do not matter.
 * On massive_zh_cn's validation split this took top-1 accuracy from 0.77 (the similarity score
 * alone) to 0.83, and accuracy on the 65 % most confident answers from 0.87 to 0.97.
 * The probability is what faq.yaml's `threshold` is compared with.
 *
 * Training is deterministic (seeded shuffle) and costs about (paraphrases × features per
 * paraphrase × entries × epochs) multiply-adds: a few ms for a few hundred paraphrases, a few
 * seconds for massive's 11,514 in 60 entries.
 */
import { seededRandom } from '../seeded-random.js';
import type { SparseVector } from './faq-index.js';

/**
 * Training settings, chosen on massive_zh_cn validation, banking77's train split and 5-fold
 * cross-validation of faq.yaml's paraphrases (never on a set bench/faq reports on).
 */
export interface ClassifierOptions {
  epochs: number;
  /** Adagrad step size. */
  learningRate: number;
  /**
   * Adagrad's running sum of squared gradients starts here. Near 0, the first update of every weight
   * is a full ±learningRate step whatever the gradient, so the order of the first examples sets the
   * weights of shared words ("refund" in both "refund to card" and "refund to wallet"); 0.1 damps
   * small first gradients. It raised faq.yaml's cross-validated top-1 from 0.81 to 0.85.
   */
  initialAccumulator: number;
  seed: number;
}

export const DEFAULT_CLASSIFIER_OPTIONS: ClassifierOptions = { epochs: 10, learningRate: 1, initialAccumulator: 0.1, seed: 17 };

/** A gradient this small for one entry and one example is skipped: it moves nothing and costs most of the time. */
const NEGLIGIBLE_GRADIENT = 1e-4;

export class EntryClassifier {
  /** Weights, feature-major: weights[feature × entries + entry]. */
  private readonly weights: Float32Array;
  private readonly bias: Float64Array;

  constructor(
    examples: Array<{ vector: SparseVector; entry: number }>,
    private readonly entries: number,
    features: number,
    opts: ClassifierOptions = DEFAULT_CLASSIFIER_OPTIONS,
  ) {
    const C = entries;
    this.weights = new Float32Array(features * C);
    this.bias = new Float64Array(C);
    if (C < 2 || examples.length === 0) return;
    const squared = new Float32Array(features * C).fill(opts.initialAccumulator);
    const biasSquared = new Float64Array(C).fill(opts.initialAccumulator);
    const order = examples.map((_, i) => i);
    const random = seededRandom(opts.seed);
    const lr = opts.learningRate;
    const p = new Float64Array(C);
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) {
        const { vector, entry } = examples[i]!;
        this.softmax(vector, undefined, p);
        for (let c = 0; c < C; c++) {
          const g = p[c]! - (c === entry ? 1 : 0);
          if (Math.abs(g) < NEGLIGIBLE_GRADIENT) continue;
          biasSquared[c]! += g * g;
          this.bias[c]! -= (lr * g) / Math.sqrt(biasSquared[c]!);
          for (let k = 0; k < vector.ids.length; k++) {
            const o = vector.ids[k]! * C + c;
            const gw = g * vector.weights[k]!;
            squared[o]! += gw * gw;
            this.weights[o]! -= (lr * gw) / Math.sqrt(squared[o]!);
          }
        }
      }
    }
  }

  /**
   * Probability of each entry for a message vector; entries outside `allowed` (a channel's) get 0 and
   * the rest share the whole probability. Features the FAQ never uses (id -1) carry no weight.
   */
  probabilities(vector: SparseVector, allowed?: Uint8Array): Float64Array {
    return this.softmax(vector, allowed, new Float64Array(this.entries));
  }

  private softmax(vector: SparseVector, allowed: Uint8Array | undefined, out: Float64Array): Float64Array {
    const C = this.entries;
    out.set(this.bias);
    for (let k = 0; k < vector.ids.length; k++) {
      const f = vector.ids[k]!;
      if (f < 0) continue;
      const w = vector.weights[k]!;
      const o = f * C;
      for (let c = 0; c < C; c++) out[c]! += this.weights[o + c]! * w;
    }
    let max = -Infinity;
    for (let c = 0; c < C; c++) if ((!allowed || allowed[c]) && out[c]! > max) max = out[c]!;
    let sum = 0;
    for (let c = 0; c < C; c++) {
      out[c] = !allowed || allowed[c] ? Math.exp(out[c]! - max) : 0;
      sum += out[c]!;
    }
    if (sum > 0) for (let c = 0; c < C; c++) out[c]! /= sum;
    return out;
  }
}
