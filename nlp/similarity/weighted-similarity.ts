/**
 * How alike two messages' feature lists are: the weighted blend dedupe and surge detection use,
 * and plain Jaccard. A list is read once into a profile (sorted, each feature's kind and weight
 * known, totals summed) kept beside the list, so comparing it with many others (a new ticket with
 * every look-alike of a surge, each of those with the others) is one merge of two sorted lists.
 */
import { isProduct, isSymptom } from './problem-concepts.js';

/**
 * Weight of a feature in the weighted measure. A shared symptom ("charged twice", "crashes") says
 * more about the problem than a shared word, and it is the only thing a Chinese and an English
 * message about one problem have in common. Weights chosen by the sweep in bench/dedupe.
 */
export const FEATURE_WEIGHTS = { symptom: 4, object: 1.5, product: 2, word: 1 } as const;
/**
 * Share of the overlap coefficient (shared weight / weight of the smaller message) in the blend:
 * a two-line SMS and a ten-line e-mail about one problem have a small Jaccard but a high overlap.
 */
export const OVERLAP_SHARE = 0.3;
/**
 * Factor applied per language when both messages have words in it but share none: the same
 * symptom about a different thing ("the courier was rude" about the shoes, then about the
 * headphones) is usually another problem. Messages in different languages are not penalised.
 */
export const NO_SHARED_WORDS_FACTOR = 0.6;
/**
 * Factor applied when both messages name goods and none in common: the same complaint about
 * another product ("the rice cooker is late", "the headphones are late") is another problem, in
 * any language. A message naming no product is not penalised (it may be a follow-up).
 */
export const DIFFERENT_PRODUCT_FACTOR = 0.3;
/**
 * Factor applied when both messages name what went wrong and share none of it: the same product
 * "charged twice" and then "arrived damaged" is a second problem, not a follow-up.
 */
export const DIFFERENT_SYMPTOM_FACTOR = 0.6;

const enum Kind {
  Other,
  ZhWord,
  EnWord,
  Symptom,
  Product,
  Object,
}

const WEIGHT_OF: Record<Kind, number> = {
  [Kind.Other]: FEATURE_WEIGHTS.word,
  [Kind.ZhWord]: FEATURE_WEIGHTS.word,
  [Kind.EnWord]: FEATURE_WEIGHTS.word,
  [Kind.Symptom]: FEATURE_WEIGHTS.symptom,
  [Kind.Product]: FEATURE_WEIGHTS.product,
  [Kind.Object]: FEATURE_WEIGHTS.object,
};

function kindOf(f: string): Kind {
  if (f.charCodeAt(0) === 126 /* ~ */) {
    const id = f.slice(1);
    return isProduct(id) ? Kind.Product : isSymptom(id) ? Kind.Symptom : Kind.Object;
  }
  return f.startsWith('zh:') ? Kind.ZhWord : f.startsWith('en:') ? Kind.EnWord : Kind.Other;
}

/** One feature list read for comparison. */
interface Profile {
  /** A 32-bit hash of each feature, ascending; `features` and `kinds` in the same order. */
  hashes: Int32Array;
  features: string[];
  kinds: Uint8Array;
  /** How many features of each kind, and the weight of them all. */
  count: number[];
  weight: number;
}

/** Profiles by the list they were read from: lists are never changed once made (signatures are read-only). */
const profiles = new WeakMap<readonly string[], Profile>();

/** FNV-1a over the UTF-16 code units. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

function profileOf(list: readonly string[]): Profile {
  let p = profiles.get(list);
  if (p) return p;
  const unique = [...new Set(list)];
  const hashed = unique.map((f) => ({ f, h: hashOf(f) })).sort((a, b) => a.h - b.h || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
  const hashes = new Int32Array(hashed.length);
  const kinds = new Uint8Array(hashed.length);
  const count = [0, 0, 0, 0, 0, 0];
  let weight = 0;
  hashed.forEach(({ f, h }, i) => {
    const k = kindOf(f);
    hashes[i] = h;
    kinds[i] = k;
    count[k]!++;
    weight += WEIGHT_OF[k];
  });
  p = { hashes, features: hashed.map((x) => x.f), kinds, count, weight };
  profiles.set(list, p);
  return p;
}

/** Features the two profiles share: how many of each kind (zh words, en words, symptoms, products), and their weight. */
interface Shared {
  all: number;
  zh: number;
  en: number;
  symptoms: number;
  products: number;
  weight: number;
}

/** One merge of the two hash lists; features whose hashes collide are told apart by their text. */
function shared(a: Profile, b: Profile): Shared {
  const out: Shared = { all: 0, zh: 0, en: 0, symptoms: 0, products: 0, weight: 0 };
  const x = a.hashes;
  const y = b.hashes;
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const hx = x[i]!;
    const hy = y[j]!;
    if (hx < hy) i++;
    else if (hx > hy) j++;
    else {
      // Every feature of this hash on each side (almost always one each).
      let iEnd = i + 1;
      while (iEnd < x.length && x[iEnd] === hx) iEnd++;
      let jEnd = j + 1;
      while (jEnd < y.length && y[jEnd] === hy) jEnd++;
      for (let m = i; m < iEnd; m++) {
        for (let n = j; n < jEnd; n++) {
          if (a.features[m] !== b.features[n]) continue;
          const k = a.kinds[m]! as Kind;
          out.all++;
          out.weight += WEIGHT_OF[k];
          if (k === Kind.ZhWord) out.zh++;
          else if (k === Kind.EnWord) out.en++;
          else if (k === Kind.Symptom) out.symptoms++;
          else if (k === Kind.Product) out.products++;
        }
      }
      i = iEnd;
      j = jEnd;
    }
  }
  return out;
}

/** Exact Jaccard similarity of two unique feature lists. */
export function featureJaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const pa = profileOf(a);
  const pb = profileOf(b);
  const inter = shared(pa, pb).all;
  return inter / (pa.features.length + pb.features.length - inter);
}

/**
 * (1 − OVERLAP_SHARE) × weighted Jaccard + OVERLAP_SHARE × weighted overlap coefficient, times
 * NO_SHARED_WORDS_FACTOR for each language both messages use without a word in common, times
 * DIFFERENT_PRODUCT_FACTOR when both name goods but none in common, times DIFFERENT_SYMPTOM_FACTOR
 * when both name what went wrong but nothing in common. Goods named on one side only are left out.
 */
export function weightedFeatureSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const pa = profileOf(a);
  const pb = profileOf(b);
  const both = shared(pa, pb);
  // Goods named on one side only are no evidence either way (a follow-up rarely repeats what it is
  // about): leave them out rather than let them dilute the shared words.
  const products = (p: Profile, other: Profile) => (other.count[Kind.Product] === 0 ? p.count[Kind.Product]! * FEATURE_WEIGHTS.product : 0);
  const wa = pa.weight - products(pa, pb);
  const wb = pb.weight - products(pb, pa);
  if (wa <= 0 || wb <= 0) return 0;
  const inter = both.weight;
  const jaccard = inter / (wa + wb - inter);
  const overlap = inter / Math.min(wa, wb);
  let score = (1 - OVERLAP_SHARE) * jaccard + OVERLAP_SHARE * overlap;
  const onBoth = (k: Kind) => pa.count[k]! > 0 && pb.count[k]! > 0;
  if (onBoth(Kind.ZhWord) && both.zh === 0) score *= NO_SHARED_WORDS_FACTOR;
  if (onBoth(Kind.EnWord) && both.en === 0) score *= NO_SHARED_WORDS_FACTOR;
  if (onBoth(Kind.Product) && both.products === 0) score *= DIFFERENT_PRODUCT_FACTOR;
  if (onBoth(Kind.Symptom) && both.symptoms === 0) score *= DIFFERENT_SYMPTOM_FACTOR;
  return score;
}
