import { spawn, type ChildProcess } from 'node:child_process';

/** A server started in its own process, so the load generator in the parent does not share its event loop. */
export interface RunningServer {
  url: string;
  pid: number;
  /** Output the process wrote (stderr and stdout), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** Base URL of the server; `readyPath` on it must answer (any status) when the server is up. */
  url: string;
  readyPath?: string;
  timeoutMs?: number;
}

/** Starts a child process and waits until it answers HTTP. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const child: ChildProcess = spawn(opts.command, opts.args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve(code);
    }),
  );

  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (exited !== undefined) throw new Error(`${opts.command} ${opts.args.join(' ')} exited with ${exited} before answering:\n${out}`);
    try {
      await fetch(opts.url + (opts.readyPath ?? '/'), { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${opts.command} did not answer on ${opts.url} within ${opts.timeoutMs ?? 30_000} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    url: opts.url,
    pid: child.pid!,
    output: () => out,
    async stop(graceMs = 10_000) {
      if (exited !== undefined) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}
