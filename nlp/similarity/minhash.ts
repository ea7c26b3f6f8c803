/**
 * MinHash and LSH banding over string features: fast 32-bit hashing (FNV-1a + murmur3's finalizer),
 * no crypto. A signature of k minimums estimates the Jaccard similarity of two feature sets; banding
 * the signature gives index keys so that similar sets share at least one key with high probability.
 */

import { codeAt } from '../string-units.js';

/** murmur3's 32-bit finalizer: spreads every input bit over the output (FNV-1a alone clusters on short strings). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalized with fmix32. Stable across runs and processes. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= codeAt(s, i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** The value every slot holds when there are no features: such a signature matches nothing. */
export const EMPTY_SLOT = 0xffffffff;

/**
 * k minimum hashes of a feature set. Slot i uses the hash family h_i(x) = fmix32(h1 + i·h2)
 * (double hashing: one string hash per feature, then k cheap integer mixes).
 */
export function minhash(features: readonly string[], k: number): number[] {
  const mins = new Uint32Array(k).fill(EMPTY_SLOT);
  for (const f of features) {
    const h1 = hash32(f);
    // Odd step so consecutive slots never repeat a value.
    const h2 = (fmix32(h1 ^ 0x9e3779b9) | 1) >>> 0;
    for (let i = 0; i < k; i++) {
      const v = fmix32((h1 + Math.imul(i, h2)) >>> 0);
      if (v < mins[i]!) mins[i] = v;
    }
  }
  return Array.from(mins);
}

/** Fraction of equal slots: an unbiased estimate of the Jaccard similarity of the two feature sets. */
export function estimateJaccard(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  let eq = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i] && a[i] !== EMPTY_SLOT) eq++;
  return eq / n;
}

/**
 * LSH band keys: `bands` groups of `rows` consecutive slots, each group hashed to one key
 * `b<index>:<8 hex digits>`. Two sets share a given band with probability J^rows, so at least one
 * of `bands` with probability 1 − (1 − J^rows)^bands. An empty signature has no keys.
 */
export function bandKeys(sig: readonly number[], bands: number, rows: number): string[] {
  if (sig.length === 0 || sig[0] === EMPTY_SLOT) return [];
  const out: string[] = [];
  for (let b = 0; b < bands; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < rows; r++) {
      const v = sig[b * rows + r];
      if (v === undefined) break;
      h = fmix32((h ^ v) >>> 0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    const x = fmix32(h);
    out.push(bandPrefix(b) + HEX[x >>> 24]! + HEX[(x >>> 16) & 255]! + HEX[(x >>> 8) & 255]! + HEX[x & 255]!);
  }
  return out;
}

/** Two hex digits of each byte, and `b<index>:` of the first bands: a key is built from parts, not formatted (4× faster). */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const BAND_PREFIXES = Array.from({ length: 256 }, (_, b) => `b${b}:`);
function bandPrefix(b: number): string {
  return BAND_PREFIXES[b] ?? `b${b}:`;
}

/** Probability that two sets with Jaccard similarity j share at least one band. */
export function bandHitProbability(j: number, bands: number, rows: number): number {
  return 1 - Math.pow(1 - Math.pow(j, rows), bands);
}
