/**
 * Surge detection: many customers reporting the same problem within minutes is an incident (an
 * outage, a payment failure), not many separate complaints. Pure and in-memory: the gateway feeds it
 * the recent tickets of the candidate's category (from an index, never a scan of all tickets).
 */
import { isSymptom } from '../similarity/problem-concepts.js';
import { similarity, type ProblemSignature } from '../similarity/problem-signature.js';
import { readForComparison } from '../similarity/weighted-similarity.js';

/** One ticket as the detector sees it. */
export interface SurgeTicket<Id = string | number> {
  id: Id;
  customerId: string | number;
  category: string;
  /** Epoch milliseconds. */
  createdAt: number;
  signature: Pick<ProblemSignature, 'features' | 'minhash'>;
}

/** Knobs; the defaults are 10 tickets in 30 minutes. */
export interface SurgeOptions {
  /** Distinct customers needed for an incident. Default 10. */
  minTickets?: number;
  /** Tickets further apart than this from the candidate do not count. Default 30 min. */
  windowMs?: number;
  /**
   * Text similarity at or above which two reports are alike. Lower than the dedupe threshold:
   * outage reports from different people share fewer words than one person's messages do.
   * Default DEFAULT_SURGE_THRESHOLD.
   */
  threshold?: number;
}

/** The tickets forming the incident, the candidate included, oldest first. */
export interface Surge<Id = string | number> {
  members: Id[];
  /** Distinct customers among the members. */
  customers: number;
  /** Symptom concepts most members share (`crash`, `payment-failed`): a title for the incident. */
  symptoms: string[];
}

/**
 * Default surge threshold, below the dedupe threshold (0.225). Measured on the outage scenario in
 * test/unit/nlp/incident/surge-detector.test.ts: twelve reports of one app crash in Chinese and
 * English score 0.18–0.69 pairwise (every report ≥ 0.44 to its closest neighbour); unrelated
 * complaints of the same category score 0.04–0.20 against them on the shared word "app" alone and
 * are kept out because they name no shared symptom.
 */
export const DEFAULT_SURGE_THRESHOLD = 0.15;

function symptomsOf(sig: SurgeTicket['signature']): string[] {
  return sig.features.filter((f) => f[0] === '~' && isSymptom(f.slice(1)));
}

/**
 * Two reports describe the same trouble: similar enough, and when either names a symptom they
 * share one ("app 闪退" and "the app keeps crashing" do; "the app's font is too small" names none
 * and shares only "app", so it stays out). The weighted similarity counts a shared symptom four
 * times a word, which is what carries a Chinese report to an English one.
 */
function alike(a: SurgeTicket['signature'], b: SurgeTicket['signature'], threshold: number, symptoms = symptomsOf): boolean {
  const sa = symptoms(a);
  const sb = symptoms(b);
  if ((sa.length > 0 || sb.length > 0) && !sa.some((s) => sb.includes(s))) return false;
  return similarity(a, b) >= threshold;
}

/**
 * Whether `candidate` and the `recent` tickets form a surge: at least `minTickets` distinct
 * customers, same category, within `windowMs` of the candidate, reporting alike. A ticket joins
 * when it is alike to the candidate, or to at least two tickets that are (one hop, so a report
 * worded unlike the candidate but like the crowd still counts, without chaining across topics).
 * Returns undefined when there is no surge.
 */
export function detectSurge<Id extends string | number>(
  recent: ReadonlyArray<SurgeTicket<Id>>,
  candidate: SurgeTicket<Id>,
  opts: SurgeOptions = {},
): Surge<Id> | undefined {
  const minTickets = opts.minTickets ?? 10;
  const windowMs = opts.windowMs ?? 30 * 60_000;
  const threshold = opts.threshold ?? DEFAULT_SURGE_THRESHOLD;
  const pool = recent.filter((t) => t.id !== candidate.id && t.category === candidate.category && Math.abs(candidate.createdAt - t.createdAt) <= windowMs);
  // Cheap exit before any comparison: not enough customers in the window at all.
  const poolCustomers = new Set(pool.map((t) => String(t.customerId)));
  poolCustomers.add(String(candidate.customerId));
  if (poolCustomers.size < minTickets) return undefined;

  // Each ticket's features read once for the many comparisons below (kept with the stored ticket's
  // signature for the next lookup), and its symptoms found once, not once per pair compared.
  readForComparison(candidate.signature.features);
  for (const t of pool) readForComparison(t.signature.features);
  const found = new Map<SurgeTicket['signature'], string[]>();
  const symptomsOnce = (sig: SurgeTicket['signature']) => {
    let list = found.get(sig);
    if (!list) found.set(sig, (list = symptomsOf(sig)));
    return list;
  };
  const direct = pool.filter((t) => alike(candidate.signature, t.signature, threshold, symptomsOnce));
  const directSet = new Set(direct);
  // A hop needs two direct look-alikes.
  const hop =
    direct.length < 2
      ? []
      : pool.filter((t) => {
          if (directSet.has(t)) return false;
          let n = 0;
          for (const d of direct) if (alike(t.signature, d.signature, threshold, symptomsOnce) && ++n >= 2) return true;
          return false;
        });
  const members = [candidate, ...direct, ...hop].sort((a, b) => a.createdAt - b.createdAt);
  const customers = new Set(members.map((t) => String(t.customerId))).size;
  if (customers < minTickets) return undefined;

  const counts = new Map<string, number>();
  for (const m of members) for (const s of new Set(symptomsOnce(m.signature))) counts.set(s, (counts.get(s) ?? 0) + 1);
  const symptoms = [...counts.entries()]
    .filter(([, n]) => n * 2 >= members.length)
    .sort((a, b) => b[1] - a[1])
    .map(([s]) => s.slice(1));
  return { members: members.map((m) => m.id), customers, symptoms };
}
