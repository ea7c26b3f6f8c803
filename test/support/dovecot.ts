import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findProgram, missingServiceMessage } from './test-services.js';

/** A private dovecot-imapd on a free port, in its own temp dir. */
export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The temp dir holding config, maildirs and dovecot.log. */
  dir: string;
  stop(): Promise<void>;
}

const INSTALL_HINT = missingServiceMessage('dovecot is not installed');

/** A port nobody listens on right now (the tiny race until dovecot binds it is acceptable in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function mailOwner(): { uid: number; gid: number; userName: string } {
  if (process.getuid?.() !== 0) {
    return { uid: process.getuid!(), gid: process.getgid!(), userName: os.userInfo().username };
  }
  // As root, dovecot refuses to deliver mail as root: use an unprivileged vmail user, made here if missing.
  try {
    execFileSync('id', ['vmail'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'vmail'], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', 'vmail'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'vmail'], { encoding: 'utf8' }).trim());
  return { uid, gid, userName: 'vmail' };
}

/**
 * Starts dovecot in the foreground (`-F`) as our child process, with a passwd-file user
 * `test@example.test` / `secret` (or the ones given), and waits until it accepts connections.
 * Throws naming the install script if dovecot is missing, or with its log if it fails to start.
 */
export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<DovecotServer> {
  const bin = findProgram('dovecot', ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot', '/usr/bin/dovecot']);
  if (!bin) throw new Error(INSTALL_HINT);
  const user = opts.user ?? 'test@example.test';
  const password = opts.password ?? 'secret';
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dovecot-'));
  // The mail user must be able to reach its home inside the temp dir.
  await chmod(dir, 0o755);
  for (const d of ['run', 'state', 'mail']) await mkdir(path.join(dir, d));
  const owner = mailOwner();
  await chown(path.join(dir, 'mail'), owner.uid, owner.gid);
  await writeFile(path.join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  const nonRoot = process.getuid?.() !== 0;
  const conf = `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
# A throwaway test server: no fsync per APPEND (filling a 5,000-mail mailbox goes from ~90 s to seconds).
mail_fsync = never
${nonRoot ? `default_internal_user = ${owner.userName}\ndefault_login_user = ${owner.userName}\n` : ''}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
${nonRoot ? '  chroot =\n' : ''}}
${nonRoot ? 'service anvil {\n  chroot =\n}\n' : ''}`;
  await writeFile(path.join(dir, 'dovecot.conf'), conf);

  const child: ChildProcess = spawn(bin, ['-F', '-c', path.join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) break;
    if (await canConnect(port)) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (child.exitCode !== null || !(await canConnect(port))) {
    child.kill('SIGKILL');
    const log = await readFile(path.join(dir, 'dovecot.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`dovecot did not start on port ${port}:\n${output}\n${log}`);
  }

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
