import type { SessionStore } from '../storage/session.store.js';
import { PERSON_ROLES, type PersonRole } from '../storage/token.store.js';
import type { User, UserStore } from '../storage/user.store.js';
import { BadRequestError, ConflictError, NotFoundError } from './errors.js';
import { generatePassword, hashPassword } from './passwords.js';

/** Lower-case so a name means one person however it is typed at sign-in; no spaces so it reads well in audit events. */
export const USERNAME_PATTERN = /^[a-z0-9._-]{2,64}$/;
const USERNAME_RULE = 'lower-case letters, digits, ".", "_" and "-", 2 to 64 characters (e.g. li.lei)';

export function checkUsername(name: string): string {
  if (!USERNAME_PATTERN.test(name)) {
    const lower = name.toLowerCase();
    const hint = lower !== name && USERNAME_PATTERN.test(lower) ? ` (did you mean "${lower}"?)` : '';
    throw new BadRequestError(`"${name.slice(0, 80)}" is not a valid user name: use ${USERNAME_RULE}${hint}`);
  }
  return name;
}

export function checkRole(role: string): PersonRole {
  if (!(PERSON_ROLES as readonly string[]).includes(role))
    throw new BadRequestError(`"${role.slice(0, 40)}" is not a role a person can have; use one of: ${PERSON_ROLES.join(', ')}`);
  return role as PersonRole;
}

/**
 * Managing console users (the `gateway user` commands): each change that takes a person's
 * access away — a disable, a new password — also ends their open sessions.
 */
export class UserAccounts {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
  ) {}

  /** Creates a user; without a password one is generated and returned (to be shown once). */
  async create(input: { username: string; role: string; displayName?: string; password?: string }): Promise<{ user: User; generatedPassword?: string }> {
    const username = checkUsername(input.username);
    const role = checkRole(input.role);
    const displayName = (input.displayName ?? '').trim() || username;
    if (displayName.length > 128) throw new BadRequestError('the display name is too long: use at most 128 characters');
    if (await this.users.findByUsername(username))
      throw new ConflictError(`user "${username}" already exists (gateway user reset ${username} gives a new password)`);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    const user = await this.users.create({ username, displayName, role, passwordHash });
    return { user, generatedPassword: input.password === undefined ? password : undefined };
  }

  /** A new password (given or generated); clears a lockout and signs the person out everywhere. */
  async reset(username: string, password?: string): Promise<{ user: User; generatedPassword?: string; endedSessions: number }> {
    const user = await this.existing(username);
    const next = password ?? generatePassword();
    await this.users.setPassword(user.id, await hashPassword(next));
    const endedSessions = await this.sessions.endAllFor(user.id);
    return { user: (await this.users.get(user.id))!, generatedPassword: password === undefined ? next : undefined, endedSessions };
  }

  async disable(username: string): Promise<{ user: User; endedSessions: number }> {
    const user = await this.existing(username);
    await this.users.setDisabled(user.id, true);
    const endedSessions = await this.sessions.endAllFor(user.id);
    return { user: (await this.users.get(user.id))!, endedSessions };
  }

  async enable(username: string): Promise<User> {
    const user = await this.existing(username);
    await this.users.setDisabled(user.id, false);
    return (await this.users.get(user.id))!;
  }

  list(): Promise<User[]> {
    return this.users.list();
  }

  private async existing(username: string): Promise<User> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new NotFoundError(`there is no user "${username.slice(0, 80)}" (gateway user list shows them; gateway user create adds one)`);
    return user;
  }
}
