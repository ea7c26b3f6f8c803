/**
 * The fuzz suites of test/fuzz run long: the same properties as CI, with many more inputs per
 * property and a fresh seed, on SQLite and PostgreSQL. Each suite runs in its own mocha process;
 * the table lists inputs tried per suite and the failures (with the seed to reproduce them).
 *
 *   node --import tsx bench/fuzz/fuzz.bench.ts [--runs N] [--seed S]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { writeResultsSpan } from '../results-file.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 1000);
const SEED = arg('--seed', Date.now() % 2 ** 31);
// The CI count, for the baseline column: the same suites as CI runs them.
const CI_RUNS = 40;

const suites = readdirSync('test/fuzz')
  .filter((f) => f.endsWith('.fuzz.test.ts'))
  .sort();
const rows: string[] = [];
let failures = 0;
for (const suite of suites) {
  const started = Date.now();
  const result = spawnSync('npx', ['mocha', '--no-config', '--import=tsx', '--timeout', '3600000', '--exit', '--reporter', 'dot', `test/fuzz/${suite}`], {
    env: { ...process.env, FUZZ_RUNS: String(RUNS), FUZZ_SEED: String(SEED), TEST_DATABASES: process.env.TEST_DATABASES ?? 'sqlite,postgres' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${result.stdout}\n${result.stderr}`;
  const passing = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
  const failing = Number(/(\d+) failing/.exec(out)?.[1] ?? 0);
  failures += failing + (result.status !== 0 && failing === 0 ? 1 : 0);
  const firstFailure = failing > 0 ? (/Caused by: ([^\n]{0,160})/.exec(out)?.[1] ?? /Error: ([^\n]{0,160})/.exec(out)?.[1] ?? 'see output') : '';
  const properties = passing + failing;
  rows.push(
    `| ${suite.replace('.fuzz.test.ts', '')} | ${properties} | ${(properties * RUNS).toLocaleString('en')} | ${(properties * CI_RUNS).toLocaleString('en')} | ${failing} | ${((Date.now() - started) / 1000).toFixed(0)} s | ${firstFailure.replace(/\|/g, '\\|')} |`,
  );
  console.log(rows[rows.length - 1]);
}

writeResultsSpan(
  'fuzz',
  `## Fuzzing every parser that takes outside input (bench/fuzz, issue 16)

\`node --import tsx bench/fuzz/fuzz.bench.ts --runs ${RUNS} --seed ${SEED}\` — ${new Date().toISOString().slice(0, 10)}, databases: ${process.env.TEST_DATABASES ?? 'sqlite,postgres'}.
The properties of \`test/fuzz/\` (no 5xx, no internal detail in a response, no event-loop stall over 200 ms, every accepted
message processed) with ${RUNS} inputs per property per database, against the ${CI_RUNS} that CI runs with its fixed seed.
A "property" counts once per database.

| suite | properties | inputs tried | in CI | failures | time | first failure |
|---|---:|---:|---:|---:|---:|---|
${rows.join('\n')}

${failures === 0 ? 'No failures.' : `**${failures} failing suite(s)**: rerun with \`FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx mocha --no-config --import=tsx test/fuzz/<suite>\`.`}`,
);
process.exitCode = failures === 0 ? 0 : 1;
