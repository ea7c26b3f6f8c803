/** Loading faq.yaml for the CLI, tests and benchmarks (the gateway's config loader validates the same schema at start). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { faqSchema, type FaqConfig } from '../../config/faq.schema.js';

/** The shipped FAQ: `config/faq.yaml` of this repository. */
export const DEFAULT_FAQ_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'config', 'faq.yaml');

/** Validates an already parsed FAQ document; throws an Error listing each problem with its field (and entry id). */
export function parseFaqConfig(data: unknown, source = 'faq.yaml'): FaqConfig {
  const result = faqSchema.safeParse(data ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${source} ${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(file)'}: ${i.message}`);
    throw new Error(`invalid FAQ config:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Reads and validates a faq.yaml. */
export function loadFaqFile(file = DEFAULT_FAQ_FILE): FaqConfig {
  return parseFaqConfig(parse(readFileSync(file, 'utf8')), file);
}
