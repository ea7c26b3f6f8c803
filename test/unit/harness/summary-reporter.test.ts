import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MOCHA = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const REPORTER = path.join(root, 'test', 'summary-reporter.cjs');

/** Runs a spec file (CommonJS, no tsx needed) in a real mocha with our reporter; returns exit code and output lines. */
async function runMocha(spec: string): Promise<{ code: number; lines: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'reporter-'));
  try {
    writeFileSync(path.join(dir, 'spec.cjs'), spec);
    return await new Promise((resolve, reject) => {
      execFile(process.execPath, [MOCHA, '--no-config', '--no-colors', '--reporter', REPORTER, 'spec.cjs'], { cwd: dir }, (err, stdout) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ code: typeof err?.code === 'number' ? err.code : 0, lines: stdout.trimEnd().split('\n') });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('test/summary-reporter.cjs', function () {
  this.timeout(30_000);

  it('counts the tests under a failed before hook as not run and failed, and the run fails', async () => {
    const { code, lines } = await runMocha(`
      describe('orders', () => {
        before(() => { throw new Error('database unreachable'); });
        it('lists', () => {});
        it('filters', () => {});
        describe('export', () => { it('writes csv', () => {}); });
      });
      describe('tokens', () => {
        it('creates', () => {});
        it.skip('rotates', () => {});
      });
    `);
    expect(code).to.not.equal(0);
    expect(lines.filter((l) => l.startsWith('not run: '))).to.deep.equal([
      'not run: orders lists',
      'not run: orders filters',
      'not run: orders export writes csv',
    ]);
    expect(lines.at(-2)).to.equal('3 not run, 1 pending');
    // The hook's own failure plus the three tests it kept from running.
    expect(lines.at(-1)).to.equal('1 passed, 4 failed');
  });

  it('counts what a failed beforeEach hook skipped, not the tests that ran before it', async () => {
    const { code, lines } = await runMocha(`
      describe('replies', () => {
        let n = 0;
        beforeEach(() => { if (++n === 2) throw new Error('second setup fails'); });
        it('first', () => {});
        it('second', () => {});
        it('third', () => {});
      });
    `);
    expect(code).to.not.equal(0);
    expect(lines.filter((l) => l.startsWith('not run: '))).to.deep.equal(['not run: replies second', 'not run: replies third']);
    expect(lines.at(-1)).to.equal('1 passed, 3 failed');
  });

  it('says 0 not run on a clean run, and pending tests are not failures', async () => {
    const { code, lines } = await runMocha(`
      it('one', () => {});
      it('two', () => {});
      it.skip('later', () => {});
    `);
    expect(code).to.equal(0);
    expect(lines.slice(-2)).to.deep.equal(['0 not run, 1 pending', '2 passed, 0 failed']);
  });
});
