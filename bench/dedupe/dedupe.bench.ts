/**
 * "Same problem" quality and signature speed.
 *
 *   node --import tsx bench/dedupe/dedupe.bench.ts [--quick] [--write]
 *
 * Datasets, all scored in the same run beside the baseline (exact text after trimming):
 * - scenarios: bench/dedupe/scenario-generator.ts, seed 20240601, 300 customers; every pair of
 *   messages of one customer, positive when they are about the same problem. Order numbers are
 *   extracted from the text with the shipped EntityExtractor patterns, as the gateway would.
 * - afqmc (zh): all 4,000 pairs of ../shared/data/afqmc/pairs.jsonl (1,338 positive).
 * - banking77 (en): 2,000 same-intent and 2,000 different-intent pairs of test.csv utterances,
 *   drawn with mulberry32(77).
 * For each: precision, recall and F1 at DEFAULT_SIMILARITY_THRESHOLD and a threshold sweep (exact
 * Jaccard over features, and the MinHash estimate); LSH band hit rates for positives at/above the
 * threshold and for negatives; signature time per message (median, p99) at ~200 characters.
 * `--write` replaces the dedupe section of bench/RESULTS.md with the tables.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCategoriesFile } from '../../config/load-categories.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { EntityExtractor } from '../../nlp/entity-extractor.js';
import { warmUpNormalizer } from '../../nlp/text-normalizer.js';
import { DEFAULT_SIMILARITY_THRESHOLD, problemSignature, sameProblem, similarity, type ProblemSignature } from '../../nlp/similarity/problem-signature.js';
import { generateScenarios, seededRandom } from './scenario-generator.js';
import { SHARED_DATA_DIR } from '../shared-data.js';
import { RESULTS_FILE, writeResultsSpan } from '../results-file.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '../..');
const DATA = SHARED_DATA_DIR;
const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');

interface Item {
  text: string;
  orders: string[];
  sig: ProblemSignature;
}
interface Pair {
  a: Item;
  b: Item;
  same: boolean;
}
interface Scores {
  p: number;
  r: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

function score(pairs: Pair[], predict: (p: Pair) => boolean): Scores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const pair of pairs) {
    const y = predict(pair);
    if (y && pair.same) tp++;
    else if (y) fp++;
    else if (pair.same) fn++;
  }
  const p = tp + fp === 0 ? 1 : tp / (tp + fp);
  const r = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r), tp, fp, fn };
}

const f3 = (x: number): string => x.toFixed(3);
const item = (text: string, orders: string[] = []): Item => ({ text, orders, sig: problemSignature(text) });

function scenarioPairs(seed = 20240601): { pairs: Pair[]; messages: number; customers: number; orderAgreement: string } {
  const msgs = generateScenarios({ seed, customers: quick ? 100 : 300 });
  const extractor = new EntityExtractor(loadCategoriesFile().entities);
  let agree = 0;
  const items = msgs.map((m) => {
    const orders = extractor.extract(m.text).orderNumbers.map((o) => o.value ?? o.text);
    if ((m.orderNumber ? [m.orderNumber] : []).join() === orders.join()) agree++;
    return { m, it: item(m.text, orders) };
  });
  const pairs: Pair[] = [];
  const byCustomer = new Map<string, typeof items>();
  for (const x of items) byCustomer.set(x.m.customerId, [...(byCustomer.get(x.m.customerId) ?? []), x]);
  for (const list of byCustomer.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) pairs.push({ a: list[i]!.it, b: list[j]!.it, same: list[i]!.m.problemId === list[j]!.m.problemId });
    }
  }
  return { pairs, messages: msgs.length, customers: byCustomer.size, orderAgreement: `${agree}/${msgs.length}` };
}

function afqmcPairs(): Pair[] {
  const lines = readFileSync(path.join(DATA, 'afqmc/pairs.jsonl'), 'utf8').trim().split('\n');
  const rows = lines.map((l) => JSON.parse(l) as { sentence1: string; sentence2: string; label: string });
  const use = quick ? rows.slice(0, 1000) : rows;
  return use.map((r) => ({ a: item(r.sentence1), b: item(r.sentence2), same: r.label === '1' }));
}

function banking77Pairs(): Pair[] {
  const rows = parseCsvObjects(readFileSync(path.join(DATA, 'banking77/test.csv'), 'utf8'));
  const rnd = seededRandom(77);
  const byCat = new Map<string, string[]>();
  for (const r of rows) byCat.set(r.category!, [...(byCat.get(r.category!) ?? []), r.text!]);
  const cats = [...byCat.keys()];
  const n = quick ? 500 : 2000;
  const cache = new Map<string, Item>();
  const it = (t: string): Item => {
    let x = cache.get(t);
    if (!x) cache.set(t, (x = item(t)));
    return x;
  };
  const pairs: Pair[] = [];
  while (pairs.length < n) {
    const list = byCat.get(cats[Math.floor(rnd() * cats.length)]!)!;
    const i = Math.floor(rnd() * list.length);
    const j = Math.floor(rnd() * list.length);
    if (i !== j) pairs.push({ a: it(list[i]!), b: it(list[j]!), same: true });
  }
  while (pairs.length < 2 * n) {
    const ca = cats[Math.floor(rnd() * cats.length)]!;
    const cb = cats[Math.floor(rnd() * cats.length)]!;
    if (ca === cb) continue;
    const la = byCat.get(ca)!;
    const lb = byCat.get(cb)!;
    pairs.push({ a: it(la[Math.floor(rnd() * la.length)]!), b: it(lb[Math.floor(rnd() * lb.length)]!), same: false });
  }
  return pairs;
}

const SWEEP = [0.05, 0.1, 0.15, 0.2, 0.225, 0.25, 0.3, 0.35, 0.4, 0.5];

function report(name: string, pairs: Pair[], useOrders: boolean): { lines: string[]; main: string[]; sweep: string[] } {
  const pos = pairs.filter((p) => p.same).length;
  const t = DEFAULT_SIMILARITY_THRESHOLD;
  const baseline = score(pairs, (p) => p.a.text.trim() === p.b.text.trim());
  const ours = score(
    pairs,
    (p) =>
      sameProblem({ text: p.a.text, orderNumbers: p.a.orders, signature: p.a.sig }, { text: p.b.text, orderNumbers: p.b.orders, signature: p.b.sig }, t).same,
  );
  const textOnly = score(pairs, (p) => similarity(p.a.sig, p.b.sig) >= t);
  const plain = score(pairs, (p) => similarity(p.a.sig, p.b.sig, 'jaccard') >= t);
  const mh = score(pairs, (p) => similarity(p.a.sig, p.b.sig, 'minhash') >= t);
  // LSH: of the pairs whose similarity reaches the threshold, how many share a band key (candidate found)?
  let above = 0;
  let aboveHit = 0;
  let neg = 0;
  let negHit = 0;
  for (const p of pairs) {
    const hit = p.a.sig.bands.some((b) => p.b.sig.bands.includes(b));
    if (similarity(p.a.sig, p.b.sig) >= t) {
      above++;
      if (hit) aboveHit++;
    }
    if (!p.same) {
      neg++;
      if (hit) negHit++;
    }
  }
  const row = (label: string, s: Scores): string => `| ${name} | ${label} | ${f3(s.p)} | ${f3(s.r)} | **${f3(s.f1)}** | ${s.tp} | ${s.fp} | ${s.fn} |`;
  const main = [
    row('baseline: exact text (trimmed)', baseline),
    ...(useOrders ? [row(`sameProblem (order numbers + weighted ≥ ${t})`, ours)] : []),
    row(`text only: weighted similarity ≥ ${t}`, textOnly),
    row(`text only: plain Jaccard ≥ ${t}`, plain),
    row(`text only: MinHash estimate ≥ ${t}`, mh),
  ];
  const sweep = SWEEP.map((th) => {
    const w = score(pairs, (p) => similarity(p.a.sig, p.b.sig) >= th);
    const j = score(pairs, (p) => similarity(p.a.sig, p.b.sig, 'jaccard') >= th);
    const m = score(pairs, (p) => similarity(p.a.sig, p.b.sig, 'minhash') >= th);
    const o = useOrders
      ? score(
          pairs,
          (p) =>
            sameProblem({ text: p.a.text, orderNumbers: p.a.orders, signature: p.a.sig }, { text: p.b.text, orderNumbers: p.b.orders, signature: p.b.sig }, th)
              .same,
        )
      : undefined;
    return `| ${name} | ${th.toFixed(3)} | ${o ? `${f3(o.p)} / ${f3(o.r)} / **${f3(o.f1)}**` : '–'} | ${f3(w.p)} / ${f3(w.r)} / ${f3(w.f1)} | ${f3(j.p)} / ${f3(j.r)} / ${f3(j.f1)} | ${f3(m.p)} / ${f3(m.r)} / ${f3(m.f1)} |`;
  });
  const lines = [
    `${name}: ${pairs.length} pairs (${pos} same), LSH: ${aboveHit}/${above} pairs at/above ${t} share a band (${f3(above ? aboveHit / above : 1)}), ${negHit}/${neg} different-problem pairs do (${f3(neg ? negHit / neg : 0)})`,
  ];
  return { lines, main, sweep };
}

function timing(): string[] {
  // ~200-character messages: scenario e-mails and concatenated afqmc questions, both languages.
  const msgs = generateScenarios({ seed: 7, customers: 200 }).map((m) => m.text);
  const afq = readFileSync(path.join(DATA, 'afqmc/pairs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { sentence1: string }).sentence1);
  const zh: string[] = [];
  for (let i = 0; i + 12 < afq.length && zh.length < 300; i += 12)
    zh.push(
      afq
        .slice(i, i + 12)
        .join('。')
        .slice(0, 200),
    );
  const b77 = parseCsvObjects(readFileSync(path.join(DATA, 'banking77/test.csv'), 'utf8')).map((r) => r.text!);
  const en: string[] = [];
  for (let i = 0; i + 5 < b77.length && en.length < 300; i += 5)
    en.push(
      b77
        .slice(i, i + 5)
        .join(' ')
        .slice(0, 200),
    );
  const out: string[] = [];
  for (const [label, texts] of [
    ['zh, 200 chars (afqmc questions joined)', zh],
    ['en, 200 chars (banking77 utterances joined)', en],
    ['scenario messages (all channels, 20–200 chars)', msgs],
  ] as const) {
    for (const t of texts) problemSignature(t); // warm: stem cache, JIT
    const times: number[] = [];
    for (let rep = 0; rep < 5; rep++) {
      for (const t of texts) {
        const s = process.hrtime.bigint();
        problemSignature(t);
        times.push(Number(process.hrtime.bigint() - s) / 1000);
      }
    }
    times.sort((a, b) => a - b);
    const q = (f: number): string => times[Math.min(times.length - 1, Math.floor(f * times.length))]!.toFixed(1);
    out.push(`| ${label} | ${texts.length} × 5 | ${q(0.5)} | ${q(0.99)} |`);
  }
  // The comparison the lead runs per candidate.
  const sigs = msgs.slice(0, 200).map((t) => problemSignature(t));
  const s = process.hrtime.bigint();
  let n = 0;
  for (const a of sigs)
    for (const b of sigs) {
      similarity(a, b);
      n++;
    }
  const cmpUs = Number(process.hrtime.bigint() - s) / 1000 / n;
  out.push(`| similarity(a, b) weighted, scenario messages | ${n} | ${cmpUs.toFixed(2)} (mean) | – |`);
  return out;
}

warmUpNormalizer();
const started = Date.now();
const sc = scenarioPairs();
const results = [report('scenarios', sc.pairs, true), report('afqmc (zh)', afqmcPairs(), false), report('banking77 (en)', banking77Pairs(), false)];
// The same generator with other seeds: a check that the scenario score is not one seed's luck.
const OTHER_SEEDS = [1, 2, 3];
const otherSeeds = OTHER_SEEDS.map((seed) => {
  const { pairs } = scenarioPairs(seed);
  const s = score(
    pairs,
    (p) => sameProblem({ text: p.a.text, orderNumbers: p.a.orders, signature: p.a.sig }, { text: p.b.text, orderNumbers: p.b.orders, signature: p.b.sig }).same,
  );
  return `seed ${seed}: P ${f3(s.p)} R ${f3(s.r)} F1 ${f3(s.f1)}`;
});
const time = timing();

const md = [
  `Run: \`node --import tsx bench/dedupe/dedupe.bench.ts\`${quick ? ' --quick' : ''} (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s).`,
  `Scenarios: seed 20240601, ${sc.customers} customers, ${sc.messages} messages; order numbers extracted from the text agree with the generator's truth for ${sc.orderAgreement} messages.`,
  ...results.flatMap((r) => r.lines).map((l) => `- ${l}`),
  '',
  `Default threshold ${DEFAULT_SIMILARITY_THRESHOLD}; P = precision, R = recall.`,
  '',
  `sameProblem on scenarios from other seeds of the same generator (the knobs were chosen on seed 20240601; these only confirmed them): ${otherSeeds.join('; ')}.`,
  '',
  'Why this threshold and measure: the weighted measure counts symptom concepts ×4, products ×2, service objects ×1.5, words ×1;',
  '0.7 × Jaccard + 0.3 × overlap coefficient; ×0.6 per language with no shared word; ×0.3 when both messages name goods',
  '(nlp/similarity/problem-concepts.ts, ~60 general product types in zh and en) and none in common; ×0.6 when both name',
  "what went wrong and share none of it; goods named on one side only are left out of both sides' weight (a follow-up",
  'rarely repeats them). The product and symptom checks took the scenarios from F1 0.940 to the value above: most of the',
  "old false positives were one customer's two problems of one kind about different goods (two late parcels, two rude",
  'couriers) or two problems with the same goods, with an order number on at most one side. The gain depends on the goods',
  "being in the product lexicon (the generator's 14 items all are; goods outside it are compared by their words only).",
  'Remaining false positives are mostly pairs no text can separate: the same kind of problem about the same goods, with',
  'no order number on one side (same customer cancelling the same headphones twice, in the same words). F1 is flat within',
  '±0.01 from 0.20 to 0.25; 0.225 stays the default. afqmc and banking77 barely move (they name few goods); afqmc is near',
  'chance for any bag-of-features method (its negatives share most words by construction); reported as is.',
  'LSH: bands are 64 × 2 rows over 128 slots; the MinHash input repeats symptom concepts by their weight so band hits follow the',
  'weighted measure. Timing was taken on a shared 2-core machine under load (load average ≈ 9), so p99 is dominated by preemption.',
  '',
  '| dataset | method | P | R | F1 | TP | FP | FN |',
  '|---|---|---|---|---|---|---|---|',
  ...results.flatMap((r) => r.main),
  '',
  'Threshold sweep (P / R / F1):',
  '',
  '| dataset | threshold | sameProblem (orders + weighted) | weighted only | plain Jaccard only | MinHash estimate only |',
  '|---|---|---|---|---|---|',
  ...results.flatMap((r) => r.sweep),
  '',
  'Signature time per message (µs, one core):',
  '',
  '| input | messages | median | p99 |',
  '|---|---|---|---|',
  ...time,
].join('\n');
console.log(md);

if (write) {
  writeResultsSpan('dedupe', `## Dedupe: "same problem" (bench/dedupe)\n\n${md}`);
  console.log(`\nwrote ${path.relative(ROOT, RESULTS_FILE)}`);
}
