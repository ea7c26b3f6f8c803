import type { Db } from './db.js';
import type { PersonRole } from './token.store.js';

/** A console user as the rest of the gateway sees it (never the password hash). */
export interface User {
  id: number;
  username: string;
  displayName: string;
  role: PersonRole;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

/** What sign-in needs: the user and the hash to check the password against. */
export interface UserWithHash extends User {
  passwordHash: string;
}

/** People who sign in to the console. Names are stored as given (callers check the format). */
export class UserStore {
  constructor(private readonly db: Db) {}

  async create(input: { username: string; displayName: string; role: PersonRole; passwordHash: string }, now = Date.now()): Promise<User> {
    const [row] = await this.db('users')
      .insert({
        username: input.username,
        display_name: input.displayName,
        role: input.role,
        password_hash: input.passwordHash,
        disabled: false,
        failed_logins: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id');
    return (await this.get(Number(typeof row === 'object' ? row.id : row)))!;
  }

  async get(id: number): Promise<User | undefined> {
    const row = await this.db('users').where({ id }).first();
    return row ? toUser(row) : undefined;
  }

  async findByUsername(username: string): Promise<UserWithHash | undefined> {
    const row = await this.db('users').where({ username }).first();
    return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
  }

  async list(): Promise<User[]> {
    return (await this.db('users').orderBy('username')).map(toUser);
  }

  /** Users who are not disabled and hold one of `roles` (e.g. the people tickets can be assigned to). */
  async active(roles: readonly PersonRole[]): Promise<User[]> {
    return (await this.db('users').whereIn('role', roles).where('disabled', false).orderBy('username')).map(toUser);
  }

  /** A new password also ends a lockout: whoever set it vouched for the person. */
  async setPassword(id: number, passwordHash: string, now = Date.now()): Promise<void> {
    await this.db('users').where({ id }).update({ password_hash: passwordHash, failed_logins: 0, locked_until: null, updated_at: now });
  }

  async setDisabled(id: number, disabled: boolean, now = Date.now()): Promise<void> {
    await this.db('users').where({ id }).update({ disabled, updated_at: now });
  }

  /**
   * Counts one failed sign-in in a single statement (concurrent failures on several processes
   * all count). The failure that reaches `maxFailures` locks the account until `now + lockMs`
   * and starts the count again, so after the lock the person has `maxFailures` more tries.
   */
  async recordFailure(id: number, maxFailures: number, lockMs: number, now = Date.now()): Promise<{ lockedUntil: number | null }> {
    const reaches = this.db.raw('failed_logins + 1 >= ?', [maxFailures]);
    await this.db('users')
      .where({ id })
      .update({
        locked_until: this.db.raw('CASE WHEN ? THEN ? ELSE locked_until END', [reaches, now + lockMs]),
        failed_logins: this.db.raw('CASE WHEN ? THEN 0 ELSE failed_logins + 1 END', [reaches]),
      });
    const row = await this.db('users').where({ id }).first('locked_until');
    const lockedUntil = row?.locked_until == null ? null : Number(row.locked_until);
    return { lockedUntil: lockedUntil !== null && lockedUntil > now ? lockedUntil : null };
  }

  async recordSuccess(id: number): Promise<void> {
    await this.db('users').where({ id }).update({ failed_logins: 0, locked_until: null });
  }
}

function toUser(row: any): User {
  return {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    // SQLite stores booleans as 0/1.
    disabled: Boolean(row.disabled),
    failedLogins: Number(row.failed_logins),
    lockedUntil: row.locked_until == null ? null : Number(row.locked_until),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
