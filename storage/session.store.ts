import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';
import { hashToken, type PersonRole } from './token.store.js';

/** A stored session with the user it belongs to: what a request authenticated by cookie needs. */
export interface SessionRecord {
  id: string;
  userId: number;
  username: string;
  displayName: string;
  role: PersonRole;
  userDisabled: boolean;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

/**
 * Console sessions. The browser holds a random token; the table holds only its SHA-256 (the
 * row id), as api_tokens does, so reading the database gives no one a way in.
 */
export class SessionStore {
  constructor(private readonly db: Db) {}

  /** Starts a session; the token is returned here and never stored. */
  async create(userId: number, ttlMs: number, now = Date.now()): Promise<{ token: string; id: string; csrfToken: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    const id = hashToken(token);
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = now + ttlMs;
    await this.db('sessions').insert({ id, user_id: userId, csrf_token: csrfToken, created_at: now, expires_at: expiresAt, last_seen_at: now });
    return { token, id, csrfToken, expiresAt };
  }

  /** The session of a cookie token, expired or not (the caller tells the person which), or undefined. */
  async find(token: string): Promise<SessionRecord | undefined> {
    const row = await this.db('sessions')
      .join('users', 'users.id', 'sessions.user_id')
      .where('sessions.id', hashToken(token))
      .first(
        'sessions.id',
        'sessions.user_id',
        'sessions.csrf_token',
        'sessions.created_at',
        'sessions.expires_at',
        'sessions.last_seen_at',
        'users.username',
        'users.display_name',
        'users.role',
        'users.disabled',
      );
    if (!row) return undefined;
    return {
      id: row.id,
      userId: Number(row.user_id),
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      userDisabled: Boolean(row.disabled),
      csrfToken: row.csrf_token,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
      lastSeenAt: Number(row.last_seen_at),
    };
  }

  /** Slides the session: seen now, valid for `ttlMs` from now. */
  async touch(id: string, ttlMs: number, now = Date.now()): Promise<number> {
    const expiresAt = now + ttlMs;
    await this.db('sessions').where({ id }).update({ last_seen_at: now, expires_at: expiresAt });
    return expiresAt;
  }

  async end(token: string): Promise<string> {
    const id = hashToken(token);
    await this.db('sessions').where({ id }).delete();
    return id;
  }

  /** Signs a person out everywhere (disabled, or a new password); returns how many sessions ended. */
  async endAllFor(userId: number): Promise<number> {
    return this.db('sessions').where({ user_id: userId }).delete();
  }

  /** Forgets sessions that expired before `before` (kept a while so a late request hears "expired", not "unknown"). */
  async purgeExpired(before: number): Promise<number> {
    return this.db('sessions').where('expires_at', '<', before).delete();
  }
}
