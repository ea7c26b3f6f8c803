import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../config/loader.js';
import { main } from '../../gateway/cli.js';
import { replay } from '../../gateway/replay.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

function capture() {
  const out = { text: '', err: '' };
  return { out, io: { stdout: { write: (s: string) => ((out.text += s), true) } as never, stderr: { write: (s: string) => ((out.err += s), true) } as never } };
}

function candidateConfig(edit: (routing: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-candidate-'));
  cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  const file = path.join(dir, 'routing.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

for (const db of TEST_DATABASES) {
  describe(`replay and explain on ${db}`, function () {
    let gw: TestGateway;
    const numbers: Record<string, string> = {};

    before(async function () {
      gw = await startTestGateway({ db });
      const texts = {
        late: '我的快递已经超过一周还没送到，物流信息一直不更新。',
        fire: 'The heater I bought caught fire and my son was burned.',
        late2: 'My parcel is ten days late and tracking has not moved.',
      };
      for (const [key, text] of Object.entries(texts)) {
        const posted = await gw.api('POST', '/api/v1/messages', { externalId: key, from: { address: `${key}@example.com` }, text });
        await gw.settle();
        numbers[key] = (await gw.api('GET', `/api/v1/messages/${posted.body.id}`)).body.ticket.number;
      }
    });

    after(async function () {
      await gw?.stop();
    });

    it('reports what a routing edit would change, with the rules that caused it', async function () {
      // The candidate moves logistics complaints to the trade queue.
      const dir = candidateConfig((y) => y.replace(/(- id: logistics\b[\s\S]*?queue: )logistics/, '$1trade'));
      const candidate = loadConfig({ dir, env: { DATABASE_URL: gw.database.url } });
      const report = await replay(gw.gateway.db, candidate, { sinceMs: 86_400_000 });
      expect(report.scanned).to.equal(3);
      expect(report.counts.queue).to.equal(2);
      expect(report.counts.severity).to.equal(0);
      const tickets = report.samples.queue.map((s) => s.ticket).sort();
      expect(tickets).to.deep.equal([numbers.late, numbers.late2].sort());
      expect(report.samples.queue[0]).to.include({ before: 'logistics', after: 'trade' });
      expect(report.samples.queue[0]!.rules.map((r) => r.ruleId)).to.include('logistics');

      const unchanged = loadConfig({ dir: 'config', env: { DATABASE_URL: gw.database.url } });
      expect((await replay(gw.gateway.db, unchanged, { sinceMs: 86_400_000 })).changed, 'the active config changes nothing').to.equal(0);
    });

    it('gateway replay and gateway explain work from the command line', async function () {
      const saved = process.env.DATABASE_URL;
      process.env.DATABASE_URL = gw.database.url;
      try {
        const dir = candidateConfig((y) => y.replace(/(- id: logistics\b[\s\S]*?queue: )logistics/, '$1trade'));
        const r = capture();
        expect(await main(['replay', '--config', dir, '--since', '1d', '--json'], r.io)).to.equal(0);
        expect(JSON.parse(r.out.text).counts.queue).to.equal(2);

        const e = capture();
        expect(await main(['explain', numbers.fire!], e.io)).to.equal(0);
        expect(e.out.text).to.include(numbers.fire);
        expect(e.out.text).to.match(/1\. severity-1-crisis/);
        expect(e.out.text).to.include('because severity is 1');
        expect(e.out.text).to.match(/severity 1 ← "caught fire"/);

        const missing = capture();
        expect(await main(['explain', 'C-19990101-0001'], missing.io)).to.equal(1);
        expect(missing.out.err).to.match(/does not exist/);

        const broken = candidateConfig((y) => y.replace(/(- id: logistics\b[\s\S]*?queue: )logistics/, '$1nowhere'));
        const b = capture();
        expect(await main(['check-config', '--config', broken], b.io)).to.equal(1);
        expect(b.out.err).to.match(/routing\.yaml:\d+/);
        expect(b.out.err).to.include('"logistics"');
      } finally {
        if (saved === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = saved;
      }
    });
  });
}
