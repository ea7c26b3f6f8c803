import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A copy of config/ with a one-second lease and fast polling, so what a killed `gateway start` process had
 * claimed is taken over within the test.
 */
export function shortLeaseConfigDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-process-config-'));
  cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  const gatewayYaml = path.join(dir, 'gateway.yaml');
  writeFileSync(
    gatewayYaml,
    readFileSync(gatewayYaml, 'utf8')
      .replace(/leaseSeconds: 30/, 'leaseSeconds: 1')
      .replace(/pollIntervalMs: 200/, 'pollIntervalMs: 20'),
  );
  return dir;
}

/** Starts the real gateway process (`gateway start`) on 127.0.0.1:`port` and waits until it answers /healthz. */
export async function startGatewayProcess(opts: {
  env: Record<string, string>;
  configDir: string;
  port: number;
  adminToken: string;
  timeoutMs?: number;
}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['gateway/bin.js', 'start', '--config', opts.configDir], {
    env: { ...process.env, ...opts.env, PORT: String(opts.port), HOST: '127.0.0.1', GATEWAY_ADMIN_TOKEN: opts.adminToken, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited early (${child.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${opts.port}/healthz`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`gateway did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
