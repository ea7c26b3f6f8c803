import { expect } from 'chai';
import fc from 'fast-check';
import type { TestGateway } from './test-gateway.js';

/**
 * Property-based tests over every parser that takes outside input. In CI they run with a fixed
 * seed and a bounded count so a failure reproduces; `FUZZ_RUNS` and `FUZZ_SEED` change both
 * (bench/fuzz runs the same properties much longer).
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261204);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 40);

/** fast-check parameters for one property: fixed seed, bounded runs, no shrinking past 10 s. */
export function fuzzParams(runs = FUZZ_RUNS): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: runs, endOnFailure: false, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: false };
}

/** Words that only a leaking error path would put in a response. */
const INTERNAL_DETAIL =
  /\b(select|insert into|update \w+ set|delete from|knex|sqlite|postgres|pg_|SQLSTATE|syntax error at|violates|relation "|column "|stack|at \w+ \(|node_modules|TypeError|RangeError|ReferenceError|Cannot read propert)/i;

/** The response is not a 5xx and carries no SQL, driver text or stack trace. */
export function expectSafeResponse(res: { status: number; body: unknown }, input: unknown): void {
  const shown = typeof input === 'string' ? input.slice(0, 200) : JSON.stringify(input)?.slice(0, 200);
  expect(res.status, `status for ${shown}`).to.be.below(500);
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
  expect(INTERNAL_DETAIL.test(text) ? text.slice(0, 300) : '', `internal detail in the response to ${shown}`).to.equal('');
}

/** Like {@link expectSafeResponse}, for a body that echoes user input: only the 5xx check and no stack trace. */
export function expectNo5xx(res: { status: number }, input: unknown): void {
  const shown = typeof input === 'string' ? input.slice(0, 200) : JSON.stringify(input)?.slice(0, 200);
  expect(res.status, `status for ${shown}`).to.be.below(500);
}

/**
 * Watches the event loop while fuzz inputs run: `stop()` returns the longest stall in ms that this
 * process spent working (a 10 ms timer that fired late, counted only as far as the process used
 * CPU meanwhile — on a busy 2-core machine the OS also deschedules us, which no input causes).
 */
export function watchEventLoop(): { stop(): number } {
  let worst = 0;
  let lastWall = performance.now();
  let lastCpu = process.cpuUsage();
  const timer = setInterval(() => {
    const wall = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    worst = Math.max(worst, Math.min(wall - lastWall - 10, cpuMs));
    lastWall = wall;
    lastCpu = process.cpuUsage();
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}

/** Longest acceptable stall of the event loop caused by one input (issue 16). */
export const MAX_EVENT_LOOP_STALL_MS = 200;

/**
 * The longest stall `run` causes, taken as the smallest of up to `attempts` runs (fewer once one stays under
 * {@link MAX_EVENT_LOOP_STALL_MS}). For a deterministic input: another process loading the machine can stretch one run
 * (a CI run beside a benchmark stretched a 10–28 ms parse to 218 ms), while the code itself taking too long (a quadratic
 * regex took seconds) stretches every run.
 */
export async function leastStall(run: () => Promise<unknown>, attempts = 3): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < attempts && least >= MAX_EVENT_LOOP_STALL_MS; i++) {
    const loop = watchEventLoop();
    try {
      await run();
    } finally {
      least = Math.min(least, loop.stop());
    }
  }
  return least;
}

/**
 * The CPU milliseconds (user + system) `run` spends, taken as the smallest of up to `attempts` runs (fewer once one stays
 * under `bound`), and the last run's result. For a deterministic input, like {@link leastStall}: the test process's CPU
 * also counts V8's GC threads and grows when other processes share the cores (a CI run beside other work took a 250–700 ms
 * parse of categories.yaml to 2.1 s once), while code that blows up (an error per line of a 191 kB file, 37,480 of them)
 * takes too long on every run.
 */
export function leastCpuMs<T>(run: () => T, bound: number, attempts = 3): { ms: number; result: T } {
  let least = Infinity;
  let result!: T;
  for (let i = 0; i < attempts && least >= bound; i++) {
    const started = process.cpuUsage();
    result = run();
    const spent = process.cpuUsage(started);
    least = Math.min(least, (spent.user + spent.system) / 1000);
  }
  return { ms: least, result };
}

/**
 * After the inputs: every accepted (journalled) message was processed — none pending, none
 * failed or parked — so "acknowledged" still means "becomes a ticket or is settled".
 */
export async function expectJournalDrained(gw: TestGateway): Promise<void> {
  await gw.settle(60_000);
  const left = await gw.gateway.db('intake_journal').whereNot('status', 'done').select('id', 'channel', 'status', 'last_error');
  expect(left, 'journal rows not processed').to.deep.equal([]);
}

/** Strings a hostile sender tries: control characters, NUL, lone surrogates, huge runs, RTL marks, emoji, SQL and HTML. */
export function hostileString(maxLength = 2000): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      '\udfff\ud800',
      '\u202e',
      "'; drop table tickets; --",
      '<script>alert(1)</script>',
      '%ff',
      '{{ticketNumber}}',
      '😀'.repeat(100),
      '漏水'.repeat(500),
    ),
    fc.tuple(fc.constantFrom('x', '1', '漏', '.', '@', ' ', 'a.', '1,'), fc.integer({ min: 1, max: 50_000 })).map(([s, n]) => s.repeat(n)),
  );
}

export { fc };
