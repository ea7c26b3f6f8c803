import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../config/loader.js';
import { main } from '../../../gateway/cli.js';

function configDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => ((out += s), true) } as never, stderr: { write: (s: string) => ((err += s), true) } as never },
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}

describe('config loader', function () {
  it('loads the shipped config with the documented defaults', function () {
    const cfg = loadConfig({ dir: 'config', env: {} });
    expect(cfg.env.PORT).to.equal(3000);
    expect(cfg.env.DATABASE_URL).to.equal('sqlite:./data/gateway.sqlite');
    expect(cfg.gateway.tickets.numberPrefix).to.equal('C');
    expect(cfg.version).to.match(/^[0-9a-f]{16}$/);
  });

  it('names the file, line, field and reason of a bad value', function () {
    const dir = configDir({ 'gateway.yaml': 'server:\n  bodyLimit: 1mb\npipeline:\n  batchSize: 0\n' });
    try {
      loadConfig({ dir, env: {} });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(ConfigError);
      const [problem] = (err as ConfigError).problems;
      expect(problem).to.include({ line: 4, field: 'pipeline.batchSize' });
      expect(problem!.file).to.match(/gateway\.yaml$/);
      expect(problem!.reason).to.match(/>=\s*1|too small/i);
    }
  });

  it('reports YAML syntax errors and unknown keys', function () {
    const syntax = configDir({ 'gateway.yaml': 'server:\n  bodyLimit: [1mb\n' });
    expect(() => loadConfig({ dir: syntax, env: {} })).to.throw(ConfigError, /YAML syntax/);
    const typo = configDir({ 'gateway.yaml': 'pipline:\n  batchSize: 5\n' });
    expect(() => loadConfig({ dir: typo, env: {} })).to.throw(ConfigError, /pipline/);
  });

  it('lists the first syntax errors of a file broken near its top and counts the rest', function () {
    // A stray line above categories.yaml's first key turns every later line into an error (37,000 of them).
    const shipped = readFileSync('config/categories.yaml', 'utf8');
    const dir = configDir({ 'categories.yaml': `t\`lkeO\n${shipped}` });
    try {
      loadConfig({ dir, env: {} });
      expect.fail('should have thrown');
    } catch (err) {
      const problems = (err as ConfigError).problems.filter((p) => p.reason.startsWith('YAML syntax'));
      expect(problems).to.have.length(21);
      expect(problems.every((p) => p.file.endsWith('categories.yaml'))).to.equal(true);
      expect(problems[0]!.reason).to.match(/^YAML syntax: /);
      expect(problems[0]!.line).to.be.below(40);
      expect(problems.at(-1)!.reason).to.match(/^YAML syntax: \d{4,} more errors after this line/);
    }
  });

  it('checks the environment too', function () {
    const bad = () => loadConfig({ dir: 'config', env: { DATABASE_URL: 'mysql://x', PORT: 'eighty' } });
    expect(bad).to.throw(ConfigError, /environment DATABASE_URL: sqlite:<path> or postgres/);
    expect(bad).to.throw(ConfigError, /environment PORT:/);
    expect(() => loadConfig({ dir: 'config', env: { GATEWAY_ADMIN_TOKEN: 'short' } })).to.throw(ConfigError, /GATEWAY_ADMIN_TOKEN: at least 16/);
  });

  it('names the variable of a half-configured channel, and treats blank .env lines as unset', function () {
    expect(() => loadConfig({ dir: 'config', env: { TWILIO_ACCOUNT_SID: 'AC123' } })).to.throw(ConfigError, /environment TWILIO_ACCOUNT_SID: twilio channel/);
    expect(loadConfig({ dir: 'config', env: { PUBLIC_BASE_URL: '', GATEWAY_ADMIN_TOKEN: '' } }).env.PUBLIC_BASE_URL).to.equal(undefined);
  });

  it('refuses a routing rule naming a category or sub-code that categories.yaml does not have, with its line', function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-config-'));
    cpSync('config', dir, { recursive: true });
    const routing = readFileSync(path.join(dir, 'routing.yaml'), 'utf8');
    const rule =
      '  - id: kettle-typo\n    description: A typo in a category code\n    when: { any: [{ category: PQX }, { subcategory: PQ-99 }] }\n    then: { queue: quality }\n';
    writeFileSync(path.join(dir, 'routing.yaml'), routing.replace('rules:\n', `rules:\n${rule}`));
    const line = routing.slice(0, routing.indexOf('rules:\n')).split('\n').length + 1;
    const load = () => loadConfig({ dir, env: {} });
    expect(load).to.throw(
      ConfigError,
      new RegExp(`routing\\.yaml:${line} rule kettle-typo: rule "kettle-typo": unknown category "PQX" \\(categories\\.yaml codes: PQ, LG`),
    );
    expect(load).to.throw(ConfigError, /unknown sub-code "PQ-99"/);
  });

  it('names what half-configured single sign-on lacks, and the attachment settings it refuses', function () {
    const sso = () => loadConfig({ dir: 'config', env: { OIDC_ISSUER: 'https://login.example.com/realms/support' } });
    expect(sso).to.throw(ConfigError, /OIDC_CLIENT_ID: single sign-on: single sign-on \(OIDC_ISSUER\) also needs OIDC_CLIENT_ID/);
    expect(sso).to.throw(ConfigError, /PUBLIC_BASE_URL: single sign-on: .*PUBLIC_BASE_URL\/console\/sso\/callback/);
    expect(() =>
      loadConfig({
        dir: 'config',
        env: { OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'gw', PUBLIC_BASE_URL: 'https://support.example.com', OIDC_AUTO_CREATE_ROLE: 'admin' },
      }),
    ).to.throw(ConfigError, /OIDC_AUTO_CREATE_ROLE/);
    expect(() => loadConfig({ dir: 'config', env: { ATTACHMENT_TYPES: 'image/png, exe' } })).to.throw(
      ConfigError,
      /ATTACHMENT_TYPES.*a MIME type such as image\/png/,
    );
    expect(loadConfig({ dir: 'config', env: { ATTACHMENT_TYPES: 'image/png, application/pdf' } }).env.ATTACHMENT_TYPES).to.deep.equal([
      'image/png',
      'application/pdf',
    ]);
  });

  it('gateway check-config prints OK and exits 0, or lists the problems and exits 1', async function () {
    const ok = capture();
    expect(await main(['check-config', '--config', 'config'], ok.io)).to.equal(0);
    expect(ok.out).to.match(/^OK /);

    const bad = capture();
    const dir = configDir({ 'gateway.yaml': 'tickets:\n  timeZone: Mars/Olympus\n' });
    expect(await main(['check-config', '--config', dir], bad.io)).to.equal(1);
    expect(bad.err).to.match(/gateway\.yaml:2 tickets\.timeZone: an IANA time zone/);
  });
});
