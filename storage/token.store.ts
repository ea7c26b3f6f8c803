import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db.js';

/** Roles a person can hold (a console user); integrations get tokens only. */
export const PERSON_ROLES = ['agent', 'lead', 'admin', 'finance'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
export const ROLES = [...PERSON_ROLES, 'integration'] as const;
export type Role = (typeof ROLES)[number];

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** API bearer tokens. Only hashes are stored; the token itself is shown once at creation. */
export class TokenStore {
  constructor(private readonly db: Db) {}

  async create(name: string, role: Role, now = Date.now()): Promise<{ id: number; token: string }> {
    const token = `gw_${randomBytes(24).toString('base64url')}`;
    const [row] = await this.db('api_tokens')
      .insert({ name, role, token_hash: hashToken(token), created_at: now })
      .returning('id');
    return { id: Number(typeof row === 'object' ? row.id : row), token };
  }

  async find(token: string): Promise<{ id: number; name: string; role: Role } | undefined> {
    const row = await this.db('api_tokens')
      .where({ token_hash: hashToken(token) })
      .whereNull('revoked_at')
      .first();
    return row ? { id: Number(row.id), name: row.name, role: row.role } : undefined;
  }

  async revoke(id: number, now = Date.now()): Promise<boolean> {
    return (await this.db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: now })) === 1;
  }

  async list(): Promise<Array<{ id: number; name: string; role: Role; createdAt: number; revokedAt: number | null }>> {
    const rows = await this.db('api_tokens').orderBy('id');
    return rows.map((r) => ({
      id: Number(r.id),
      name: r.name,
      role: r.role,
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
    }));
  }
}
