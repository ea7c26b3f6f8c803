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

/** A stored token as the gateway checks it: its role, and when it lapses and was last used. */
export interface StoredToken {
  id: number;
  name: string;
  role: Role;
  /** Null for a token made before tokens had an expiry (migration 0016): it does not lapse. */
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/** What the admin list shows of a token (never the token or its hash). */
export interface TokenListing extends StoredToken {
  createdAt: number;
  revokedAt: number | null;
}

/** How long a new API token works unless its creator says otherwise. */
export const DEFAULT_TOKEN_DAYS = 365;
/** The longest a token may be made to work: a token that never lapses outlives the integration it was made for. */
export const MAX_TOKEN_DAYS = 730;

/** API bearer tokens. Only hashes are stored; the token itself is shown once at creation. */
export class TokenStore {
  constructor(private readonly db: Db) {}

  /** A new token, working for `days` (1 to {@link MAX_TOKEN_DAYS}, default {@link DEFAULT_TOKEN_DAYS}). */
  async create(name: string, role: Role, now = Date.now(), days = DEFAULT_TOKEN_DAYS): Promise<{ id: number; token: string; expiresAt: number }> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new RangeError(`a token works for 1 to ${MAX_TOKEN_DAYS} days, not ${days}`);
    const token = `gw_${randomBytes(24).toString('base64url')}`;
    const expiresAt = now + days * 86_400_000;
    const [row] = await this.db('api_tokens')
      .insert({ name, role, token_hash: hashToken(token), created_at: now, expires_at: expiresAt })
      .returning('id');
    return { id: Number(typeof row === 'object' ? row.id : row), token, expiresAt };
  }

  /** The token that is not revoked, expired or not: the caller decides (an expired token gets its own answer). */
  async find(token: string): Promise<StoredToken | undefined> {
    const row = await this.db('api_tokens')
      .where({ token_hash: hashToken(token) })
      .whereNull('revoked_at')
      .first();
    return row ? storedToken(row) : undefined;
  }

  /** Records that the token was used at `now`. */
  async touch(id: number, now = Date.now()): Promise<void> {
    await this.db('api_tokens').where({ id }).update({ last_used_at: now });
  }

  async revoke(id: number, now = Date.now()): Promise<boolean> {
    return (await this.db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: now })) === 1;
  }

  async list(): Promise<TokenListing[]> {
    const rows = await this.db('api_tokens').orderBy('id');
    return rows.map((r) => ({
      ...storedToken(r),
      createdAt: Number(r.created_at),
      revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
    }));
  }
}

function storedToken(r: Record<string, unknown>): StoredToken {
  return {
    id: Number(r.id),
    name: String(r.name),
    role: r.role as Role,
    expiresAt: r.expires_at == null ? null : Number(r.expires_at),
    lastUsedAt: r.last_used_at == null ? null : Number(r.last_used_at),
  };
}
