import type { Db } from './db.js';

export type ConfigVersionKind = 'apply' | 'rollback' | 'baseline';

export interface ConfigVersion {
  id: number;
  file: string;
  content: string;
  sha256: string;
  kind: ConfigVersionKind;
  actor: string;
  reason: string;
  diff: string;
  createdAt: number;
}

/** The version history of the config files edited in the rules workbench (table config_versions). */
export class ConfigVersionStore {
  constructor(private readonly db: Db) {}

  async add(v: Omit<ConfigVersion, 'id'>): Promise<ConfigVersion> {
    const [row] = await this.db('config_versions')
      .insert({ file: v.file, content: v.content, sha256: v.sha256, kind: v.kind, actor: v.actor, reason: v.reason, diff: v.diff, created_at: v.createdAt })
      .returning('id');
    return { ...v, id: Number(typeof row === 'object' ? row.id : row) };
  }

  /** Newest first, without the content (the list the page shows). */
  async list(file: string, limit = 100): Promise<Array<Omit<ConfigVersion, 'content'>>> {
    const rows = await this.db('config_versions')
      .where({ file })
      .orderBy('id', 'desc')
      .limit(limit)
      .select('id', 'file', 'sha256', 'kind', 'actor', 'reason', 'diff', 'created_at');
    return rows.map((r) => ({
      id: Number(r.id),
      file: r.file,
      sha256: r.sha256,
      kind: r.kind,
      actor: r.actor,
      reason: r.reason,
      diff: r.diff,
      createdAt: Number(r.created_at),
    }));
  }

  async get(file: string, id: number): Promise<ConfigVersion | undefined> {
    const r = await this.db('config_versions').where({ file, id }).first();
    return r
      ? {
          id: Number(r.id),
          file: r.file,
          content: r.content,
          sha256: r.sha256,
          kind: r.kind,
          actor: r.actor,
          reason: r.reason,
          diff: r.diff,
          createdAt: Number(r.created_at),
        }
      : undefined;
  }

  async count(file: string): Promise<number> {
    const r = await this.db('config_versions').where({ file }).count({ n: '*' }).first();
    return Number(r?.n ?? 0);
  }
}
