/**
 * Quality and speed of nlp/ on the real datasets in ../shared/data.
 *
 *   node --expose-gc --import tsx bench/nlp/nlp.bench.ts [--quick] [--word-vectors]
 *
 * For each task: train our TF-IDF + logistic regression on the train split, score accuracy and
 * macro-F1 on the test split, beside a baseline trained in the same run (natural's BayesClassifier
 * on raw tokens: natural's WordTokenizer for English, jieba for Chinese). Then latency of the rules
 * path (UnderstandingEngine without a model) and of the model path, one message at a time on one core.
 * banking77 has its own split; the other sets have none, so a text goes to test when the first byte
 * of sha256('nlp-bench-split\0' + text) < 52 (≈ 20 %), the same every run.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { loadCategoriesFile } from '../../config/load-categories.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { TextModel } from '../../nlp/text-model.js';
import { WORD_VECTORS } from '../../gateway/load-word-vectors.js';
import { warmUpNormalizer } from '../../nlp/text-normalizer.js';
import { UnderstandingEngine } from '../../nlp/understanding.js';
import { SHARED_DATA_DIR } from '../shared-data.js';

process.env.DOTENV_CONFIG_QUIET ??= 'true';
const require = createRequire(import.meta.url);
const natural = require('natural') as typeof import('natural');

const DATA = SHARED_DATA_DIR;
const quick = process.argv.includes('--quick');
// --word-vectors: train as `gateway train --word-vectors` does (the English sets get a word-vector block).
const wordVectors = process.argv.includes('--word-vectors');

interface Example {
  text: string;
  label: string;
}
interface Task {
  name: string;
  language: 'en' | 'zh';
  train: Example[];
  test: Example[];
}

function csv(rel: string): Array<Record<string, string>> {
  return parseCsvObjects(readFileSync(path.join(DATA, rel), 'utf8'));
}
function isTest(text: string): boolean {
  // Salted: the sample files were themselves cut by plain sha256(text), so its first byte is not uniform there.
  return createHash('sha256').update('nlp-bench-split\0').update(text).digest()[0]! < 52;
}
function split(name: string, language: 'en' | 'zh', rows: Example[]): Task {
  return { name, language, train: rows.filter((r) => !isTest(r.text)), test: rows.filter((r) => isTest(r.text)) };
}

/** CFPB product labels from several taxonomy versions, folded to one set. */
function cfpbProduct(p: string): string {
  if (/credit report/i.test(p)) return 'credit reporting';
  if (/debt collection/i.test(p)) return 'debt collection';
  if (/mortgage/i.test(p)) return 'mortgage';
  if (/credit card|prepaid card/i.test(p)) return 'credit or prepaid card';
  if (/checking|savings|bank account/i.test(p)) return 'bank account';
  if (/student loan/i.test(p)) return 'student loan';
  if (/vehicle loan|consumer loan|payday|personal loan/i.test(p)) return 'consumer loan';
  if (/money transfer|virtual currency|money service/i.test(p)) return 'money transfer';
  return 'other';
}

function tasks(): Task[] {
  const b77train = csv('banking77/train.csv').map((r) => ({ text: r.text!, label: r.category! }));
  const b77test = csv('banking77/test.csv').map((r) => ({ text: r.text!, label: r.category! }));
  const cfpb = csv('cfpb/sample.csv').map((r) => ({ text: r.narrative!, label: cfpbProduct(r.product!) }));
  const shop = csv('online_shopping_10_cats/sample.csv');
  const waimai = csv('waimai_10k/sample.csv');
  return [
    { name: 'banking77 intent (77)', language: 'en', train: b77train, test: b77test },
    split('cfpb product (9)', 'en', cfpb),
    split(
      'online_shopping product cat (10)',
      'zh',
      shop.map((r) => ({ text: r.review!, label: r.cat! })),
    ),
    split(
      'online_shopping complaint vs praise',
      'zh',
      shop.map((r) => ({ text: r.review!, label: r.label === '0' ? 'complaint' : 'praise' })),
    ),
    split(
      'waimai complaint vs praise',
      'zh',
      waimai.map((r) => ({ text: r.review!, label: r.label === '0' ? 'complaint' : 'praise' })),
    ),
  ];
}

function scores(gold: string[], pred: string[]): { accuracy: number; macroF1: number } {
  const labels = [...new Set(gold)];
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) correct++;
  let f1sum = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === l && gold[i] === l) tp++;
      else if (pred[i] === l) fp++;
      else if (gold[i] === l) fn++;
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const r = tp + fn ? tp / (tp + fn) : 0;
    f1sum += p + r ? (2 * p * r) / (p + r) : 0;
  }
  return { accuracy: correct / gold.length, macroF1: f1sum / labels.length };
}

const jieba = Jieba.withDict(dict);
const wordTokenizer = new natural.WordTokenizer();
function rawTokens(text: string, language: 'en' | 'zh'): string[] {
  return language === 'zh' ? jieba.cut(text, false).filter((t) => t.trim()) : (wordTokenizer.tokenize(text) ?? []);
}

function latency(fn: (t: string) => unknown, texts: string[]): { median: number; p99: number; perSecond: number } {
  // Training just left hundreds of MB of garbage: collect it first so p99 measures us, not that.
  (globalThis as { gc?: () => void }).gc?.();
  for (const t of texts.slice(0, 50)) fn(t); // warm-up: JIT and lazy dictionaries
  const times: number[] = [];
  const start = performance.now();
  for (const t of texts) {
    const t0 = performance.now();
    fn(t);
    times.push(performance.now() - t0);
  }
  const total = performance.now() - start;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 1000;
  return { median: at(0.5), p99: at(0.99), perSecond: texts.length / (total / 1000) };
}

const pct = (x: number) => (x * 100).toFixed(1);
const us = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));

async function main(): Promise<void> {
  warmUpNormalizer();
  const config = loadCategoriesFile();
  const rulesEngine = new UnderstandingEngine(config);
  const quality: string[] = [];
  const speed: string[] = [];
  for (const task of tasks()) {
    // --quick: every 5th training example (the files are sorted by label, so not the head).
    const train = quick ? task.train.filter((_, i) => i % 5 === 0) : task.train;
    const t0 = performance.now();
    const model = TextModel.trainWithSynonyms(
      train.map((e) => e.text),
      train.map((e) => e.label),
      rulesEngine.synonymPairs(),
      { embeddings: wordVectors ? WORD_VECTORS : undefined },
    );
    const trainSeconds = (performance.now() - t0) / 1000;
    const ours = task.test.map((e) => model.predict(e.text).label);

    const t1 = performance.now();
    const bayes = new natural.BayesClassifier();
    for (const e of train) bayes.addDocument(rawTokens(e.text, task.language), e.label);
    bayes.train();
    const baseSeconds = (performance.now() - t1) / 1000;
    const base = task.test.map((e) => bayes.classify(rawTokens(e.text, task.language)));

    const gold = task.test.map((e) => e.label);
    const o = scores(gold, ours);
    const b = scores(gold, base);
    quality.push(
      `| ${task.name} | ${train.length} / ${task.test.length} | **${pct(o.accuracy)}** | **${pct(o.macroF1)}** | ${pct(b.accuracy)} | ${pct(b.macroF1)} | ${trainSeconds.toFixed(1)} s / ${baseSeconds.toFixed(1)} s |`,
    );
    console.error(`${task.name}: ours acc ${pct(o.accuracy)} F1 ${pct(o.macroF1)}; baseline acc ${pct(b.accuracy)} F1 ${pct(b.macroF1)}`);

    const texts = task.test.map((e) => e.text);
    const avgLen = Math.round(texts.reduce((n, t) => n + t.length, 0) / texts.length);
    const rules = latency((t) => rulesEngine.analyze({ text: t }), texts);
    const withModel = new UnderstandingEngine(config, model);
    const full = latency((t) => withModel.analyze({ text: t }), texts);
    speed.push(
      `| ${task.name} | ${avgLen} | ${us(rules.median)} | ${us(rules.p99)} | ${Math.round(rules.perSecond)} | ${us(full.median)} | ${us(full.p99)} | ${Math.round(full.perSecond)} |`,
    );
  }
  console.log('| task | train / test | accuracy | macro-F1 | baseline accuracy | baseline macro-F1 | train time (ours / baseline) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const l of quality) console.log(l);
  console.log('');
  console.log('| messages from | avg chars | rules median µs | rules p99 µs | rules msg/s | rules+model median µs | rules+model p99 µs | rules+model msg/s |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const l of speed) console.log(l);
}

await main();
