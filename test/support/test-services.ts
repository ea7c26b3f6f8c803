import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * What a test says when a system service it needs (dovecot, Chromium) is missing. It names a
 * file in this repository only: whoever cloned it has that script and nothing beside it.
 */
export function missingServiceMessage(what: string): string {
  return `${what}: run scripts/install-test-services.sh (see README, Tests)`;
}

/** A system program by its usual paths (sbin is often off a non-root PATH), else by PATH; undefined when missing. */
export function findProgram(name: string, paths: readonly string[]): string | undefined {
  for (const p of paths) if (existsSync(p)) return p;
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
