import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared real datasets (../shared/data beside the project). A checkout elsewhere
 * finds them through SHARED_DATA_DIR, or at the workspace's /work/shared/data.
 */
export const SHARED_DATA_DIR = [process.env.SHARED_DATA_DIR, path.join(ROOT, '..', 'shared', 'data'), '/work/shared/data'].find(
  (dir): dir is string => typeof dir === 'string' && existsSync(dir),
) ?? path.join(ROOT, '..', 'shared', 'data');

export function sharedData(...parts: string[]): string {
  return path.join(SHARED_DATA_DIR, ...parts);
}
