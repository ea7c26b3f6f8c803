/**
 * FAQ matching quality and speed on real data in ../shared/data, beside natural's TfIdf in the same run.
 *
 *   node --import tsx bench/faq/faq.bench.ts [--write]
 *
 * banking77 (English): one FAQ entry per intent (77), its train utterances as the paraphrases
 * (10,003), the test split (3,080) as customer questions. Every test question has a right entry.
 *
 * afqmc (Chinese, Alipay customer-service questions): pairs are (sentence1, sentence2, same meaning?)
 * and no sentence repeats, so there are no intents to group. Honest FAQ use of it: every distinct
 * sentence2 is one FAQ entry with one paraphrase (3,997 entries; the sentence2 of negative pairs are
 * hard distractors sharing most words with some question); the sentence1 of each positive pair
 * (1,338) is a customer question whose right entry is its paired sentence2. The sentence1 of the
 * negative pairs (2,662) are asked too, as out-of-FAQ questions: nothing in the FAQ is labelled as
 * meaning the same, so answering one counts as a wrong answer. Caveat: another entry may in truth
 * mean the same as a question (nobody labelled it), so afqmc accuracy is a lower bound.
 *
 * Reported: top-1 accuracy when always answering; accuracy of the answered questions at fixed
 * coverage (answer the most confident N %); the largest coverage with accuracy ≥ 0.85; and for our
 * matcher the threshold table (coverage and accuracy at each threshold of faq.yaml's scale).
 * The baseline is natural's TfIdf with one document per entry (all its paraphrases; jieba words for
 * Chinese since natural cannot segment it), ranked by its tfidfs score.
 * `--write` replaces the bench:faq section of bench/RESULTS.md with the tables.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { faqSchema, type FaqConfig } from '../../config/faq.schema.js';
import { loadCategoriesFile } from '../../nlp/categories-config.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { loadFaqFile } from '../../nlp/faq/faq-config.js';
import { FaqMatcher } from '../../nlp/faq/faq-matcher.js';
import { SynonymTable } from '../../nlp/term-matcher.js';
import { warmUpNormalizer } from '../../nlp/text-normalizer.js';
import { SHARED_DATA_DIR } from '../../test/support/shared-data.js';
import { writeResultsSpan } from '../results-file.js';

process.env.DOTENV_CONFIG_QUIET ??= 'true';
const require = createRequire(import.meta.url);
const natural = require('natural') as typeof import('natural');

const DATA = SHARED_DATA_DIR;
const write = process.argv.includes('--write');

interface Question {
  text: string;
  /** The right entry id, or null when no entry answers it. */
  expected: string | null;
}
interface Task {
  name: string;
  language: 'en' | 'zh';
  faq: FaqConfig;
  questions: Question[];
}
/** One scored question: the top entry, its confidence, and whether answering it would be right. */
interface Outcome {
  confidence: number;
  /** Confidence minus the runner-up's (ours only). */
  margin: number;
  correct: boolean;
  inFaq: boolean;
}

function csv(rel: string): Array<Record<string, string>> {
  return parseCsvObjects(readFileSync(path.join(DATA, rel), 'utf8'));
}

function banking77(): Task {
  const byIntent = new Map<string, string[]>();
  // One intent is called "reverted_card_payment?": FAQ ids are plain words.
  const id = (category: string) => category.replace(/[^\w.-]/g, '');
  for (const r of csv('banking77/train.csv')) {
    const list = byIntent.get(id(r.category!)) ?? [];
    list.push(r.text!);
    byIntent.set(id(r.category!), list);
  }
  const faq = faqSchema.parse({
    threshold: 0.4,
    entries: [...byIntent].map(([id, questions]) => ({ id, questions: { en: questions }, answers: { en: { text: `answer for ${id}` } } })),
  });
  const questions = csv('banking77/test.csv').map((r) => ({ text: r.text!, expected: id(r.category!) }));
  return { name: 'banking77 (en): 77 entries, 10,003 paraphrases, 3,080 questions', language: 'en', faq, questions };
}

function afqmc(): Task {
  const rows = readFileSync(path.join(DATA, 'afqmc/pairs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { sentence1: string; sentence2: string; label: string });
  const ids = new Map<string, string>();
  for (const r of rows) if (!ids.has(r.sentence2)) ids.set(r.sentence2, `q${ids.size}`);
  const faq = faqSchema.parse({
    threshold: 0.4,
    entries: [...ids].map(([text, id]) => ({ id, questions: { zh: [text] }, answers: { zh: { text } } })),
  });
  const questions = rows.map((r) => ({ text: r.sentence1, expected: r.label === '1' ? ids.get(r.sentence2)! : null }));
  return { name: `afqmc (zh): ${ids.size.toLocaleString('en')} entries, 1,338 in-FAQ + 2,662 out-of-FAQ questions`, language: 'zh', faq, questions };
}

let jieba: Jieba | undefined;
function baselineTokens(text: string, language: 'en' | 'zh'): string[] | string {
  if (language === 'en') return text; // natural's TfIdf tokenizes, lower-cases and drops stop words itself
  jieba ??= Jieba.withDict(dict);
  return jieba.cut(text, false).filter((w) => w.trim() && !/^[\p{P}\p{S}]+$/u.test(w));
}

function runBaseline(task: Task): { outcomes: Outcome[]; buildMs: number; perQueryMs: number } {
  const t0 = performance.now();
  const tfidf = new natural.TfIdf();
  const ids = task.faq.entries.map((e) => e.id);
  for (const e of task.faq.entries) {
    const qs = [...(e.questions.en ?? []), ...(e.questions.zh ?? [])];
    const doc = task.language === 'en' ? qs.join(' \n ') : qs.flatMap((q) => baselineTokens(q, 'zh') as string[]);
    tfidf.addDocument(doc);
  }
  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  const outcomes = task.questions.map((q) => {
    const scores = tfidf.tfidfs(baselineTokens(q.text, task.language));
    let best = -1;
    let second = 0;
    let at = -1;
    scores.forEach((s, i) => {
      if (s > best) {
        second = Math.max(second, best);
        best = s;
        at = i;
      } else if (s > second) second = s;
    });
    const correct = best > 0 && q.expected !== null && ids[at] === q.expected;
    return { confidence: Math.max(0, best), margin: best - second, correct, inFaq: q.expected !== null };
  });
  return { outcomes, buildMs, perQueryMs: (performance.now() - t1) / task.questions.length };
}

function runOurs(task: Task, synonyms: SynonymTable): { outcomes: Outcome[]; buildMs: number; perQueryMs: number; p99Ms: number } {
  const t0 = performance.now();
  const matcher = new FaqMatcher(task.faq, { synonyms });
  const buildMs = performance.now() - t0;
  const times: number[] = [];
  const outcomes = task.questions.map((q) => {
    const t = performance.now();
    const top = matcher.match(q.text, { limit: 2 });
    times.push(performance.now() - t);
    const first = top[0];
    return {
      confidence: first?.score ?? 0,
      margin: (first?.score ?? 0) - (top[1]?.score ?? 0),
      correct: first !== undefined && q.expected !== null && first.id === q.expected,
      inFaq: q.expected !== null,
    };
  });
  times.sort((a, b) => a - b);
  return { outcomes, buildMs, perQueryMs: times.reduce((a, b) => a + b, 0) / times.length, p99Ms: times[Math.floor(times.length * 0.99)]! };
}

/** Area under the ROC curve: chance that a same-meaning pair scores above a different-meaning one. */
function auc(scored: Array<{ score: number; positive: boolean }>): number {
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const rank = (i + j + 1) / 2; // ties share their mean rank
    for (let k = i; k < j; k++) if (sorted[k]!.positive) {
      rankSum += rank;
      pos++;
    }
    i = j;
  }
  const neg = sorted.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function prf(scored: Array<{ score: number; positive: boolean }>, threshold: number): { p: number; r: number; f1: number } {
  const tp = scored.filter((s) => s.positive && s.score >= threshold).length;
  const fp = scored.filter((s) => !s.positive && s.score >= threshold).length;
  const fn = scored.filter((s) => s.positive && s.score < threshold).length;
  const p = tp + fp ? tp / (tp + fp) : NaN;
  const r = tp / (tp + fn);
  return { p, r, f1: p && r ? (2 * p * r) / (p + r) : 0 };
}

/**
 * afqmc as its README suggests: each pair is (customer question, one FAQ entry); the score of that
 * entry for that question (entry scores from the full 3,997-entry index) decides "same question".
 */
function pairVerification(task: Task, synonyms: SynonymTable, log: (s?: string) => void): void {
  const matcher = new FaqMatcher(task.faq, { synonyms });
  const tfidf = new natural.TfIdf();
  const index = new Map<string, number>();
  task.faq.entries.forEach((e, i) => {
    index.set(e.answers.zh!.text, i);
    tfidf.addDocument(baselineTokens(e.questions.zh![0]!, 'zh'));
  });
  const rows = readFileSync(path.join(DATA, 'afqmc/pairs.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { sentence1: string; sentence2: string; label: string });
  const ours: Array<{ score: number; positive: boolean }> = [];
  const base: Array<{ score: number; positive: boolean }> = [];
  for (const r of rows) {
    const i = index.get(r.sentence2)!;
    const id = task.faq.entries[i]!.id;
    const hit = matcher.match(r.sentence1, { limit: Infinity }).find((m) => m.id === id);
    ours.push({ score: hit?.score ?? 0, positive: r.label === '1' });
    base.push({ score: tfidf.tfidf(baselineTokens(r.sentence1, 'zh'), i), positive: r.label === '1' });
  }
  const bestF1 = (s: typeof ours) => Math.max(...[...new Set(s.map((x) => x.score))].map((t) => prf(s, t).f1));
  log('');
  log('afqmc pair verification (README use: sentence1 = customer question, sentence2 = FAQ entry; 1,338 same / 2,662 different):');
  log('');
  log('| matcher | ROC AUC | best F1 over thresholds |');
  log('|---|---|---|');
  log(`| natural TfIdf (baseline) | ${num(auc(base))} | ${num(bestF1(base))} |`);
  log(`| FaqMatcher (ours) | ${num(auc(ours))} | ${num(bestF1(ours))} |`);
  log('');
  log('| threshold | precision | recall | F1 |');
  log('|---|---|---|---|');
  for (const t of [0.3, 0.4, 0.5, 0.6, 0.7]) {
    const r = prf(ours, t);
    log(`| ${t} | ${num(r.p)} | ${num(r.r)} | ${num(r.f1)} |`);
  }
}

/** Accuracy of the answered when answering the most confident `coverage` share of questions. */
function accuracyAtCoverage(outcomes: Outcome[], coverage: number): number {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  const n = Math.max(1, Math.round(sorted.length * coverage));
  return sorted.slice(0, n).filter((o) => o.correct).length / n;
}

/** The largest share of questions answerable (most confident first) with accuracy ≥ target. */
function coverageAtAccuracy(outcomes: Outcome[], target: number): number {
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let best = 0;
  sorted.forEach((o, i) => {
    if (o.correct) right++;
    if (right / (i + 1) >= target) best = (i + 1) / sorted.length;
  });
  return best;
}

interface AtThreshold {
  threshold: number;
  coverage: number;
  accuracy: number;
  /** Share of out-of-FAQ questions answered anyway (afqmc). */
  outAnswered: number;
}
function atThreshold(outcomes: Outcome[], threshold: number, minMargin = 0): AtThreshold {
  const answered = outcomes.filter((o) => o.confidence >= threshold && o.margin >= minMargin);
  const out = outcomes.filter((o) => !o.inFaq);
  return {
    threshold,
    coverage: answered.length / outcomes.length,
    accuracy: answered.length ? answered.filter((o) => o.correct).length / answered.length : NaN,
    outAnswered: out.length ? answered.filter((o) => !o.inFaq).length / out.length : NaN,
  };
}

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)} %`);
const num = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));

function main(): void {
  warmUpNormalizer();
  const synonyms = new SynonymTable(loadCategoriesFile().synonyms);
  const shipped = loadFaqFile();
  const out: string[] = [];
  const log = (s = '') => {
    out.push(s);
    console.log(s);
  };
  const coverages = [1, 0.9, 0.8, 0.65, 0.5];
  log(`Run: ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}; shipped faq.yaml threshold ${shipped.threshold}, minMargin ${shipped.minMargin ?? 'none'}.`);
  for (const task of [banking77(), afqmc()]) {
    const base = runBaseline(task);
    const ours = runOurs(task, synonyms);
    const inFaq = task.questions.filter((q) => q.expected !== null).length;
    log('');
    log(`### ${task.name}`);
    log('');
    log(`Accuracy of the answered questions when answering the most confident share${inFaq < task.questions.length ? ' (all questions, in- and out-of-FAQ; answering an out-of-FAQ one is wrong)' : ''}:`);
    log('');
    log(`| matcher | top-1 (100 %) | @90 % | @80 % | @65 % | @50 % | max coverage at ≥ 0.85 | build | per query (mean / p99) |`);
    log(`|---|---|---|---|---|---|---|---|---|`);
    for (const [name, r] of [
      ["natural TfIdf (baseline)", base],
      ['FaqMatcher (ours)', ours],
    ] as const) {
      const accs = coverages.map((c) => num(accuracyAtCoverage(r.outcomes, c)));
      const p99 = 'p99Ms' in r ? ` / ${r.p99Ms.toFixed(2)} ms` : '';
      log(`| ${name} | ${accs.join(' | ')} | ${pct(coverageAtAccuracy(r.outcomes, 0.85))} | ${r.buildMs.toFixed(0)} ms | ${r.perQueryMs.toFixed(2)} ms${p99} |`);
    }
    if (inFaq < task.questions.length) {
      const onlyIn = (r: { outcomes: Outcome[] }) => r.outcomes.filter((o) => o.inFaq);
      log('');
      log(`In-FAQ questions only (${inFaq}): top-1 accuracy baseline ${num(accuracyAtCoverage(onlyIn(base), 1))}, ours ${num(accuracyAtCoverage(onlyIn(ours), 1))}.`);
    }
    log('');
    log(`FaqMatcher at faq.yaml thresholds (score ≥ threshold answers)${inFaq < task.questions.length ? '; "out-of-FAQ answered" = share of the 2,662 unrelated questions that got an answer' : ''}:`);
    log('');
    log(`| threshold | coverage | accuracy of answered |${inFaq < task.questions.length ? ' out-of-FAQ answered |' : ''}`);
    log(`|---|---|---|${inFaq < task.questions.length ? '---|' : ''}`);
    const rows = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7].map((t) => atThreshold(ours.outcomes, t));
    rows.push({ ...atThreshold(ours.outcomes, shipped.threshold, shipped.minMargin ?? 0) });
    rows.forEach((r, i) => {
      const label = i === rows.length - 1 ? `${r.threshold} + minMargin ${shipped.minMargin ?? 0} (shipped)` : String(r.threshold);
      log(`| ${label} | ${pct(r.coverage)} | ${num(r.accuracy)} |${inFaq < task.questions.length ? ` ${pct(r.outAnswered)} |` : ''}`);
    });
    if (task.language === 'zh') pairVerification(task, synonyms, log);
  }
  // Speed on the shipped faq.yaml: every banking77 test question and afqmc sentence1 through decide().
  const t0 = performance.now();
  const shippedMatcher = new FaqMatcher(shipped, { synonyms });
  const buildMs = performance.now() - t0;
  const texts = [...csv('banking77/test.csv').map((r) => r.text!), ...afqmc().questions.map((q) => q.text)];
  const times = texts.map((t) => {
    const s0 = performance.now();
    shippedMatcher.decide(t);
    return performance.now() - s0;
  });
  times.sort((a, b) => a - b);
  log('');
  log(
    `Shipped faq.yaml (${shipped.entries.length} entries, ${shippedMatcher.size} paraphrases): build ${buildMs.toFixed(1)} ms; decide() over ${texts.length} en + zh messages: mean ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(3)} ms, p99 ${times[Math.floor(times.length * 0.99)]!.toFixed(3)} ms.`,
  );
  if (write) writeResults(out.join('\n'));
}

/** What the numbers mean; written by hand after reading a run (update it when they change). */
const NOTE = `Reading: on banking77 the goal holds with room to spare (≥ 0.85 accuracy up to 98.7 % coverage; 0.914 at 65 %; the shipped 0.25 + margin 0.05 answers 80.6 % with 0.924 right), and the natural TfIdf baseline reaches 0.85 only on its most confident 13.9 %. On afqmc the goal is not met, by either matcher: its 3,997 "entries" are all Alipay 花呗/借呗 questions, the negatives were chosen for high word overlap, and each entry has a single paraphrase, so word overlap cannot tell them apart (pair ROC AUC 0.57 vs 0.56 for the baseline; BERT reaches ~0.73 accuracy on these pairs). A real FAQ has entries on different topics with several paraphrases each, as banking77 does; for Chinese questions that look like afqmc, a sentence-embedding model would be needed. The shipped faq.yaml (12 entries) is answered in ~0.03 ms per message.`;

/** Our span of bench/RESULTS.md. */
function writeResults(body: string): void {
  writeResultsSpan('faq', `## FAQ matching (bench/faq)\n\nCommand: \`node --import tsx bench/faq/faq.bench.ts --write\` (about a minute on 2 cores).\nData: ../shared/data/banking77 and ../shared/data/afqmc, read in place; see the header of bench/faq/faq.bench.ts for how each becomes an FAQ.\n\n${body}\n\n${NOTE}`);
}

main();
