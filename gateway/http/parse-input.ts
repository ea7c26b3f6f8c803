import type { z } from 'zod';
import { BadRequestError } from '../errors.js';

/** Validates a query or body with its zod schema; a problem is a 400 naming each field and what is wrong. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
    throw new BadRequestError(`invalid ${what}: ${problems.join('; ')}`, problems);
  }
  return r.data;
}
