/**
 * The data sets bench/faq measures the FAQ matcher on, each turned into an FAQ (entries with
 * paraphrases) and a list of customer questions with the entry that should answer (null = none).
 * Read in place from ../shared/data (never copied) and from test/fixtures/faq.
 *
 * Every set has a part used to choose settings and a part used only to report, so no reported
 * figure comes from data the settings were chosen on:
 * | set | choose on | report on |
 * |---|---|---|
 * | massive_zh_cn (60 intents) | validation.jsonl | test.jsonl |
 * | banking77 (77 intents) | 1 in 5 of train.csv, the FAQ built from the other 4 | test.csv, the FAQ built from all of train |
 * | shipped faq.yaml | 5-fold cross-validation of its own paraphrases | test/fixtures/faq/customer-phrasings.jsonl |
 * | real complaints (must not be answered by faq.yaml) | even rows | odd rows |
 * | short requests outside faq.yaml's topics | massive_zh_cn validation, takeaway_* left out | (not reported) |
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { faqSchema, type FaqConfig } from '../../config/faq.schema.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { loadFaqFile } from '../../config/load-faq.js';
import { sharedData } from '../shared-data.js';

/** One customer question and the entry that should answer it (null: no entry should). */
export interface Question {
  text: string;
  expected: string | null;
  /** zh-Hans, zh-Hant or en where the set says. */
  language?: string;
  /** What makes it hard (customer phrasings: greeting, multi-clause, order-number, typo, traditional, faq-words, complaint). */
  traits?: string[];
}

/** An FAQ and questions asked of it. */
export interface FaqTask {
  name: string;
  faq: FaqConfig;
  questions: Question[];
}

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CUSTOMER_PHRASINGS_FILE = path.join(ROOT, 'test', 'fixtures', 'faq', 'customer-phrasings.jsonl');

const n = (x: number) => x.toLocaleString('en');

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/**
 * One FAQ entry per label, its texts as paraphrases. The answer is "…" for every entry: the matcher
 * learns from answer texts, and a placeholder naming the label ("answer for card_arrival") would
 * hand it the intent's name.
 */
function faqFromLabelled(rows: Array<{ text: string; label: string }>, language: 'zh' | 'en', settings: Partial<FaqConfig> = {}): FaqConfig {
  const byLabel = new Map<string, string[]>();
  for (const r of rows) {
    const list = byLabel.get(r.label) ?? [];
    list.push(r.text);
    byLabel.set(r.label, list);
  }
  return faqSchema.parse({
    ...settings,
    entries: [...byLabel].map(([id, questions]) => ({ id, questions: { [language]: questions }, answers: { [language]: { text: '…' } } })),
  });
}

/** massive_zh_cn: train as the FAQ, `split` (validation or test) as questions. */
export function massiveTask(split: 'validation' | 'test'): FaqTask {
  const read = (f: string) => jsonl<{ text: string; label: string }>(sharedData('massive_zh_cn', `${f}.jsonl`));
  const train = read('train');
  const questions = read(split).map((r) => ({ text: r.text, expected: r.label }));
  const name = `massive_zh_cn (zh) ${split}: 60 entries, ${n(train.length)} paraphrases, ${n(questions.length)} questions`;
  return { name, faq: faqFromLabelled(train, 'zh'), questions };
}

/** banking77: `dev` = 4/5 of train as the FAQ and the other 1/5 as questions; `test` = train as the FAQ, test as questions. */
export function banking77Task(split: 'dev' | 'test'): FaqTask {
  // One intent is called "reverted_card_payment?": FAQ ids are plain words.
  const read = (f: string) =>
    parseCsvObjects(readFileSync(sharedData('banking77', f), 'utf8')).map((r) => ({ text: r.text!, label: r.category!.replace(/[^\w.-]/g, '') }));
  const train = read('train.csv');
  let paraphrases = train;
  let questions: Array<{ text: string; label: string }>;
  if (split === 'dev') {
    const seen = new Map<string, number>();
    const nth = train.map((r) => {
      const n = seen.get(r.label) ?? 0;
      seen.set(r.label, n + 1);
      return n;
    });
    paraphrases = train.filter((_, i) => nth[i]! % 5 !== 2);
    questions = train.filter((_, i) => nth[i]! % 5 === 2);
  } else questions = read('test.csv');
  const part = split === 'dev' ? 'dev (4/5 of train vs 1/5)' : 'test';
  return {
    name: `banking77 (en) ${part}: 77 entries, ${n(paraphrases.length)} paraphrases, ${n(questions.length)} questions`,
    faq: faqFromLabelled(paraphrases, 'en'),
    questions: questions.map((r) => ({ text: r.text, expected: r.label })),
  };
}

/**
 * The shipped faq.yaml, 5-fold: each fold leaves every 5th paraphrase of each entry out of the FAQ
 * and asks it as a question. Paraphrases are short, clean questions, so this measures how the
 * matcher generalises to new wording, not to greetings, typos or several clauses.
 */
export function shippedFaqFolds(folds = 5, file?: string): FaqTask[] {
  const faq = loadFaqFile(file);
  return Array.from({ length: folds }, (_, fold) => {
    const questions: Question[] = [];
    const entries = faq.entries.map((e) => {
      const kept: Record<string, string[]> = {};
      for (const lang of ['zh', 'en'] as const) {
        const list = e.questions[lang];
        if (!list) continue;
        kept[lang] = list.filter((q, i) => {
          if (i % folds !== fold) return true;
          questions.push({ text: q, expected: e.id, language: lang });
          return false;
        });
      }
      return { ...e, questions: kept };
    });
    return { name: `faq.yaml fold ${fold + 1}/${folds}`, faq: { ...faq, entries }, questions };
  });
}

/**
 * A second author's customer messages for the shipped faq.yaml, written blind to its paraphrases (from its entries' answers
 * alone): `tune` may be read to find what the matcher misses, `check` only reported.
 */
export const SECOND_AUTHOR_FILES = {
  tune: path.join(ROOT, 'test', 'fixtures', 'faq', 'second-author-tune.jsonl'),
  check: path.join(ROOT, 'test', 'fixtures', 'faq-heldout', 'second-author-check.jsonl'),
};

/**
 * A third author's complaints that use FAQ words but need a person (90) and unhappy customers asking a question an entry
 * settles (50), for telling the two apart: a tuning set (its errors were read for nlp/faq/own-case.ts).
 */
export const COMPLAINT_OR_QUESTION_FILE = path.join(ROOT, 'test', 'fixtures', 'faq', 'complaint-or-question-tune.jsonl');

/**
 * A fourth author's complaints that use FAQ words but need a person and questions an entry settles, many from unhappy
 * customers, written blind to faq.yaml's paraphrases: `tune` (180; read for nlp/faq/own-case.ts) and `check` (140, other
 * products and wording; only reported).
 */
export const FOURTH_AUTHOR_FILES = {
  tune: path.join(ROOT, 'test', 'fixtures', 'faq', 'fourth-author-tune.jsonl'),
  check: path.join(ROOT, 'test', 'fixtures', 'faq-heldout', 'fourth-author-check.jsonl'),
};

/**
 * A fifth author's complaints that use FAQ words but need a person (160) and questions an entry settles (140, many unhappy or
 * inside a story), written blind to everything but the entries' answers: a training set of nlp/faq/own-case-model.ts.
 */
export const FIFTH_AUTHOR_FILE = path.join(ROOT, 'test', 'fixtures', 'faq', 'fifth-author-tune.jsonl');

/**
 * A sixth author's unhappy customers: 160 who tell their story and ask what an entry's answer settles, 160 who ask what only a
 * person can settle for their case: a training set of nlp/faq/own-case-model.ts.
 */
export const SIXTH_AUTHOR_FILE = path.join(ROOT, 'test', 'fixtures', 'faq', 'sixth-author-tune.jsonl');

/** The hand-written customer phrasings for the shipped faq.yaml (never used to choose anything), or another such set. */
export function customerPhrasingsTask(file?: string, questionsFile = CUSTOMER_PHRASINGS_FILE): FaqTask {
  const questions = jsonl<{ text: string; expected: string | null; language: string; traits?: string[] }>(questionsFile);
  return {
    name: 'shipped faq.yaml on customer phrasings',
    faq: loadFaqFile(file),
    questions: questions.map((q) => ({ text: q.text, expected: q.expected ?? null, language: q.language, traits: q.traits ?? [] })),
  };
}

/**
 * Real complaints no FAQ entry answers: negative reviews (waimai_10k, online_shopping_10_cats; zh)
 * and CFPB complaint narratives (en). `half` picks even rows (to choose settings) or odd rows (to
 * report). A few may in truth ask something the FAQ answers, so the share answered is an upper bound.
 */
export function realComplaints(half: 'choose' | 'report'): Question[] {
  const keep = (_: unknown, i: number) => i % 2 === (half === 'choose' ? 0 : 1);
  const csv = (rel: string) => parseCsvObjects(readFileSync(sharedData(rel), 'utf8'));
  const zh = [...csv('waimai_10k/sample.csv'), ...csv('online_shopping_10_cats/sample.csv')]
    .filter((r) => r.label === '0' && (r.review ?? '').trim().length >= 6)
    .map((r) => ({ text: r.review!, expected: null, language: 'zh-Hans' }));
  const en = csv('cfpb/sample.csv').map((r) => ({ text: r.narrative!, expected: null, language: 'en' }));
  return [...zh.filter(keep), ...en.filter(keep)];
}

/**
 * Short messages about things the shipped faq.yaml does not cover: massive_zh_cn's validation requests to a voice
 * assistant (alarms, music, weather, calendar…), without its takeaway_* intents (food orders may be ours). A
 * single-clause message skips the "does it ask?" check, so only similarity and threshold keep these from answers.
 */
export function offTopicShortRequests(): Question[] {
  return jsonl<{ text: string; label: string }>(sharedData('massive_zh_cn', 'validation.jsonl'))
    .filter((r) => !r.label.startsWith('takeaway_'))
    .map((r) => ({ text: r.text, expected: null, language: 'zh-Hans' }));
}
