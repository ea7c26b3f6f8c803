/** Loading categories.yaml for the CLI, tests and benchmarks: reads the file, nlp validates it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseCategoriesConfig } from '../nlp/categories-config.js';
import type { CategoriesSettings } from './categories.schema.js';

/** The shipped defaults: `config/categories.yaml` of this repository. */
export const DEFAULT_CATEGORIES_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'categories.yaml');

/**
 * Reads and validates a categories.yaml. Throws an Error naming the file and each bad field.
 * (The gateway's config loader validates the same schema with line numbers at start.)
 */
export function loadCategoriesFile(file = DEFAULT_CATEGORIES_FILE): CategoriesSettings {
  return parseCategoriesConfig(parse(readFileSync(file, 'utf8')), file);
}
