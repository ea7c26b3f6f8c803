import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import { userCommand } from '../../gateway/commands/user.command.js';
import { verifyPassword } from '../../gateway/passwords.js';
import { migrate, openDatabase, type Db } from '../../storage/db.js';
import { SessionStore } from '../../storage/session.store.js';
import { UserStore } from '../../storage/user.store.js';
import { createTestDatabase, TEST_DATABASES, type TestDatabase } from '../support/databases.js';

function capture(stdinText?: string) {
  const out = { text: '', err: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => ((out.text += s), true) } as never,
      stderr: { write: (s: string) => ((out.err += s), true) } as never,
      stdin: stdinText === undefined ? undefined : Readable.from([stdinText]),
    },
  };
}

async function run(args: string[], stdinText?: string) {
  const c = capture(stdinText);
  const code = await userCommand(args, c.io);
  return { code, stdout: c.out.text, stderr: c.out.err };
}

for (const kind of TEST_DATABASES) {
  describe(`gateway user commands on ${kind}`, function () {
    let database: TestDatabase;
    let db: Db;
    let users: UserStore;
    let sessions: SessionStore;
    let saved: string | undefined;

    before(async function () {
      database = await createTestDatabase(kind);
      db = openDatabase(database.url);
      await migrate(db);
      users = new UserStore(db);
      sessions = new SessionStore(db);
      saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = database.url;
    });
    after(async function () {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
      await db?.destroy();
      await database?.drop();
    });

    it('creates a user with a generated password printed once, or one read from stdin', async function () {
      const created = await run(['create', 'li.lei', '--role', 'agent', '--display-name', 'Li Lei']);
      expect(created.code, created.stderr).to.equal(0);
      const password = /password \(shown once[^)]*\): (\S+)/.exec(created.stdout)?.[1];
      expect(password).to.have.length.above(20);
      const stored = (await users.findByUsername('li.lei'))!;
      expect(stored).to.include({ displayName: 'Li Lei', role: 'agent', disabled: false });
      expect(stored.passwordHash).to.match(/^\$argon2id\$/);
      expect(await verifyPassword(stored.passwordHash, password!)).to.equal(true);

      const piped = await run(['create', 'han.mei', '--role', 'lead', '--password-stdin'], 'correct horse battery\n');
      expect(piped.code, piped.stderr).to.equal(0);
      expect(piped.stdout).not.to.match(/password/);
      expect(
        await verifyPassword((await users.findByUsername('han.mei'))!.passwordHash, 'correct horse battery'),
        'the trailing newline is not part of it',
      ).to.equal(true);
    });

    it('refuses bad names, bad roles, short passwords, duplicates and unknown users with exit code 1', async function () {
      const cases: Array<[string[], string | undefined, RegExp]> = [
        [['create', 'Li Lei', '--role', 'agent'], undefined, /not a valid user name.*lower-case/],
        [['create', 'Wang.Fang', '--role', 'agent'], undefined, /did you mean "wang\.fang"/],
        [['create', 'wang.fang', '--role', 'boss'], undefined, /"boss" is not a role.*agent, lead, admin, finance/],
        [['create', 'wang.fang', '--role', 'integration'], undefined, /not a role a person can have/],
        [['create', 'wang.fang'], undefined, /needs --role/],
        [['create', 'wang.fang', '--role', 'agent', '--password-stdin'], 'short\n', /at least 10 characters/],
        [['create', 'li.lei', '--role', 'agent'], undefined, /already exists/],
        [['reset', 'nobody'], undefined, /there is no user "nobody"/],
        [['disable', 'nobody'], undefined, /there is no user "nobody"/],
      ];
      for (const [args, stdin, message] of cases) {
        const r = await run(args, stdin);
        expect(r.code, args.join(' ')).to.equal(1);
        expect(r.stderr, args.join(' ')).to.match(message);
      }
      expect(await users.findByUsername('wang.fang')).to.equal(undefined);
      expect((await run(['frobnicate'])).code).to.equal(2);
    });

    it('reset gives a new password, clears a lockout and ends sessions; disable ends sessions; enable and list', async function () {
      const user = (await users.findByUsername('han.mei'))!;
      for (let i = 0; i < 5; i++) await users.recordFailure(user.id, 5, 900_000);
      const open = await sessions.create(user.id, 3_600_000);
      expect((await run(['list'])).stdout).to.match(/han\.mei\s+lead\s+han\.mei\s+locked until/);

      const reset = await run(['reset', 'han.mei', '--password-stdin'], 'a brand new passphrase');
      expect(reset.code, reset.stderr).to.equal(0);
      expect(reset.stdout).to.match(/lockout cleared; 1 open session\(s\) ended/);
      const after = (await users.findByUsername('han.mei'))!;
      expect(after).to.include({ failedLogins: 0, lockedUntil: null });
      expect(await verifyPassword(after.passwordHash, 'a brand new passphrase')).to.equal(true);
      expect(await sessions.find(open.token)).to.equal(undefined);

      const again = await sessions.create(user.id, 3_600_000);
      const disabled = await run(['disable', 'han.mei']);
      expect(disabled.stdout).to.match(/disabled han\.mei; 1 open session\(s\) ended/);
      expect(await sessions.find(again.token)).to.equal(undefined);
      expect((await run(['list'])).stdout).to.match(/han\.mei\s+lead\s+han\.mei\s+disabled/);
      expect((await run(['enable', 'han.mei'])).code).to.equal(0);

      const list = await run(['list']);
      expect(list.stdout.split('\n')[0]).to.match(/^name\s+role\s+display name\s+status\s+created$/);
      expect(list.stdout).to.match(/han\.mei\s+lead\s+han\.mei\s+active/);
      expect(list.stdout).to.match(/li\.lei\s+agent\s+Li Lei\s+active/);
    });

    if (kind === 'sqlite') {
      it('is wired into `npx gateway` with exit code 1 for an unknown user', async function () {
        const child = spawn(process.execPath, ['gateway/bin.js', 'user', 'disable', 'nobody'], {
          env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(code).to.equal(1);
        expect(stderr).to.match(/there is no user "nobody"/);
      });
    }
  });
}
