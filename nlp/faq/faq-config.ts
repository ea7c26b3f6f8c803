/**
 * Validating a parsed faq.yaml for the CLI, tests and benchmarks (the gateway's config loader validates the
 * same schema at start). nlp does no I/O: `config/load-faq.ts` reads the file and hands the document here.
 */
import { faqSchema, type FaqConfig } from '../../config/faq.schema.js';

/** Validates an already parsed FAQ document; throws an Error listing each problem with its field (and entry id). */
export function parseFaqConfig(data: unknown, source = 'faq.yaml'): FaqConfig {
  const result = faqSchema.safeParse(data ?? {});
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) =>
        `${source} ${
          i.path
            .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
            .join('')
            .replace(/^\./, '') || '(file)'
        }: ${i.message}`,
    );
    throw new Error(`invalid FAQ config:\n${lines.join('\n')}`);
  }
  return result.data;
}
