import { parseArgs } from 'node:util';
import { ConfigError, formatProblem, loadConfig } from '../../config/loader.js';
import { migrate, openDatabase } from '../../storage/db.js';
import { SessionStore } from '../../storage/session.store.js';
import { PERSON_ROLES } from '../../storage/token.store.js';
import { UserStore, type User } from '../../storage/user.store.js';
import { GatewayError } from '../errors.js';
import { UserAccounts } from '../user-accounts.js';

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; stdin?: NodeJS.ReadableStream };

export const USER_USAGE = `gateway user create NAME --role ${PERSON_ROLES.join('|')} [--display-name "Li Lei"] [--password-stdin]
gateway user reset NAME [--password-stdin]     new password; clears a lockout and signs the user out
gateway user disable NAME                      no more sign-ins; open sessions end
gateway user enable NAME
gateway user list
(without --password-stdin a strong password is generated and printed once; all take --config DIR)`;

/** `gateway user …`: console accounts for people (API tokens stay for integrations). Exit 0, 1 on a refused change, 2 on usage. */
export async function userCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        'display-name': { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        config: { type: 'string' },
      },
    });
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  const name = positionals[0];
  if (!sub || !['create', 'reset', 'disable', 'enable', 'list'].includes(sub)) return usage(io, sub ? `unknown user command "${sub}"` : 'user needs a command');
  if (sub !== 'list' && !name) return usage(io, `user ${sub} needs a user name`);
  if (sub === 'create' && !values.role) {
    io.stderr.write(`user create needs --role (${PERSON_ROLES.join(', ')})\n`);
    return 1;
  }

  let config;
  try {
    config = loadConfig({ dir: values.config });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr.write(`gateway: configuration is invalid\n${err.problems.map(formatProblem).join('\n')}\n`);
    return 1;
  }
  const db = openDatabase(config.env.DATABASE_URL);
  try {
    await migrate(db);
    const accounts = new UserAccounts(new UserStore(db), new SessionStore(db));
    const password = values['password-stdin'] ? await readPassword(io.stdin ?? process.stdin) : undefined;
    const say = (s: string) => io.stdout.write(`${s}\n`);
    switch (sub) {
      case 'create': {
        const { user, generatedPassword } = await accounts.create({ username: name!, role: values.role!, displayName: values['display-name'], password });
        say(`created user ${user.username} (${user.role}, "${user.displayName}")`);
        if (generatedPassword) say(`password (shown once, give it to ${user.displayName}): ${generatedPassword}`);
        return 0;
      }
      case 'reset': {
        const { user, generatedPassword, endedSessions } = await accounts.reset(name!, password);
        say(`new password set for ${user.username}; lockout cleared; ${endedSessions} open session(s) ended`);
        if (generatedPassword) say(`password (shown once): ${generatedPassword}`);
        return 0;
      }
      case 'disable': {
        const { user, endedSessions } = await accounts.disable(name!);
        say(`disabled ${user.username}; ${endedSessions} open session(s) ended`);
        return 0;
      }
      case 'enable': {
        const user = await accounts.enable(name!);
        say(`enabled ${user.username}`);
        return 0;
      }
      default: {
        const users = await accounts.list();
        if (users.length === 0) say('no users yet: gateway user create NAME --role admin');
        else say(table(users));
        return 0;
      }
    }
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    io.stderr.write(`${err.message}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}

function usage(io: Io, problem: string): number {
  io.stderr.write(`${problem}\n\n${USER_USAGE}\n`);
  return 2;
}

/** The password piped in (`printf %s "$PW" | gateway user create …`): one trailing line break is not part of it. */
async function readPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function table(users: User[]): string {
  const now = Date.now();
  const rows = [['name', 'role', 'display name', 'status', 'created']];
  for (const u of users) {
    const status = u.disabled ? 'disabled' : u.lockedUntil !== null && u.lockedUntil > now ? `locked until ${new Date(u.lockedUntil).toISOString()}` : 'active';
    rows.push([u.username, u.role, u.displayName, status, new Date(u.createdAt).toISOString().slice(0, 10)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
