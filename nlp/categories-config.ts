/** Loading categories.yaml for the CLI and tests: the one place nlp reads a file. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { categoriesSchema, type CategoriesSettings } from '../config/categories.schema.js';

/** The shipped defaults: `config/categories.yaml` of this repository. */
export const DEFAULT_CATEGORIES_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'config', 'categories.yaml');

/**
 * Reads and validates a categories.yaml. Throws an Error naming the file and each bad field.
 * (The gateway's config loader validates the same schema with line numbers at start.)
 */
export function loadCategoriesFile(file = DEFAULT_CATEGORIES_FILE): CategoriesSettings {
  const data: unknown = parse(readFileSync(file, 'utf8')) ?? {};
  const result = categoriesSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${file} ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`invalid categories config:\n${lines.join('\n')}`);
  }
  return result.data;
}
