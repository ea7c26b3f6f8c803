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

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Markdown lines: CPU per message by where it was spent, and the rate `cores` could reach if that CPU
 * were spread over them perfectly. `database`: the row's PostgreSQL server CPU belongs to it.
 */
export function cpuPerMessageTable(rows: Array<{ label: string; messages: number; cpu: CpuSnapshot; database: boolean }>, cores: number): string[] {
  return [
    `CPU per drained message (Linux /proc, user + system), and the rate ${cores} cores could reach if that CPU were spread over them perfectly:`,
    '',
    `| database | event-loop thread ms | other gateway threads ms (libuv pool: sqlite3 statements; V8 GC) | PostgreSQL server ms | total ms | ceiling on ${cores} cores, messages/s |`,
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const per = (seconds: number) => (seconds * 1000) / r.messages;
      const server = r.database ? r.cpu.postgres : 0;
      const total = per(r.cpu.main + r.cpu.otherThreads + server);
      return `| ${r.label} | ${fmt(per(r.cpu.main), 2)} | ${fmt(per(r.cpu.otherThreads), 2)} | ${r.database ? fmt(per(server), 2) : '–'} | ${fmt(total, 2)} | ${fmt((cores * 1000) / total)} |`;
    }),
  ];
}
