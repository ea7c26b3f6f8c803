import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/RESULTS.md: every benchmark owns the span between its own markers. */
export const RESULTS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

/**
 * Replaces what stands between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` with `body`
 * (the markers stay), or appends the span when the file has none. Nothing else in the file
 * changes: the other spans belong to other benchmarks.
 */
export function writeResultsSpan(name: string, body: string, file = RESULTS_FILE): void {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${body}\n${close}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const start = current.indexOf(open);
  const end = start >= 0 ? current.indexOf(close, start) : -1;
  writeFileSync(file, end > start ? current.slice(0, start) + block + current.slice(end + close.length) : `${current.trimEnd()}\n\n${block}\n`);
}
