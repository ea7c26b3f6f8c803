import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { CategoriesSettings } from '../config/categories.schema.js';
import { TextModel } from '../nlp/text-model.js';
import { UnderstandingEngine, type UnderstandingInput } from '../nlp/understanding.js';
import { classifiedPart } from './replay-classifier.js';

/**
 * One worker of ReplayClassifier: builds the candidate's classifier once, then classifies each batch
 * of texts it is sent. The model is read from its file again and must be the bytes the main thread
 * loaded (same sha256); anything else stops the worker and the main thread classifies instead.
 */
const data = workerData as { categories: CategoriesSettings; model?: { file: string; digest: string } };
let model: TextModel | undefined;
if (data.model) {
  const bytes = readFileSync(data.model.file);
  if (createHash('sha256').update(bytes).digest('hex') !== data.model.digest) throw new Error(`${data.model.file} changed since replay loaded it`);
  model = TextModel.fromJSON(JSON.parse(bytes.toString('utf8')));
}
const engine = new UnderstandingEngine(data.categories, model);

// The first text classified loads jieba's dictionary and compiles the patterns: done before saying ready.
engine.analyze({ text: '预热 warm-up' });
parentPort!.postMessage({ ready: true });

parentPort!.on('message', ({ id, inputs }: { id: number; inputs: UnderstandingInput[] }) => {
  try {
    parentPort!.postMessage({ id, results: inputs.map((input) => classifiedPart(engine.analyze(input))) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
