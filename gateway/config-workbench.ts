import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type ConfigProblem, type GatewayConfig } from '../config/loader.js';
import type { ConfigVersion, ConfigVersionStore } from '../storage/config-version.store.js';
import type { Db } from '../storage/db.js';
import { BadRequestError, ConflictError, NotFoundError } from './errors.js';
import { replayModel, type ReplayModel } from './replay-classifier.js';
import { replay, type ReplayReport } from './replay.js';
import { TrainedModelFile } from './trained-model-file.js';

/** The files support leads edit in the console; gateway.yaml (ports, workers, limits) stays with operators. */
export const EDITABLE_FILES = ['routing.yaml', 'categories.yaml', 'faq.yaml', 'sla.yaml', 'canned-replies.yaml'] as const;
export type EditableFile = (typeof EDITABLE_FILES)[number];

const DAY_MS = 86_400_000;
/** A preview reads at most this many tickets (the newest window first is not needed: replay reads oldest first). */
const PREVIEW_MAX_TICKETS = 200_000;
const PREVIEW_KEEP_MS = 15 * 60_000;
const PREVIEWS_KEPT = 20;

export interface CheckResult {
  ok: boolean;
  /** Each problem with the file (name only), line and field, as check-config says it. */
  problems: ConfigProblem[];
}

export interface PreviewJob {
  id: string;
  file: EditableFile;
  days: number;
  startedAt: number;
  done: number;
  total: number;
  finished: boolean;
  report?: ReplayReport;
  error?: string;
}

export interface WorkbenchDeps {
  db: Db;
  versions: ConfigVersionStore;
  /** The running config (its directory and environment). */
  config: () => GatewayConfig;
  /** Loads the directory again into the running gateway (as a file watch or SIGHUP would). */
  reload: () => { applied: boolean; version: string; problems?: string[] };
  log: Logger;
  /** The console users who can take tickets (active agents and leads): routing.yaml's queue agents must be among them. */
  people?: () => Promise<string[]>;
}

/**
 * The rules workbench behind the console: read an editable config file, check a candidate text
 * exactly as check-config would (against the other files as they are), replay it over recent
 * tickets to show what would change, apply it atomically with a version history (who, when, why,
 * diff), and roll back to any version. Writes go to the config directory, so the running gateway
 * (and any other process watching it) reloads as after a hand edit.
 */
export class ConfigWorkbench {
  private readonly previews = new Map<string, PreviewJob>();
  private modelFile?: TrainedModelFile;

  constructor(private readonly deps: WorkbenchDeps) {}

  /** The file as it is on disk now (an optional file that does not exist yet is empty). */
  read(file: string): { file: EditableFile; content: string; sha256: string; exists: boolean } {
    const name = editable(file);
    const full = path.join(this.deps.config().dir, name);
    const exists = existsSync(full);
    const content = exists ? readFileSync(full, 'utf8') : '';
    return { file: name, content, sha256: sha256(content), exists };
  }

  /** check-config's checks, and for routing.yaml that every queue agent is a console user who can take tickets. */
  async check(file: string, content: string): Promise<CheckResult> {
    const name = editable(file);
    const { result, config } = this.candidate(name, content);
    if (!result.ok || !config || name !== 'routing.yaml' || !this.deps.people) return result;
    const people = new Set(await this.deps.people());
    const problems: ConfigProblem[] = [];
    const lines = content.split('\n');
    for (const queue of config.routing.queues) {
      for (const agent of queue.agents) {
        if (people.has(agent.id)) continue;
        // The line that names it (queues are usually one line: `agents: [{ id: li.lei, capacity: 8 }]`).
        const line = lines.findIndex((l) => !l.trimStart().startsWith('#') && /\b(agents|id)\b/.test(l) && l.split(/[^a-zA-Z0-9._-]+/).includes(agent.id));
        problems.push({
          file: name,
          line: line >= 0 ? line + 1 : undefined,
          field: `queues.${queue.id}.agents`,
          reason: `unknown agent "${agent.id}": no active console user of that name takes tickets (gateway user create ${agent.id} --role agent)`,
        });
      }
    }
    return problems.length ? { ok: false, problems } : result;
  }

  /** Starts replaying the candidate over the last `days` days; poll `preview(id)` for progress and the report. */
  startPreview(file: string, content: string, days: number): PreviewJob {
    const name = editable(file);
    if (!Number.isInteger(days) || days < 1 || days > 365) throw new BadRequestError('days: a whole number from 1 to 365');
    const { result, config } = this.candidate(name, content);
    if (!result.ok || !config) throw new BadRequestError(`the candidate ${name} has problems; fix them before previewing`, result.problems.map(problemLine));
    this.forgetOldPreviews();
    const job: PreviewJob = { id: randomBytes(9).toString('base64url'), file: name, days, startedAt: Date.now(), done: 0, total: 0, finished: false };
    this.previews.set(job.id, job);
    replay(this.deps.db, config, {
      sinceMs: days * DAY_MS,
      limit: PREVIEW_MAX_TICKETS,
      samples: 10,
      model: this.model(),
      onProgress: (done, total) => {
        job.done = done;
        job.total = total;
      },
    }).then(
      (report) => {
        job.report = report;
        job.done = report.scanned;
        job.total = Math.max(job.total, report.scanned);
        job.finished = true;
      },
      (err: unknown) => {
        this.deps.log.error({ err, file: name }, 'rules preview failed');
        job.error = 'the preview failed; the gateway log has the details';
        job.finished = true;
      },
    );
    return job;
  }

  preview(id: string): PreviewJob {
    const job = this.previews.get(id);
    if (!job) throw new NotFoundError(`no preview ${id.slice(0, 40)} (previews are kept for 15 minutes)`);
    return job;
  }

  /**
   * Writes the candidate (checked again) if the file is still the version the editor started
   * from, records the version, and reloads the running gateway. The first change to a file also
   * records the file as it was found, so it can be restored.
   */
  async apply(
    file: string,
    content: string,
    by: { actor: string; reason: string; baseSha256: string },
    kind: 'apply' | 'rollback' = 'apply',
  ): Promise<{ version: ConfigVersion; active: string; reloaded: boolean }> {
    const name = editable(file);
    const reason = by.reason.trim();
    if (!reason) throw new BadRequestError('reason: say why (it goes in the version history)');
    const current = this.read(name);
    if (current.sha256 !== by.baseSha256) {
      throw new ConflictError(
        `${name} changed since you opened it (someone applied another version, or it was edited on the server): reload it and apply your change again`,
      );
    }
    if (content === current.content) throw new BadRequestError(`nothing to apply: the text is the same as the current ${name}`);
    const result = await this.check(name, content);
    if (!result.ok)
      throw new BadRequestError(`the candidate ${name} has problems: ${result.problems.map(problemLine).join('; ')}`, result.problems.map(problemLine));
    const now = Date.now();
    if (current.exists && (await this.deps.versions.count(name)) === 0) {
      await this.deps.versions.add({
        file: name,
        content: current.content,
        sha256: current.sha256,
        kind: 'baseline',
        actor: 'system',
        reason: `${name} as found before the first change from the console`,
        diff: '',
        createdAt: now,
      });
    }
    await writeAtomically(path.join(this.deps.config().dir, name), content);
    const version = await this.deps.versions.add({
      file: name,
      content,
      sha256: sha256(content),
      kind,
      actor: by.actor,
      reason,
      diff: createTwoFilesPatch(name, name, current.content, content, 'before', 'after', { context: 3 }),
      createdAt: now,
    });
    const reload = this.deps.reload();
    this.deps.log.info(
      { file: name, version: version.id, actor: by.actor, kind, reason, active: reload.version },
      `${name} ${kind === 'rollback' ? 'rolled back' : 'changed'} from the console`,
    );
    return { version, active: reload.version, reloaded: reload.applied };
  }

  async rollback(
    file: string,
    versionId: number,
    by: { actor: string; reason?: string; baseSha256: string },
  ): Promise<{ version: ConfigVersion; active: string; reloaded: boolean }> {
    const name = editable(file);
    const target = await this.deps.versions.get(name, versionId);
    if (!target) throw new NotFoundError(`${name} has no version ${versionId}`);
    const reason = by.reason?.trim() || `roll back to version ${target.id}`;
    return this.apply(
      name,
      target.content,
      { actor: by.actor, reason: `${reason} (version ${target.id} of ${new Date(target.createdAt).toISOString()})`, baseSha256: by.baseSha256 },
      'rollback',
    );
  }

  async history(file: string): Promise<Array<Omit<ConfigVersion, 'content'>>> {
    return this.deps.versions.list(editable(file));
  }

  /**
   * The trained model the gateway classifies with (GATEWAY_NLP_MODEL), which a preview classifies
   * with too, read as the gateway reads it: the file's bytes are hashed on each preview and parsed
   * again only when they changed; a file that is not a usable model leaves the one already loaded.
   */
  private model(): ReplayModel | undefined {
    const file = this.deps.config().env.GATEWAY_NLP_MODEL;
    if (!file) return undefined;
    if (this.modelFile?.file !== file) this.modelFile = new TrainedModelFile(file);
    this.modelFile.reload();
    return replayModel(this.modelFile);
  }

  /** Loads the directory with `content` in place of `file`, in a scratch copy: the same checks as check-config. */
  private candidate(file: EditableFile, content: string): { result: CheckResult; config?: GatewayConfig } {
    if (content.length > 2_000_000) throw new BadRequestError('content: at most 2,000,000 characters');
    const running = this.deps.config();
    const scratch = mkdtempSync(path.join(tmpdir(), 'gw-workbench-'));
    try {
      for (const f of readdirSync(running.dir))
        if (/\.ya?ml$/i.test(f) && f !== file) writeFileSync(path.join(scratch, f), readFileSync(path.join(running.dir, f)));
      writeFileSync(path.join(scratch, file), content);
      try {
        const config = loadConfig({ dir: scratch, env: running.rawEnv });
        return { result: { ok: true, problems: [] }, config };
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        // Scratch paths mean nothing to the person editing: name the file only.
        const problems = err.problems.map((p) => ({ ...p, file: p.file === 'environment' ? p.file : path.basename(p.file) }));
        return { result: { ok: false, problems } };
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  private forgetOldPreviews(): void {
    const cutoff = Date.now() - PREVIEW_KEEP_MS;
    for (const [id, job] of this.previews) if (job.finished && job.startedAt < cutoff) this.previews.delete(id);
    while (this.previews.size >= PREVIEWS_KEPT) this.previews.delete(this.previews.keys().next().value!);
  }
}

function editable(file: string): EditableFile {
  if (!(EDITABLE_FILES as readonly string[]).includes(file))
    throw new NotFoundError(`"${file.slice(0, 60)}" is not a file the workbench edits (${EDITABLE_FILES.join(', ')})`);
  return file as EditableFile;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function problemLine(p: ConfigProblem): string {
  return `${p.line ? `${p.file}:${p.line}` : p.file} ${p.field || '(file)'}: ${p.reason}`;
}

/** Beside the file and renamed over it: a reader (the watcher, another process) never sees half a file. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
