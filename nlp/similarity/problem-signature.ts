/**
 * "Same problem" signatures of a message: features (Chinese character 2-grams, English stems,
 * bilingual problem concepts), a MinHash of them and LSH band keys for indexed candidate lookup.
 * Pure and fast: no I/O, no crypto; 60–150 µs median for a 200-character message on a loaded 2-core box (bench/dedupe).
 */
import { boundForAnalysis } from '../analysis-bounds.js';
import { foldText, tokenizeFolded } from '../text-normalizer.js';
import { bandKeys, estimateJaccard, minhash } from './minhash.js';
import { conceptsOf, isSymptom } from './problem-concepts.js';
import { FEATURE_WEIGHTS, featureJaccard, weightedFeatureSimilarity } from './weighted-similarity.js';

/** What a message is about, in a form that can be stored and compared without the text. */
export interface ProblemSignature {
  /** Unique features: `zh:` character 2-grams, `en:` stems, `~` problem concepts. */
  features: string[];
  /** `numHashes` MinHash slots (unsigned 32-bit) over `features`. */
  minhash: number[];
  /** LSH band keys (`b3:9f2a41c0`): store them in an indexed table; candidates share at least one. */
  bands: string[];
}

/** Tuning knobs; the defaults are the ones bench/dedupe chose. */
export interface SignatureOptions {
  /** MinHash slots. Default 128. */
  numHashes?: number;
  /** LSH bands × rows must not exceed numHashes. Default 64 × 2. */
  bands?: number;
  rows?: number;
  /** Add problem-concept features (`~crash`). Default true. */
  concepts?: boolean;
}

/**
 * Similarity at or above which two messages of the same customer are treated as the same problem.
 * Chosen from the threshold sweep in bench/dedupe (see bench/RESULTS.md): the best F1 on the
 * multi-channel scenarios, checked against the paraphrase sets so it is not tuned to one generator.
 */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.225;

const DEFAULTS = { numHashes: 128, bands: 64, rows: 2, concepts: true } as const;

const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
/**
 * Function characters that carry no topic (幺: the character fold turns 么 into 幺). 不/没/未 stay: "没收到" and "收到了" are different problems.
 */
const ZH_STOP_CHARS = new Set('的了是我你他她它们这那就都也还在和与及啊吧呢吗嘛呀哦哈么之而着过把被给让又很得地个啦喔嗯哎唉呃您请幺'.split(''));
/**
 * Courtesy and follow-up words every complaint channel is full of ("Dear support team … please sort
 * this out … regards", "您好…麻烦尽快处理，谢谢"): they make two different problems of one customer
 * look alike and two messages about one problem (a terse SMS, a polite e-mail) look different.
 */
// prettier-ignore
const COURTESY_EN = new Set(
  ('hello hi hei dear there team support regard best sincer cheer thank pleas kindli sort soon possibl asap hope help look forward repli respons '
    + 'follow again still second third time contact write messag email sm chat yet anyon ani updat order purchas bui bought')
    .split(' '),
);
// prettier-ignore
const COURTESY_ZH = ['您好', '你好', '客服', '麻烦', '尽快', '处理', '谢谢', '答复', '回复', '希望', '解决', '在吗', '人工', '又来', '问一次', '第二次', '联系', '请问', '急急'];
/** A sign-off and everything after it (the name) in an e-mail: identity, not problem. */
const SIGN_OFF =
  /\n\s*(?:regards|best regards|kind regards|best|thanks|many thanks|thank you|cheers|sincerely|yours sincerely|谢谢|此致|祝好)[,，.!。]?\s*\n[\s\S]{0,80}$/;
/** A short last line after a blank line in a multi-line message: a signature (name). */
const TRAILING_NAME = /\n\s*\n\s*[^\n]{1,24}\s*$/;

/** Order numbers, phone numbers, amounts: identifiers and quantities, not the problem (order numbers are compared separately). */
const HAS_DIGIT_TOKEN = /[a-z0-9_-]*\d[a-z0-9_-]*/g;

/** The folded text without its sign-off, signature and Chinese courtesy phrases. */
export function stripCourtesy(folded: string): string {
  let s = folded;
  if (s.includes('\n')) s = s.replace(SIGN_OFF, '\n').replace(TRAILING_NAME, '\n');
  if (/[\u4e00-\u9fff]/.test(s)) for (const w of COURTESY_ZH) if (s.includes(w)) s = s.replaceAll(w, ' ');
  return s;
}

/** Features of an already folded text. Exported for tests and the benchmark. */
export function problemFeatures(folded: string, opts: { concepts?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (f: string): void => {
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  };
  const body = stripCourtesy(folded);
  HAN_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  let hasLatin = false;
  while ((m = HAN_RUN.exec(body)) !== null) {
    let run = '';
    for (const ch of m[0]) if (!ZH_STOP_CHARS.has(ch)) run += ch;
    if (run.length === 1) add(`zh:${run}`);
    for (let i = 0; i + 1 < run.length; i++) add(`zh:${run.slice(i, i + 2)}`);
  }
  let latin = body.replace(HAN_RUN, ' ');
  if (/\d/.test(latin)) latin = latin.replace(HAS_DIGIT_TOKEN, ' ');
  if (/[a-z]/.test(latin)) hasLatin = true;
  if (hasLatin) {
    for (const t of tokenizeFolded(latin)) if (t[0] !== '#' && t.length > 1 && !COURTESY_EN.has(t)) add(`en:${t}`);
  }
  if (opts.concepts !== false) for (const id of conceptsOf(folded)) add(`~${id}`);
  return out;
}

/**
 * The same folded form as text-normalizer's `foldText` (width, NFKC, lower case, simplified): its
 * result for the same text, which the classifier and the normalizer have usually just computed.
 */
export function foldForMatching(text: string): string {
  return foldText(text).folded;
}

/** Signature of one message: fold (width, case, traditional → simplified), extract features, MinHash, band. */
export function problemSignature(text: string, opts: SignatureOptions = {}): ProblemSignature {
  const o = { ...DEFAULTS, ...opts };
  if (o.bands * o.rows > o.numHashes) throw new RangeError(`bands × rows (${o.bands}×${o.rows}) exceeds numHashes (${o.numHashes})`);
  const features = problemFeatures(foldForMatching(boundForAnalysis(text)), { concepts: o.concepts });
  // The MinHash and its bands are computed when first read: only a message that opens a ticket
  // stores them (and looks for a surge through them); a follow-up is compared by its features alone.
  let slots: number[] | undefined;
  let bands: string[] | undefined;
  const minhashOf = (): number[] => (slots ??= symptomWeightedMinhash(features, o.numHashes));
  return Object.defineProperties({ features } as ProblemSignature, {
    minhash: { enumerable: true, get: minhashOf },
    bands: { enumerable: true, get: () => (bands ??= bandKeys(minhashOf(), o.bands, o.rows)) },
  });
}

/** The LSH band keys of a stored MinHash, as `problemSignature` computes them with the default options. */
export function signatureBands(minhash: readonly number[]): string[] {
  return bandKeys(minhash, DEFAULTS.bands, DEFAULTS.rows);
}

/**
 * The MinHash of the features with each symptom entered as many times as its weight, so that band
 * collisions follow the weighted similarity (an SMS and an e-mail sharing "charged twice" still meet in a band).
 */
function symptomWeightedMinhash(features: readonly string[], numHashes: number): number[] {
  const hashed = features.slice();
  for (const f of features) if (f[0] === '~' && isSymptom(f.slice(1))) for (let i = 2; i <= FEATURE_WEIGHTS.symptom; i++) hashed.push(`${f}#${i}`);
  return minhash(hashed, numHashes);
}

/** How `similarity` compares two signatures. */
export type SimilarityMeasure = 'weighted' | 'jaccard' | 'minhash';

/**
 * Similarity of two messages in [0, 1]. By default the weighted blend over features (the most
 * accurate in bench/dedupe and ~2 µs a pair); the MinHash estimate of plain Jaccard when one side
 * was stored without features.
 */
export function similarity(
  a: Pick<ProblemSignature, 'features' | 'minhash'> | Pick<ProblemSignature, 'minhash'>,
  b: typeof a,
  measure: SimilarityMeasure = 'weighted',
): number {
  const fa = 'features' in a ? a.features : undefined;
  const fb = 'features' in b ? b.features : undefined;
  if (fa && fb && measure === 'weighted') return weightedFeatureSimilarity(fa, fb);
  if (fa && fb && measure === 'jaccard') return featureJaccard(fa, fb);
  return estimateJaccard(a.minhash, b.minhash);
}

/** One message as `sameProblem` sees it. `signature` saves recomputing it when the caller stored one. */
export interface ProblemMessage {
  text: string;
  /** Order numbers found in the message (normalized, e.g. upper case), possibly none. */
  orderNumbers: readonly string[];
  customerId?: string | number;
  signature?: ProblemSignature;
}

/** The verdict and the reason an agent can read on the ticket's timeline. */
export interface SameProblemVerdict {
  same: boolean;
  /** 1 for a shared order number, the text similarity otherwise. */
  score: number;
  reason: string;
}

/**
 * Whether two messages (of the same customer) are about the same problem: a shared order number
 * decides yes; two different order numbers and no shared one decide no (two late parcels are two
 * problems however alike the words); otherwise text similarity at or above the threshold.
 */
export function sameProblem(a: ProblemMessage, b: ProblemMessage, threshold = DEFAULT_SIMILARITY_THRESHOLD): SameProblemVerdict {
  const bOrders = new Set(b.orderNumbers.map((o) => o.toUpperCase()));
  const shared = a.orderNumbers.find((o) => bOrders.has(o.toUpperCase()));
  if (shared !== undefined) return { same: true, score: 1, reason: `same order number ${shared}` };
  const sa = a.signature ?? problemSignature(a.text);
  const sb = b.signature ?? problemSignature(b.text);
  const score = similarity(sa, sb);
  if (a.orderNumbers.length > 0 && bOrders.size > 0) {
    return { same: false, score, reason: `different order numbers (${a.orderNumbers.join(', ')} vs ${[...bOrders].join(', ')})` };
  }
  const rounded = score.toFixed(2);
  return score >= threshold
    ? { same: true, score, reason: `similar text (${rounded} ≥ ${threshold})` }
    : { same: false, score, reason: `different text (${rounded} < ${threshold})` };
}
