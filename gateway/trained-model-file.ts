import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { TextModel } from '../nlp/text-model.js';
// A model file may carry a word-vector block: its vectors are read from their package by this reader.
import './load-word-vectors.js';

/** What a model reload did: applied a new model, found nothing new, or refused the file (`problem`). */
export interface ModelReload {
  applied: boolean;
  labels?: string[];
  examples?: number;
  problem?: string;
  /** The file does not exist (yet): the rules work alone. */
  missing?: boolean;
}

/**
 * The model file named by GATEWAY_NLP_MODEL. A file that does not exist yet means "rules only
 * until `gateway train` writes it"; a file that is not a usable model stops start (as a broken
 * config does) and, on a reload, is refused while the model already loaded keeps classifying.
 */
export class TrainedModelFile {
  private loaded?: { model: TextModel; digest: string };
  /** Counts applied loads, so classifiers built with an older model are rebuilt. */
  generation = 0;

  constructor(readonly file: string) {}

  get model(): TextModel | undefined {
    return this.loaded?.model;
  }

  /** sha256 of the loaded model file's bytes (part of the understanding version, see understanding-version.ts). */
  get digest(): string | undefined {
    return this.loaded?.digest;
  }

  loadAtStart(): void {
    const r = this.reload();
    if (r.problem && !r.missing) throw new Error(r.problem);
  }

  reload(): ModelReload {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      return {
        applied: false,
        missing,
        problem: missing ? `model file ${this.file} does not exist` : `cannot read model ${this.file}: ${(err as Error).message}`,
      };
    }
    // Unchanged bytes (a SIGHUP for the config, a touch) keep the model and the classifiers built from it.
    const digest = createHash('sha256').update(bytes).digest('hex');
    if (digest === this.loaded?.digest) return { applied: false };
    let model: TextModel;
    try {
      model = TextModel.fromJSON(JSON.parse(bytes.toString('utf8')));
      // One prediction proves the file usable (weights fit, word vectors installed) before it replaces anything.
      model.predict('test 测试');
    } catch (err) {
      return { applied: false, problem: `cannot use model ${this.file}: ${(err as Error).message}` };
    }
    this.loaded = { model, digest };
    this.generation++;
    return { applied: true, labels: model.labels, examples: model.examples };
  }

  /**
   * Calls `onChange` (debounced) when the file is written, replaced or appears. The directory is
   * watched, not the file: `gateway train` writes a new file and renames it over the old one.
   */
  watch(onChange: () => void, onError: (err: unknown) => void, debounceMs = 150): () => void {
    const name = path.basename(this.file);
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(path.dirname(path.resolve(this.file)), (_event, changed) => {
        if (changed && String(changed) !== name) return;
        clearTimeout(timer);
        timer = setTimeout(onChange, debounceMs);
      });
      watcher.on('error', onError);
    } catch (err) {
      onError(err);
    }
    return () => {
      clearTimeout(timer);
      watcher?.close();
    };
  }
}
