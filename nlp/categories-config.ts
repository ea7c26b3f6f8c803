/**
 * Validating a parsed categories.yaml for the CLI and tests. nlp does no I/O: `config/load-categories.ts`
 * reads the file and hands the parsed document here.
 */
import { categoriesSchema, type CategoriesSettings } from '../config/categories.schema.js';

/**
 * Validates an already parsed categories document. Throws an Error naming the source and each bad field.
 * (The gateway's config loader validates the same schema with line numbers at start.)
 */
export function parseCategoriesConfig(data: unknown, source = 'categories.yaml'): CategoriesSettings {
  const result = categoriesSchema.safeParse(data ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${source} ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(`invalid categories config:\n${lines.join('\n')}`);
  }
  return result.data;
}
