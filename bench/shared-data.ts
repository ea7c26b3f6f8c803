import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The shared real datasets (../shared/data beside the project), for bench/ only. A checkout
 * elsewhere finds them through SHARED_DATA_DIR, or at the workspace's /work/shared/data.
 * Tests must not use it: a fresh clone has no ../shared, so what a test reads lives under
 * test/fixtures (test/unit/harness/self-contained.test.ts checks).
 */
export const SHARED_DATA_DIR =
  [process.env.SHARED_DATA_DIR, path.join(ROOT, '..', 'shared', 'data'), '/work/shared/data'].find(
    (dir): dir is string => typeof dir === 'string' && existsSync(dir),
  ) ?? path.join(ROOT, '..', 'shared', 'data');

export function sharedData(...parts: string[]): string {
  return path.join(SHARED_DATA_DIR, ...parts);
}
