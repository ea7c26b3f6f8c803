import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { migrate, openDatabase } from '../../storage/db.js';

/** `--processes N|auto`: a count of gateway processes, or the reason it is not one. */
export function parseProcessCount(value: string | undefined): { count: number } | { error: string } {
  if (value === undefined) return { count: 1 };
  if (value === 'auto') return { count: availableParallelism() };
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64)
    return { error: `--processes must be a whole number from 1 to 64, or auto (got "${value}")` };
  return { count: Number(value) };
}

/** The worker slot (0…N-1) of this process when a `--processes` primary started it. */
export function workerSlot(): number | undefined {
  const slot = process.env.GATEWAY_PROCESS_SLOT;
  return cluster.isWorker && slot !== undefined ? Number(slot) : undefined;
}

/** A worker that dies this soon after it started is failing at start-up; the primary stops re-forking it. */
const CRASH_LOOP_MS = 5_000;

/**
 * The primary of `gateway start --processes N`: migrates the database once, forks N gateway processes
 * that share the HTTP port (node:cluster hands connections round-robin), forks again any that die
 * (under the same slot, hence the same name: it takes its claims back at once), and on SIGTERM/SIGINT
 * asks each to shut down gracefully and waits. Resolves with the exit code.
 */
export async function runProcessCluster(opts: { count: number; databaseUrl: string; log: Logger }): Promise<number> {
  const db = openDatabase(opts.databaseUrl);
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
  const bySlot = new Map<number, { worker: Worker; startedAt: number }>();
  let stopping = false;
  let failed = false;
  const fork = (slot: number) => {
    const worker = cluster.fork({ GATEWAY_PROCESS_SLOT: String(slot) });
    bySlot.set(slot, { worker, startedAt: Date.now() });
  };
  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const slot = [...bySlot.entries()].find(([, w]) => w.worker === worker)?.[0];
      if (slot === undefined) return;
      const { startedAt } = bySlot.get(slot)!;
      bySlot.delete(slot);
      if (!stopping) {
        if (Date.now() - startedAt < CRASH_LOOP_MS) {
          opts.log.error({ slot, code, signal }, 'gateway process failed at start-up; stopping the others');
          failed = true;
          shutdown('start-up failure');
        } else {
          opts.log.warn({ slot, code, signal }, 'gateway process died; starting it again');
          fork(slot);
          return;
        }
      }
      if (bySlot.size === 0) resolve(failed ? 1 : 0);
    });
    const shutdown = (why: string) => {
      if (stopping) return;
      stopping = true;
      opts.log.info({ why, processes: bySlot.size }, 'stopping the gateway processes');
      for (const { worker } of bySlot.values()) worker.process.kill('SIGTERM');
      if (bySlot.size === 0) resolve(failed ? 1 : 0);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    // SIGHUP re-reads config in every process.
    process.on('SIGHUP', () => {
      for (const { worker } of bySlot.values()) worker.process.kill('SIGHUP');
    });
    for (let slot = 0; slot < opts.count; slot++) fork(slot);
    opts.log.info({ processes: opts.count }, 'gateway processes started');
  });
}
