import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CategoriesSettings } from '../config/categories.schema.js';

const NLP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'nlp');
/** The packages nlp/ calls for segmentation and traditional → simplified folding. */
const NLP_PACKAGES = ['@node-rs/jieba', 'opencc-js'];

let classifierCode: string | undefined;

/**
 * The classifier's own code: nlp/'s sources and data and the versions of the packages it calls. Read once
 * (29 small files, ~1 ms): a gateway upgrade that changes how text is read changes every version.
 */
function classifierCodeDigest(): string {
  if (classifierCode) return classifierCode;
  const hash = createHash('sha256');
  // .json: data shipped with the code, such as the severity model.
  const files = (readdirSync(NLP_DIR, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') || f.endsWith('.json')).sort();
  for (const file of files)
    hash
      .update(file)
      .update('\u0000')
      .update(readFileSync(path.join(NLP_DIR, file)))
      .update('\u0000');
  const require = createRequire(import.meta.url);
  for (const name of NLP_PACKAGES) {
    let version = 'unknown';
    try {
      version = (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version?: string }).version ?? version;
    } catch {
      // A package that hides its package.json: its name alone (the sources above still count).
    }
    hash.update(`${name}@${version}\u0000`);
  }
  classifierCode = hash.digest('hex');
  return classifierCode;
}

/**
 * What a classification depends on, as one short hash: the parsed categories.yaml, the bytes of
 * the trained model (its sha256) if one is loaded, and the classifier's code. The pipeline stores
 * it with each ticket's classification (`understanding.classifiedWith`); replay reuses a stored
 * classification instead of running the classifier again only when the candidate's hash is the
 * same, because the same settings, model and code give the same result for the same text
 * (`UnderstandingEngine.analyze` is pure).
 */
export function understandingVersion(categories: CategoriesSettings, modelDigest?: string): string {
  return createHash('sha256')
    .update(classifierCodeDigest())
    .update('\u0000')
    .update(JSON.stringify(categories))
    .update('\u0000')
    .update(modelDigest ?? 'rules only')
    .digest('hex')
    .slice(0, 16);
}
