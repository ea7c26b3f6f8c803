import type { SessionStore } from '../storage/session.store.js';
import type { User, UserStore } from '../storage/user.store.js';
import { TooManyRequestsError, UnauthorizedError } from './errors.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { USERNAME_PATTERN } from './user-accounts.js';

export interface SignInPolicy {
  /** How long a session lasts without a request (sliding). */
  sessionTtlMs: number;
  /** Consecutive wrong passwords that lock the account. */
  maxFailures: number;
  lockMs: number;
}

export const DEFAULT_LOCKOUT = { maxFailures: 5, lockMs: 15 * 60_000 } as const;

/**
 * One message for a wrong password, an unknown name and a disabled account: the answer must
 * not tell someone guessing which names exist or which accounts are switched off.
 */
export const WRONG_CREDENTIALS = 'wrong username or password';

/** Sessions expired longer ago than this are deleted at the next sign-in; until then they answer "expired". */
const KEEP_EXPIRED_MS = 7 * 24 * 3_600_000;

/** Checks a person's name and password and opens a session; counts failures and locks the account after too many. */
export class SignIn {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly policy: SignInPolicy,
  ) {}

  async attempt(name: string, password: string, now = Date.now()): Promise<{ user: User; token: string; csrfToken: string; expiresAt: number }> {
    // Names are stored lower-case; "Li.Lei" typed at the sign-in form is the same person.
    const username = name.trim().toLowerCase();
    const user = USERNAME_PATTERN.test(username) ? await this.users.findByUsername(username) : undefined;
    if (!user) {
      await verifyAgainstDummy(password);
      throw new UnauthorizedError(WRONG_CREDENTIALS);
    }
    if (user.lockedUntil !== null && user.lockedUntil > now) throw locked(user.lockedUntil - now, this.policy.lockMs);
    const right = await verifyPassword(user.passwordHash, password);
    if (user.disabled) throw new UnauthorizedError(WRONG_CREDENTIALS);
    if (!right) {
      const { lockedUntil } = await this.users.recordFailure(user.id, this.policy.maxFailures, this.policy.lockMs, now);
      if (lockedUntil !== null) throw locked(lockedUntil - now, this.policy.lockMs);
      throw new UnauthorizedError(WRONG_CREDENTIALS);
    }
    if (user.failedLogins > 0 || user.lockedUntil !== null) await this.users.recordSuccess(user.id);
    await this.sessions.purgeExpired(now - KEEP_EXPIRED_MS);
    const session = await this.sessions.create(user.id, this.policy.sessionTtlMs, now);
    const { passwordHash: _secret, ...shown } = user;
    return { user: { ...shown, failedLogins: 0, lockedUntil: null }, token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  }
}

function locked(remainingMs: number, lockMs: number): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new TooManyRequestsError(
    `too many wrong passwords: this account is locked for ${Math.round(lockMs / 60_000)} minutes; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin to reset the password`,
    seconds,
  );
}
