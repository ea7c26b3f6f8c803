import { spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from './dovecot.js';
import { findProgram, missingServiceMessage } from './test-services.js';

/** A private redis-server on a free port, keeping nothing on disk. */
export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const bin = findProgram('redis-server', ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server']);
  if (!bin) throw new Error(missingServiceMessage('redis-server is not installed'));
  const port = await freePort();
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await answersPing(port)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await answersPing(port))) {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not answer on port ${port}`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
