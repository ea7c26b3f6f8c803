import { createHash } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CategoriesSettings } from '../config/categories.schema.js';
import type { TextModel } from '../nlp/text-model.js';
import type { DetectedLanguage } from '../nlp/text-normalizer.js';
import type { TrainedModelFile } from './trained-model-file.js';
import { UnderstandingEngine, type Understanding, type UnderstandingInput } from '../nlp/understanding.js';

/** What routing reads of a classification: what replay takes from a stored one or from the classifier. */
export interface Classified {
  category: string;
  subcategory: string | null;
  severity: Understanding['severity'];
  emotion: Understanding['emotion'];
  language: DetectedLanguage;
  /** Entity kinds found, each with its entities (kinds with none are left out). */
  entities: Record<string, unknown[]>;
}

/** The trained model a candidate classifies with: the file (workers read it again) and its sha256. */
export interface ReplayModel {
  model: TextModel;
  file: string;
  digest: string;
  /** The model needs the word-vector package (~260 MB and ~12 s a load): not worth loading in workers. */
  wordVectors?: boolean;
}

/** The part of an Understanding (analyzed now, or stored on a ticket as JSON) that routing reads. */
export function classifiedPart(
  u: Pick<Understanding, 'category' | 'severity' | 'emotion' | 'language'> & { subcategory?: string | null; entities?: unknown },
): Classified {
  const entities: Record<string, unknown[]> = {};
  for (const [kind, list] of Object.entries((u.entities ?? {}) as Record<string, unknown>)) if (Array.isArray(list) && list.length > 0) entities[kind] = list;
  return { category: u.category, subcategory: u.subcategory ?? null, severity: u.severity, emotion: u.emotion, language: u.language, entities };
}

/** A replay has this many texts to classify or more: worth the ~1 s it takes to start the workers. */
export const WORKERS_FROM = 3_000;
/** Distinct texts remembered at most (a key and a Classified, ~200 bytes each). */
const CACHE_MAX = 250_000;

/** Worker threads for a large replay: one a core, at most 4 (the main thread reads and routes meanwhile). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

interface Job {
  inputs: UnderstandingInput[];
  resolve: (results: Classified[]) => void;
  reject: (err: unknown) => void;
}

interface PoolWorker {
  worker: Worker;
  jobs: Map<number, Job>;
  /** Its classifier is built (a second or two after start): until then this thread classifies. */
  ready: boolean;
  failed: boolean;
  /** Resolved once it is ready or has failed. */
  settled: Promise<void>;
}

/**
 * Classifies replay's texts with a candidate's categories.yaml (and model): in this thread, or
 * spread over worker threads once `startWorkers` is called (a categories edit over a month of
 * tickets: every ticket is classified again). Results come back in the order asked, so the
 * report does not depend on how the work was spread. With `cache`, a text already classified in
 * this replay (same channel, subject and text) is not classified again.
 */
export class ReplayClassifier {
  private engine?: UnderstandingEngine;
  private readonly cache = new Map<string, Classified>();
  private readonly pool: PoolWorker[] = [];
  private nextJob = 0;
  private turn = 0;
  /** Texts the classifier ran on (after the cache), for the report. */
  classified = 0;

  constructor(private readonly settings: { categories: CategoriesSettings; model?: ReplayModel; cache: boolean }) {}

  /**
   * Starts `count` worker threads (none for a model that needs word vectors). They take over once
   * their classifier is built; this thread classifies meanwhile, so starting them costs no waiting.
   */
  startWorkers(count: number): void {
    if (this.pool.length > 0 || count < 1 || this.settings.model?.wordVectors) return;
    const model = this.settings.model && { file: this.settings.model.file, digest: this.settings.model.digest };
    for (let i = 0; i < count; i++) {
      // The worker registers tsx itself (see replay-worker-start.js): it does not inherit the CLI's loader.
      const worker = new Worker(new URL('./replay-worker-start.js', import.meta.url), {
        workerData: { categories: this.settings.categories, model },
        execArgv: [],
      });
      let settle!: () => void;
      const entry: PoolWorker = { worker, jobs: new Map(), ready: false, failed: false, settled: new Promise((resolve) => (settle = resolve)) };
      worker.on('message', (m: { ready?: true; id: number; results?: Classified[]; error?: string }) => {
        if (m.ready) {
          entry.ready = true;
          settle();
          return;
        }
        const job = entry.jobs.get(m.id);
        if (!job) return;
        entry.jobs.delete(m.id);
        if (m.results) job.resolve(m.results);
        else job.reject(new Error(`replay classifier worker: ${m.error}`));
      });
      // A worker that cannot start (a model file changed meanwhile) or dies: its texts are classified here.
      const fail = () => {
        settle();
        if (entry.failed) return;
        entry.failed = true;
        for (const job of entry.jobs.values()) this.here(job);
        entry.jobs.clear();
      };
      worker.on('error', fail);
      worker.on('exit', fail);
      this.pool.push(entry);
    }
  }

  /** Resolves when every worker started is ready (or has failed and left its work to this thread). */
  async workersStarted(): Promise<void> {
    await Promise.all(this.pool.map((p) => p.settled));
  }

  /** The classifications of `inputs`, in order. */
  async classify(inputs: UnderstandingInput[]): Promise<Classified[]> {
    const results: Array<Classified | undefined> = new Array(inputs.length);
    const keys: Array<string | undefined> = new Array(inputs.length);
    // Texts to classify, each once: the first index of every distinct key.
    const todo: number[] = [];
    const firstOf = new Map<string, number>();
    for (let i = 0; i < inputs.length; i++) {
      if (!this.settings.cache) {
        todo.push(i);
        continue;
      }
      const key = (keys[i] = cacheKey(inputs[i]!));
      const hit = this.cache.get(key);
      if (hit) results[i] = hit;
      else if (!firstOf.has(key)) {
        firstOf.set(key, i);
        todo.push(i);
      }
    }
    if (todo.length > 0) {
      const done = await this.run(todo.map((i) => inputs[i]!));
      this.classified += todo.length;
      todo.forEach((i, k) => {
        results[i] = done[k];
        if (keys[i] !== undefined && this.cache.size < CACHE_MAX) this.cache.set(keys[i]!, done[k]!);
      });
    }
    if (this.settings.cache) for (let i = 0; i < inputs.length; i++) results[i] ??= this.cache.get(keys[i]!) ?? results[firstOf.get(keys[i]!)!];
    return results as Classified[];
  }

  async close(): Promise<void> {
    const pool = this.pool.splice(0);
    await Promise.all(pool.map((p) => ((p.failed = true), p.worker.terminate())));
  }

  /** Split over the workers that are ready (in one piece each), or here while there are none. */
  private run(inputs: UnderstandingInput[]): Promise<Classified[]> {
    const live = this.pool.filter((p) => p.ready && !p.failed);
    if (live.length === 0) return new Promise((resolve, reject) => this.here({ inputs, resolve, reject }));
    const size = Math.ceil(inputs.length / live.length);
    const parts: Array<Promise<Classified[]>> = [];
    for (let start = 0; start < inputs.length; start += size) {
      const entry = live[this.turn++ % live.length]!;
      const part = inputs.slice(start, start + size);
      parts.push(
        new Promise((resolve, reject) => {
          const id = this.nextJob++;
          entry.jobs.set(id, { inputs: part, resolve, reject });
          entry.worker.postMessage({ id, inputs: part });
        }),
      );
    }
    return Promise.all(parts).then((done) => done.flat());
  }

  private here(job: Job): void {
    try {
      this.engine ??= new UnderstandingEngine(this.settings.categories, this.settings.model?.model);
      const engine = this.engine;
      job.resolve(job.inputs.map((input) => classifiedPart(engine.analyze(input))));
    } catch (err) {
      job.reject(err);
    }
  }
}

/** Channel, subject and text as one short key (the texts themselves would keep megabytes alive). */
function cacheKey(input: UnderstandingInput): string {
  return createHash('sha1')
    .update(input.channel ?? '')
    .update('\u0000')
    .update(input.subject ?? '\u0001')
    .update('\u0000')
    .update(input.text)
    .digest('base64');
}

/** The model a TrainedModelFile holds, for replay (undefined while none is loaded). */
export function replayModel(file: TrainedModelFile): ReplayModel | undefined {
  const model = file.model;
  const digest = file.digest;
  return model && digest ? { model, file: file.file, digest, wordVectors: model.usesWordVectors } : undefined;
}
