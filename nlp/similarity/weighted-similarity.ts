/**
 * How alike two messages' feature lists are: the weighted blend dedupe and surge detection use,
 * and plain Jaccard. A list compared with many others (a new ticket with every look-alike of a
 * surge, each of those with the others) can be read once into a profile (hashed and sorted, each
 * feature's kind known, totals summed) kept beside the list: two profiled lists are compared by
 * one merge, 1.3 µs a pair against 2.4 on the bench texts; a pair without profiles directly.
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

/** How many features of each kind a list has, and the weight of them all. */
interface Sums {
  count: number[];
  weight: number;
}

/** One feature list read for comparison. */
interface Profile extends Sums {
  /** A 32-bit hash of each feature, ascending; `features` and `kinds` in the same order. */
  hashes: Int32Array;
  features: string[];
  kinds: Uint8Array;
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
  // Sorted by hash without a comparator: (hash, position) packed into one double, exact below 2^53.
  const packed = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) packed[i] = (hashOf(list[i]!) + 2 ** 31) * 2 ** 21 + i;
  packed.sort();
  const hashes: number[] = [];
  const features: string[] = [];
  const kinds: number[] = [];
  const count = [0, 0, 0, 0, 0, 0];
  let weight = 0;
  let runStart = 0;
  for (const key of packed) {
    const h = Math.floor(key / 2 ** 21) - 2 ** 31;
    const f = list[key % 2 ** 21]!;
    if (hashes.length === 0 || hashes[hashes.length - 1] !== h) runStart = features.length;
    // A repeated feature counts once (it sorts beside its twin: same hash).
    else if (features.indexOf(f, runStart) >= 0) continue;
    const k = kindOf(f);
    hashes.push(h);
    features.push(f);
    kinds.push(k);
    count[k]!++;
    weight += WEIGHT_OF[k];
  }
  p = { hashes: Int32Array.from(hashes), features, kinds: Uint8Array.from(kinds), count, weight };
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

function tally(out: Shared, k: Kind): void {
  out.all++;
  out.weight += WEIGHT_OF[k];
  if (k === Kind.ZhWord) out.zh++;
  else if (k === Kind.EnWord) out.en++;
  else if (k === Kind.Symptom) out.symptoms++;
  else if (k === Kind.Product) out.products++;
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
          tally(out, a.kinds[m]! as Kind);
        }
      }
      i = iEnd;
      j = jEnd;
    }
  }
  return out;
}

/**
 * Reads a feature list into its profile ahead of comparing it with many others (surge detection
 * does, for the new ticket and each look-alike). Two lists read this way are compared by one
 * merge; any other pair directly, which is cheaper for a list compared once (a follow-up with its
 * customer's open ticket).
 */
export function readForComparison(list: readonly string[]): void {
  if (list.length > 0 && list.length < 2 ** 21) profileOf(list);
}

/** Exact Jaccard similarity of two unique feature lists. */
export function featureJaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const pa = profiles.get(a);
  const pb = profiles.get(b);
  if (pa && pb) {
    const inter = shared(pa, pb).all;
    return inter / (pa.features.length + pb.features.length - inter);
  }
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  const set = new Set(large);
  let inter = 0;
  for (const f of small) if (set.has(f)) inter++;
  return inter / (a.length + b.length - inter);
}

/**
 * (1 − OVERLAP_SHARE) × weighted Jaccard + OVERLAP_SHARE × weighted overlap coefficient, times
 * NO_SHARED_WORDS_FACTOR for each language both messages use without a word in common, times
 * DIFFERENT_PRODUCT_FACTOR when both name goods but none in common, times DIFFERENT_SYMPTOM_FACTOR
 * when both name what went wrong but nothing in common. Goods named on one side only are left out.
 */
export function weightedFeatureSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const pa = profiles.get(a);
  const pb = profiles.get(b);
  const [sides, both] = pa && pb ? [[pa, pb], shared(pa, pb)] : direct(a, b);
  const [sa, sb] = sides;
  // Goods named on one side only are no evidence either way (a follow-up rarely repeats what it is
  // about): leave them out rather than let them dilute the shared words.
  const wa = sa.weight - (sb.count[Kind.Product] === 0 ? sa.count[Kind.Product]! * FEATURE_WEIGHTS.product : 0);
  const wb = sb.weight - (sa.count[Kind.Product] === 0 ? sb.count[Kind.Product]! * FEATURE_WEIGHTS.product : 0);
  if (wa <= 0 || wb <= 0) return 0;
  const inter = both.weight;
  const jaccard = inter / (wa + wb - inter);
  const overlap = inter / Math.min(wa, wb);
  let score = (1 - OVERLAP_SHARE) * jaccard + OVERLAP_SHARE * overlap;
  // (No inner functions here: under tsx each one created costs a call that names it.)
  if (onBoth(sa, sb, Kind.ZhWord) && both.zh === 0) score *= NO_SHARED_WORDS_FACTOR;
  if (onBoth(sa, sb, Kind.EnWord) && both.en === 0) score *= NO_SHARED_WORDS_FACTOR;
  if (onBoth(sa, sb, Kind.Product) && both.products === 0) score *= DIFFERENT_PRODUCT_FACTOR;
  if (onBoth(sa, sb, Kind.Symptom) && both.symptoms === 0) score *= DIFFERENT_SYMPTOM_FACTOR;
  return score;
}

function onBoth(a: Sums, b: Sums, k: Kind): boolean {
  return a.count[k]! > 0 && b.count[k]! > 0;
}

/** Both lists' sums and what they share, from the lists themselves (one Set of the longer). */
function direct(a: readonly string[], b: readonly string[]): [[Sums, Sums], Shared] {
  const aIsSmall = a.length <= b.length;
  const [small, large] = aIsSmall ? [a, b] : [b, a];
  const inLarge = new Set(large);
  const both: Shared = { all: 0, zh: 0, en: 0, symptoms: 0, products: 0, weight: 0 };
  const sumsSmall: Sums = { count: [0, 0, 0, 0, 0, 0], weight: 0 };
  const sumsLarge: Sums = { count: [0, 0, 0, 0, 0, 0], weight: 0 };
  for (const f of small) {
    const k = kindOf(f);
    sumsSmall.count[k]!++;
    sumsSmall.weight += WEIGHT_OF[k];
    if (inLarge.has(f)) tally(both, k);
  }
  for (const f of large) {
    const k = kindOf(f);
    sumsLarge.count[k]!++;
    sumsLarge.weight += WEIGHT_OF[k];
  }
  return [aIsSmall ? [sumsSmall, sumsLarge] : [sumsLarge, sumsSmall], both];
}
