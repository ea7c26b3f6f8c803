import { readdirSync, readFileSync } from 'node:fs';
import type { Knex } from 'knex';

/** CPU seconds (user + system) and parent pid of a /proc stat line. */
function parseStat(stat: string): { ppid: number; seconds: number } | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  return { ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / 100 };
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process ended in between
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .map(Number);
  } catch {
    return []; // no /proc: CPU is reported as zero
  }
}

/** CPU seconds used so far by `root` and every process below it (a `--processes N` primary and its workers). */
export function treeCpuSeconds(root: number): number {
  const stats = new Map<number, { ppid: number; seconds: number }>();
  for (const pid of allPids()) {
    const s = parseStat(read(`/proc/${pid}/stat`) ?? '');
    if (s) stats.set(pid, s);
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = stats.get(p)?.ppid ?? 0, hops++) if (p === root) return true;
    return false;
  };
  let total = 0;
  for (const [pid, s] of stats) if (inTree(pid)) total += s.seconds;
  return total;
}

/** CPU seconds of one process (all its threads); undefined once it has exited. */
export function processCpuSeconds(pid: number): number | undefined {
  return parseStat(read(`/proc/${pid}/stat`) ?? '')?.seconds;
}

export interface PostgresCpu {
  /** Backends connected to the bench's database (the gateways' connections, autovacuum on its tables). */
  backends: number;
  /** The server's shared processes: WAL writer, checkpointer, background writer (they also serve other databases). */
  shared: number;
}

/**
 * The PostgreSQL server's CPU spent for one database. Backends come and go (pools open connections
 * under load), so a sampler notes each backend's CPU every `everyMs`; a backend that exits between two
 * samples loses at most that interval. Other databases' backends (other work on the same server) are
 * left out; the shared processes cannot be split per database and are reported apart.
 */
export class PostgresCpuMonitor {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, { seconds: number; ours: boolean }>();
  private timer?: NodeJS.Timeout;
  private sampling?: Promise<void>;

  /** `admin` is connected to another database of the server; `exclude`: the bench's own backends. */
  constructor(
    private readonly admin: Knex,
    private readonly database: string,
    private readonly exclude: ReadonlySet<number> = new Set(),
    private readonly everyMs = 250,
  ) {}

  async start(): Promise<void> {
    await this.sample(true);
    const tick = () => {
      this.sampling = this.sample(false).finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.everyMs);
      });
    };
    this.timer = setTimeout(tick, this.everyMs);
  }

  async stop(): Promise<PostgresCpu> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sampling;
    await this.sample(false);
    const out: PostgresCpu = { backends: 0, shared: 0 };
    for (const [pid, { seconds, ours }] of this.last) {
      const used = seconds - (this.first.get(pid) ?? 0);
      if (ours) out.backends += used;
      else out.shared += used;
    }
    return out;
  }

  private async sample(initial: boolean): Promise<void> {
    const result = await this.admin.raw(`SELECT pid, datname, backend_type FROM pg_stat_activity`);
    for (const row of result.rows as Array<{ pid: number; datname: string | null; backend_type: string }>) {
      const pid = Number(row.pid);
      const ours = row.datname === this.database && !this.exclude.has(pid);
      const shared = row.datname === null && row.backend_type !== 'client backend';
      if (!ours && !shared) continue;
      const seconds = processCpuSeconds(pid);
      if (seconds === undefined) continue;
      // A backend first seen after the start was born during the measurement: all its CPU counts.
      if (initial) this.first.set(pid, seconds);
      this.last.set(pid, { seconds, ours });
    }
  }
}
