import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { missingServiceMessage } from '../../support/test-services.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const THIS_FILE = fileURLToPath(import.meta.url);
// What reaching outside the repository looks like in a test: the helper, or a path to ../shared.
const OUTSIDE = [/shared-data\.js/, /\bsharedData\b/, /\bSHARED_DATA_DIR\b/, /\.\.\/shared\b/, /\/work\/shared\b/, /'\.\.',\s*'shared'/];

/** Test code under test/, fixtures aside (their READMEs may name where a subset came from). */
function testCode(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testCode(file);
    return /\.(ts|cjs|mjs|js)$/.test(entry.name) ? [file] : [];
  });
}

describe('a fresh clone has everything the tests need', () => {
  it('no test reads ../shared: what a test reads is under test/fixtures', () => {
    const offenders: string[] = [];
    for (const file of testCode(path.join(root, 'test'))) {
      if (file === THIS_FILE) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (OUTSIDE.some((re) => re.test(line))) offenders.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).to.deep.equal([]);
  });

  it('the script a missing dovecot or Chromium points to is in the repository and executable', () => {
    const script = /run (\S+)/.exec(missingServiceMessage('dovecot is not installed'))![1]!;
    expect(script).to.equal('scripts/install-test-services.sh');
    accessSync(path.join(root, script), constants.X_OK);
  });
});
