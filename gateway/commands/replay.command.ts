import { parseArgs } from 'node:util';
import { ConfigError, formatProblem, loadConfig } from '../../config/loader.js';
import { openDatabase, migrate } from '../../storage/db.js';
import { replayModel, type ReplayModel } from '../replay-classifier.js';
import { replay, type ReplayReport } from '../replay.js';
import { TrainedModelFile } from '../trained-model-file.js';

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } };

/** "30d", "12h", "90m" → milliseconds. */
export function parseSince(text: string): number {
  const m = /^(\d+)\s*(d|h|m)$/.exec(text.trim());
  if (!m) throw new Error(`--since must look like 30d, 12h or 90m, got "${text}"`);
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
}

/**
 * `gateway replay --config DIR [--since 30d] [--limit N] [--json] [--reclassify]`: what a candidate
 * config would change over stored messages, before a lead commits the edit. Progress goes to
 * stderr (a bar on a terminal, a line every 10 % otherwise), so stdout holds the report alone.
 */
export async function replayCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      since: { type: 'string', default: '30d' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      reclassify: { type: 'boolean', default: false },
    },
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
  // The candidate classifies with the model the gateway would load (GATEWAY_NLP_MODEL), as the pipeline does.
  let model: ReplayModel | undefined;
  if (candidate.env.GATEWAY_NLP_MODEL) {
    const file = new TrainedModelFile(candidate.env.GATEWAY_NLP_MODEL);
    const loaded = file.reload();
    if (loaded.problem && !loaded.missing) {
      io.stderr.write(`${loaded.problem}\n`);
      return 1;
    }
    if (loaded.missing) io.stderr.write(`${loaded.problem}: classifying with the rules alone, as the gateway does until \`gateway train\` writes it\n`);
    model = replayModel(file);
  }
  const db = openDatabase(candidate.env.DATABASE_URL);
  try {
    await migrate(db);
    const progress = progressPrinter(io.stderr);
    const report = await replay(db, candidate, {
      sinceMs: parseSince(values.since!),
      limit: values.limit ? Number(values.limit) : undefined,
      model,
      reclassify: values.reclassify,
      onProgress: progress.update,
    });
    progress.end();
    io.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  } finally {
    await db.destroy();
  }
}

/**
 * Replay's progress on stderr: on a terminal a bar redrawn in place (at most 10 times a second);
 * otherwise (a log, a pipe) one line at each further 10 %, so a long replay shows it is alive
 * without flooding the log.
 */
export function progressPrinter(stderr: Io['stderr'], clock: () => number = Date.now): { update: (done: number, total: number) => void; end: () => void } {
  const started = clock();
  let drawnAt = -Infinity;
  let lastTenth = 0;
  let drawn = false;
  const line = (done: number, total: number) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    return `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} tickets (${pct} %), ${((clock() - started) / 1000).toFixed(1)} s`;
  };
  return {
    update(done, total) {
      if (stderr.isTTY) {
        const now = clock();
        if (done < total && now - drawnAt < 100) return;
        drawnAt = now;
        drawn = true;
        stderr.write(`\r${bar(done, total)} ${line(done, total)}`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      stderr.write(`replay: ${line(done, total)}\n`);
    },
    end() {
      if (drawn) stderr.write('\n');
    },
  };
}

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function formatReport(r: ReplayReport): string {
  const lines = [
    `replayed ${r.scanned} ticket(s) in ${(r.elapsedMs / 1000).toFixed(1)} s; ${r.changed} would change`,
    `classified again: ${r.reclassified} (the others kept the classification stored with them: same categories.yaml and model)`,
    '',
  ];
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
