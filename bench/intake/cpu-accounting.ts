import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system) of a /proc stat line. */
function cpuOfStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the thread or process ended in between
  }
}

export interface CpuSnapshot {
  /** This process's main (event-loop) thread. */
  main: number;
  /** Its other threads: libuv's pool (where sqlite3 runs statements), V8's GC and compiler threads. */
  otherThreads: number;
  /** All PostgreSQL server processes on the machine. */
  postgres: number;
}

/** CPU seconds used so far, by where they were spent (Linux /proc; zeros elsewhere). */
export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = { main: 0, otherThreads: 0, postgres: 0 };
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const seconds = cpuOfStat(read(`/proc/self/task/${tid}/stat`) ?? '');
      if (Number(tid) === process.pid) snapshot.main += seconds;
      else if (Number.isFinite(seconds)) snapshot.otherThreads += seconds;
    }
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      if (read(`/proc/${pid}/comm`)?.trim() !== 'postgres') continue;
      const seconds = cpuOfStat(read(`/proc/${pid}/stat`) ?? '');
      if (Number.isFinite(seconds)) snapshot.postgres += seconds;
    }
  } catch {
    // no /proc: leave zeros
  }
  return snapshot;
}

export function cpuSince(before: CpuSnapshot): CpuSnapshot {
  const now = cpuSnapshot();
  return { main: now.main - before.main, otherThreads: now.otherThreads - before.otherThreads, postgres: now.postgres - before.postgres };
}
