import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { main } from '../../../../gateway/cli.js';

/** Runs `gateway …` in this process with DATABASE_URL pointing at a file that does not exist yet. */
async function gateway(args: string[], databaseFile: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = `sqlite:${databaseFile}`;
  try {
    const code = await main(args, { stdout, stderr });
    return { code, out, err };
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

describe('gateway simulate --dry-run', function () {
  this.timeout(60_000);

  it('prints the classification, the route and what the customer would be sent, and writes nothing', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'simulate-')), 'gateway.sqlite');
    const r = await gateway(['simulate', 'email', '--from', 'li.lei@example.com', '--text', '请问怎么申请退货', '--dry-run'], file);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.include('nothing was written');
    expect(r.out).to.match(/^category {4}INQ/m);
    expect(r.out).to.match(/^route {7}queue \S+, priority \S+/m);
    // The FAQ bot's answer, with the ticket number, is what the customer would get at once.
    expect(r.out).to.match(/^would send {2}".*申请退货.*工单号 C-\d{8}-\d{4}/m);
    expect(existsSync(file), 'the configured database was created').to.equal(false);
  });

  it('reads a delivery complaint as one, with its evidence, and routes it to the logistics queue', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'simulate-')), 'gateway.sqlite');
    const r = await gateway(
      ['simulate', 'api', '--from', 'api-customer-1', '--text', 'Parcel still not delivered after ten days, tracking has not moved.', '--dry-run'],
      file,
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/^category {4}LG/m);
    expect(r.out).to.match(/^evidence {4}.*not delivered/m);
    expect(r.out).to.match(/^route {7}queue logistics,/m);
    expect(existsSync(file)).to.equal(false);
  });

  it('answers a mistyped option with what is wrong and exit code 2, not a stack trace', () => {
    const r = spawnSync(process.execPath, ['gateway/bin.js', 'simulate', 'sms', '--dry-rnu'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.include("gateway simulate: Unknown option '--dry-rnu'").and.include('gateway help');
    expect(r.stderr).to.not.include('    at ');
  });
});
