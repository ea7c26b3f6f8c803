/** Loading faq.yaml for the CLI, tests and benchmarks: reads the file, nlp validates it. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseFaqConfig } from '../nlp/faq/faq-config.js';
import type { FaqConfig } from './faq.schema.js';

/** The shipped FAQ: `config/faq.yaml` of this repository. */
export const DEFAULT_FAQ_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'faq.yaml');

/** Reads and validates a faq.yaml. */
export function loadFaqFile(file = DEFAULT_FAQ_FILE): FaqConfig {
  return parseFaqConfig(parse(readFileSync(file, 'utf8')), file);
}
