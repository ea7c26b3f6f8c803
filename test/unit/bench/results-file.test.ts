import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { writeResultsSpan } from '../../../bench/results-file.js';

describe('bench/RESULTS.md spans', function () {
  const file = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'results-')), 'RESULTS.md');

  it('replaces only its own span, leaving the others and the text around them', function () {
    const f = file();
    const before = '# Benchmark results\n\n<!-- bench:a -->\nold a\n<!-- /bench:a -->\n\nnote\n\n<!-- bench:b -->\nold b\n<!-- /bench:b -->\n';
    writeFileSync(f, before);
    writeResultsSpan('a', 'new a\nline 2', f);
    expect(readFileSync(f, 'utf8')).to.equal(before.replace('old a', 'new a\nline 2'));
  });

  it('does not mistake a longer name sharing the prefix for its span', function () {
    const f = file();
    writeFileSync(f, '<!-- bench:intake -->\nreading\n<!-- bench:intake:generated -->\nold\n<!-- /bench:intake:generated -->\n<!-- /bench:intake -->\n');
    writeResultsSpan('intake:generated', 'new', f);
    expect(readFileSync(f, 'utf8')).to.equal(
      '<!-- bench:intake -->\nreading\n<!-- bench:intake:generated -->\nnew\n<!-- /bench:intake:generated -->\n<!-- /bench:intake -->\n',
    );
  });

  it('appends the span when the file has none, and creates the file', function () {
    const f = file();
    writeResultsSpan('c', 'first', f);
    expect(readFileSync(f, 'utf8')).to.equal('# Benchmark results\n\n<!-- bench:c -->\nfirst\n<!-- /bench:c -->\n');
  });
});
