import { parseArgs } from 'node:util';
import { ConfigError, formatProblem, loadConfig } from '../../config/loader.js';
import { openDatabase, migrate } from '../../storage/db.js';
import { replay, type ReplayReport } from '../replay.js';

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } };

/** "30d", "12h", "90m" → milliseconds. */
export function parseSince(text: string): number {
  const m = /^(\d+)\s*(d|h|m)$/.exec(text.trim());
  if (!m) throw new Error(`--since must look like 30d, 12h or 90m, got "${text}"`);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

/**
 * `gateway replay --config DIR [--since 30d] [--limit N] [--json]`: what a candidate
 * config would change over stored messages, before a lead commits the edit.
 */
export async function replayCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, since: { type: 'string', default: '30d' }, limit: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.config) {
    io.stderr.write('replay needs --config DIR: the candidate config to compare with what routing decided\n');
    return 2;
  }
  let candidate;
  try {
    candidate = loadConfig({ dir: values.config });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`the candidate config is invalid:\n${err.problems.map(formatProblem).join('\n')}\n`);
    return 1;
  }
  const db = openDatabase(candidate.env.DATABASE_URL);
  try {
    await migrate(db);
    const progress = io.stderr.isTTY && !values.json;
    const report = await replay(db, candidate, {
      sinceMs: parseSince(values.since!),
      limit: values.limit ? Number(values.limit) : undefined,
      onProgress: progress ? (done, total) => io.stderr.write(`\r${bar(done, total)} ${done}/${total}`) : undefined,
    });
    if (progress) io.stderr.write('\n');
    io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  } finally {
    await db.destroy();
  }
}

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function formatReport(r: ReplayReport): string {
  const lines = [`replayed ${r.scanned} ticket(s) in ${(r.elapsedMs / 1000).toFixed(1)} s; ${r.changed} would change`, ''];
  for (const [field, n] of Object.entries(r.counts)) lines.push(`  ${field.padEnd(10)} ${n} change(s)`);
  for (const [field, samples] of Object.entries(r.samples)) {
    if (samples.length === 0) continue;
    lines.push('', `${field}:`);
    for (const s of samples) {
      lines.push(`  ${s.ticket}: ${s.before ?? '—'} → ${s.after ?? '—'}`);
      for (const rule of s.rules) lines.push(`      rule ${rule.ruleId}: ${rule.reasons.join('; ') || 'always'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
