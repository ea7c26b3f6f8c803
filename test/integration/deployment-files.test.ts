import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { envSchema } from '../../config/env.schema.js';
import { CHANNEL_CONFIGS } from '../../config/channels/channels.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** What the Dockerfile, the compose file and the Grafana dashboard promise, checked against the running gateway (no Docker engine here). */
describe('deployment files (Dockerfile, deploy/)', function () {
  let gw: TestGateway;
  before(async function () {
    gw = await startTestGateway({ db: 'sqlite', env: { GATEWAY_PROCESS_NAME: 'deploy-test' } });
  });
  after(async function () {
    await gw?.stop();
  });

  it('the Dockerfile copies what exists and starts the gateway; its health check passes against a running gateway', async function () {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    for (const [, from] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) expect(existsSync(from!), `COPY ${from}`).to.equal(true);
    expect(dockerfile).to.match(/^USER node$/m);
    expect(dockerfile).to.include('CMD ["node", "gateway/bin.js", "start"]');
    const check = /HEALTHCHECK[^\n]*\\\n\s*CMD \["node", "-e", "(.+)"\]$/m.exec(dockerfile)![1]!.replace(/\\"/g, '"');
    const port = new URL(gw.url).port;
    // Exit 0 against the live gateway (in this process: the check must not block it), non-zero where nothing listens.
    const run = (port: string) => promisify(execFile)(process.execPath, ['-e', check], { env: { ...process.env, PORT: port } });
    await run(port);
    let failed = false;
    await run('9').catch(() => (failed = true));
    expect(failed, 'the check fails when nothing answers').to.equal(true);
  });

  it('the compose file runs two named gateways on one PostgreSQL with only variables the gateway knows', function () {
    const compose = parse(readFileSync('deploy/docker-compose.yml', 'utf8'), { merge: true });
    const gateways = Object.entries<any>(compose.services).filter(([name]) => name.startsWith('gateway-'));
    expect(gateways.map(([name]) => name)).to.deep.equal(['gateway-a', 'gateway-b']);
    const known = new Set([...Object.keys(envSchema.shape), ...CHANNEL_CONFIGS.flatMap((c) => Object.keys(c.envSchema.shape))]);
    const names = new Set<string>();
    for (const [, service] of gateways) {
      expect(service.environment.DATABASE_URL).to.match(/^postgres:\/\//);
      for (const key of Object.keys(service.environment)) {
        expect(known.has(key), `${key} is a variable of .env.example`).to.equal(true);
      }
      names.add(service.environment.GATEWAY_PROCESS_NAME);
      expect(service.volumes).to.include('attachments:/app/attachments');
    }
    expect(names.size, 'each process has its own name').to.equal(2);
  });

  it('every series the Grafana dashboard charts is one the gateway exports, labelled with its process', async function () {
    // One message through, so the labelled counters have a series.
    await gw.api('POST', '/api/v1/messages', {
      channel: 'api',
      externalId: 'deploy-1',
      from: { address: 'a@example.com' },
      text: 'The kettle I bought leaks.',
    });
    await gw.settle();
    const exported = await (await fetch(`${gw.url}/metrics`)).text();
    const families = new Set([...exported.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    expect(exported).to.match(/^gateway_messages_received_total\{[^}]*process="deploy-test"/m);
    const dashboard = JSON.parse(readFileSync('deploy/grafana-dashboard.json', 'utf8'));
    const charted = new Set<string>();
    for (const panel of dashboard.panels)
      for (const target of panel.targets) for (const [name] of target.expr.matchAll(/gateway_[a-z0-9_]+/g)) charted.add(name);
    expect(charted.size).to.be.greaterThan(10);
    for (const name of charted) {
      const family = name.replace(/_(bucket|sum|count)$/, '');
      expect(families.has(family) || families.has(name), `${name} is exported by /metrics`).to.equal(true);
    }
  });
});
