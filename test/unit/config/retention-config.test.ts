import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../config/loader.js';
import { periodBefore } from '../../../gateway/retention.js';

/** gateway.yaml's retention block with `replacement` instead of the shipped one, loaded. */
function withRetention(replacement: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-retention-'));
  try {
    cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
    const file = path.join(dir, 'gateway.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `${text.slice(0, text.indexOf('\nretention:'))}\nretention:\n${replacement}\n`);
    return loadConfig({ dir, env: {} });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.field}: ${p.reason}`);
    throw err;
  }
  return [];
}

describe('retention settings (gateway.yaml)', function () {
  it('ships three years for closed tickets, daily, with no category of its own', function () {
    expect(loadConfig({ dir: 'config', env: {} }).gateway.retention).to.deep.equal({
      enabled: true,
      closedTickets: '3y',
      byCategory: {},
      checkIntervalHours: 24,
    });
  });

  it('takes a period per category of categories.yaml (or OTHER) and refuses unknown codes and malformed periods', function () {
    expect(withRetention('  closedTickets: 18m\n  byCategory: { SP: 5y, OTHER: 90d }').gateway.retention).to.include({ closedTickets: '18m' });
    expect(problemsOf(() => withRetention('  byCategory: { XX: 1y }'))).to.deep.equal([
      'retention.byCategory.XX: unknown category "XX" (categories.yaml codes: PQ, LG, SP, TD, RL, INQ, OTHER)',
    ]);
    expect(problemsOf(() => withRetention('  closedTickets: 3 years'))).to.deep.equal(['retention.closedTickets: a period such as 90d, 18m or 3y']);
  });

  it('counts periods on the calendar', function () {
    const at = Date.UTC(2028, 2, 1, 10);
    expect(new Date(periodBefore(at, '3y')).toISOString()).to.equal('2025-03-01T10:00:00.000Z');
    expect(new Date(periodBefore(at, '1m')).toISOString()).to.equal('2028-02-01T10:00:00.000Z');
    expect(new Date(periodBefore(at, '1d')).toISOString()).to.equal('2028-02-29T10:00:00.000Z');
  });
});
