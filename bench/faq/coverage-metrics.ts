/** Accuracy against coverage: how right a matcher is when it answers only the questions it is surest of. */

/** One question: how sure the matcher is of its best entry, and whether that entry is right. */
export interface Scored {
  confidence: number;
  correct: boolean;
}

/** Accuracy of the answered when answering the most confident `coverage` share of questions. */
export function accuracyAtCoverage(rows: Scored[], coverage: number): number {
  const sorted = [...rows].sort((a, b) => b.confidence - a.confidence);
  const n = Math.max(1, Math.round(sorted.length * coverage));
  return sorted.slice(0, n).filter((o) => o.correct).length / n;
}

/** The largest share of questions answerable (most confident first) with accuracy ≥ target. */
export function coverageAtAccuracy(rows: Scored[], target: number): number {
  const sorted = [...rows].sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let best = 0;
  sorted.forEach((o, i) => {
    if (o.correct) right++;
    if (right / (i + 1) >= target) best = (i + 1) / sorted.length;
  });
  return best;
}

/** Median and 99th percentile of a list of durations (ms). */
export function percentiles(ms: number[]): { median: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? NaN, p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? NaN };
}

export const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)} %`);
export const num = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
export const ms = (x: number) => (x < 0.1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);
