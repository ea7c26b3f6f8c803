/**
 * `gateway faq-eval --data FILE [--threshold X] [--channel C]`: how well faq.yaml answers a set of
 * labelled customer questions. FILE is JSONL (`{"text": "...", "expected": "<entry id>" | null}`)
 * or CSV with columns `text,expected` (empty expected = no entry should answer). Prints top-1
 * accuracy, and at the configured threshold, minMargin and minSimilarity: the share of questions
 * with an expected entry that get an answer, how many answers are right, and the share of
 * questions expecting no answer (complaints, off-topic) that get one anyway.
 * The config directory's faq.yaml and categories.yaml (synonyms) are used, else the shipped ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DEFAULT_CATEGORIES_FILE, loadCategoriesFile } from '../../config/load-categories.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { DEFAULT_FAQ_FILE, loadFaqFile } from '../../config/load-faq.js';
import { FaqMatcher } from '../../nlp/faq/faq-matcher.js';
import { SynonymTable } from '../../nlp/term-matcher.js';

/** Streams and the config directory, injectable for tests. */
export interface FaqEvalIo {
  stdout: Writable;
  stderr: Writable;
  /** Directory holding faq.yaml and categories.yaml; the shipped files where one is missing. */
  configDir?: string;
}

/** Result figures, also printed. */
export interface FaqEvalSummary {
  questions: number;
  /** Questions with an expected entry. */
  inFaq: number;
  /** Share of in-FAQ questions whose best entry is the expected one (answering always). */
  top1Accuracy: number;
  /** Share of all questions the bot would answer at the configured threshold. */
  coverage: number;
  /** Share of the questions with an expected entry that the bot answers (right or wrong). */
  inFaqCoverage: number;
  /** Share of the answers to questions with an expected entry that give that entry. */
  inFaqAccuracy: number;
  /** Share of answered questions answered with the expected entry (an answer to a null question is wrong). */
  answeredAccuracy: number;
  /** Share of out-of-FAQ questions (expected null) answered anyway. */
  falseAnswerRate: number;
}

const USAGE = `usage: gateway faq-eval --data FILE.jsonl|FILE.csv [--config DIR] [--threshold X] [--channel CHANNEL] [--errors N]
  FILE: JSONL {"text": "...", "expected": "<faq entry id>" | null} or CSV with columns text,expected`;

interface Labelled {
  text: string;
  expected: string | null;
  line: number;
}

/** Reads JSONL or CSV (by extension, or by the first character when the extension says neither). */
export function readLabelledQuestions(file: string): Labelled[] {
  const raw = readFileSync(file, 'utf8');
  const isCsv = /\.csv$/i.test(file) || (!/\.jsonl?$/i.test(file) && !raw.trimStart().startsWith('{'));
  if (isCsv) {
    const rows = parseCsvObjects(raw);
    if (rows.length > 0 && !('text' in rows[0]!)) throw new Error(`${file}: the CSV needs a header row with columns text,expected`);
    return rows.map((r, i) => ({ text: r.text ?? '', expected: r.expected?.trim() ? r.expected.trim() : null, line: i + 2 }));
  }
  const out: Labelled[] = [];
  raw.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
    }
    const o = obj as Record<string, unknown>;
    if (!o || typeof o.text !== 'string') throw new Error(`${file}:${i + 1}: expected {"text": "...", "expected": "<entry id>" | null}`);
    if (o.expected !== undefined && o.expected !== null && typeof o.expected !== 'string')
      throw new Error(`${file}:${i + 1}: "expected" must be an entry id or null`);
    out.push({ text: o.text, expected: (o.expected as string | null | undefined) || null, line: i + 1 });
  });
  return out;
}

/** Runs the evaluation; returns the process exit code (0 ok, 1 bad data or config, 2 usage). */
export async function faqEvalCommand(args: string[], io: FaqEvalIo): Promise<number> {
  let values: { data?: string; config?: string; threshold?: string; channel?: string; errors?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        data: { type: 'string' },
        config: { type: 'string' },
        threshold: { type: 'string' },
        channel: { type: 'string' },
        errors: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.data) {
    io.stderr.write(`--data is required\n${USAGE}\n`);
    return 2;
  }
  const threshold = values.threshold !== undefined ? Number(values.threshold) : undefined;
  if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) {
    io.stderr.write(`--threshold must be a number from 0 to 1\n`);
    return 2;
  }

  try {
    const configDir = values.config ?? io.configDir;
    const inDir = (name: string, fallback: string) => (configDir && existsSync(path.join(configDir, name)) ? path.join(configDir, name) : fallback);
    const faq = loadFaqFile(inDir('faq.yaml', DEFAULT_FAQ_FILE));
    if (threshold !== undefined) faq.threshold = threshold;
    const synonyms = new SynonymTable(loadCategoriesFile(inDir('categories.yaml', DEFAULT_CATEGORIES_FILE)).synonyms);
    const matcher = new FaqMatcher(faq, { synonyms });
    const questions = readLabelledQuestions(values.data);
    if (questions.length === 0) {
      io.stderr.write(`${values.data}: no questions\n`);
      return 1;
    }
    const known = new Set(faq.entries.map((e) => e.id));
    const unknown = [...new Set(questions.map((q) => q.expected).filter((e): e is string => e !== null && !known.has(e)))];
    if (unknown.length > 0) {
      io.stderr.write(
        `warning: expected ids not in faq.yaml (counted as never answerable right): ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}\n`,
      );
    }

    const maxErrors = values.errors !== undefined ? Number(values.errors) : 10;
    let top1 = 0;
    let answered = 0;
    let answeredRight = 0;
    let falseAnswers = 0;
    let inFaqAnswered = 0;
    const misses: string[] = [];
    for (const q of questions) {
      const d = matcher.decide(q.text, { channel: values.channel, limit: 1 });
      const best = d.top[0]?.id ?? null;
      if (q.expected !== null && best === q.expected) top1++;
      if (d.answer) {
        answered++;
        if (q.expected !== null) inFaqAnswered++;
        if (d.answer.entryId === q.expected) answeredRight++;
        else if (q.expected === null) falseAnswers++;
      }
      const wrongAnswer = d.answer && d.answer.entryId !== q.expected;
      if (wrongAnswer && misses.length < maxErrors) {
        misses.push(
          `  line ${q.line}: answered ${d.answer!.entryId} (${d.answer!.score.toFixed(2)}), expected ${q.expected ?? 'no answer'}: ${q.text.slice(0, 80)}`,
        );
      }
    }
    const inFaq = questions.filter((q) => q.expected !== null).length;
    const outFaq = questions.length - inFaq;
    const summary: FaqEvalSummary = {
      questions: questions.length,
      inFaq,
      top1Accuracy: inFaq ? top1 / inFaq : NaN,
      coverage: answered / questions.length,
      inFaqCoverage: inFaq ? inFaqAnswered / inFaq : NaN,
      inFaqAccuracy: inFaqAnswered ? answeredRight / inFaqAnswered : NaN,
      answeredAccuracy: answered ? answeredRight / answered : NaN,
      falseAnswerRate: outFaq ? falseAnswers / outFaq : NaN,
    };
    const pct = (x: number) => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)} %`);
    const lines = [
      `questions: ${summary.questions} (${inFaq} with an expected entry, ${outFaq} expecting no answer)`,
      `threshold: ${faq.threshold}${faq.minMargin !== undefined ? `, minMargin: ${faq.minMargin}` : ''}, minSimilarity: ${faq.minSimilarity}` +
        (values.channel ? `, channel: ${values.channel}` : ''),
      `top-1 accuracy: ${pct(summary.top1Accuracy)} (best entry = expected, answering every in-FAQ question)`,
      `coverage: ${pct(summary.coverage)} (${answered} of ${questions.length} answered by the bot)`,
      `accuracy of answered: ${pct(summary.answeredAccuracy)}`,
      `questions with an expected entry answered: ${pct(summary.inFaqCoverage)} (${inFaqAnswered} of ${inFaq}), ${pct(summary.inFaqAccuracy)} of those answers right`,
    ];
    if (outFaq) lines.push(`out-of-FAQ questions answered anyway: ${pct(summary.falseAnswerRate)}`);
    if (misses.length) lines.push('wrong answers (first ' + misses.length + '):', ...misses);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}
