import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { UserAccounts } from '../../gateway/user-accounts.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** A rule put first in routing.yaml: late parcels go to the trade queue instead of logistics. */
const LATE_TO_TRADE =
  '  - id: late-to-trade\n    description: Trial - late parcels to the trade desk\n    when: { category: LG }\n    then: { queue: trade }\n';

for (const db of TEST_DATABASES) {
  describe(`rules workbench API on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let dir: string;
    let lead: string;
    let sms: FakeAdapter;
    let n = 0;

    beforeEach(async function () {
      dir = mkdtempSync(path.join(tmpdir(), 'gw-workbench-config-'));
      cpSync('config', dir, { recursive: true, filter: (f) => !f.endsWith('.ts') });
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({ db, configDir: dir, adapters: [sms] });
      lead = (await gw.gateway.tokens.create('han.mei', 'lead')).token;
    });

    afterEach(async function () {
      await gw?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    async function lateParcelQueue(): Promise<string> {
      const address = `late-${++n}@example.com`;
      await gw.api('POST', '/api/v1/messages', {
        externalId: `late-${n}`,
        from: { address },
        text: 'My parcel has not arrived after 5 days, the courier never delivered it.',
      });
      await gw.settle();
      return (await gw.api('GET', `/api/v1/tickets?q=${address}`)).body.items[0].queue;
    }

    it('checks as check-config does, previews what would change, applies with history, and rolls back', async function () {
      expect(await lateParcelQueue()).to.equal('logistics');
      const original = await gw.api('GET', '/api/v1/config/files/routing.yaml', undefined, lead);
      expect(original.status).to.equal(200);
      expect(original.body.content).to.equal(readFileSync(path.join(dir, 'routing.yaml'), 'utf8'));

      // A typo is found with its line and field, before anything is saved.
      const typo = original.body.content.replace('rules:\n', `rules:\n${LATE_TO_TRADE.replace('category: LG', 'category: LX')}`);
      const checked = await gw.api('POST', '/api/v1/config/files/routing.yaml/check', { content: typo }, lead);
      expect(checked.body.ok).to.equal(false);
      expect(checked.body.problems[0]).to.include({ file: 'routing.yaml', field: 'rule late-to-trade' });
      expect(checked.body.problems[0].line).to.be.a('number');
      expect(checked.body.problems[0].reason).to.match(/unknown category "LX"/);
      const refused = await gw.api('PUT', '/api/v1/config/files/routing.yaml', { content: typo, reason: 'try', baseSha256: original.body.sha256 }, lead);
      expect(refused.status).to.equal(400);

      // What would change over the last 30 days: the late parcel's ticket, with the rule that fired.
      const candidate = original.body.content.replace('rules:\n', `rules:\n${LATE_TO_TRADE}`);
      expect((await gw.api('POST', '/api/v1/config/files/routing.yaml/check', { content: candidate }, lead)).body).to.deep.equal({ ok: true, problems: [] });
      const started = await gw.api('POST', '/api/v1/config/files/routing.yaml/previews', { content: candidate, days: 30 }, lead);
      expect(started.status).to.equal(202);
      let job = started.body;
      for (const deadline = Date.now() + 20_000; !job.finished;) {
        if (Date.now() > deadline) throw new Error('the preview did not finish');
        await new Promise((r) => setTimeout(r, 50));
        job = (await gw.api('GET', `/api/v1/config/previews/${job.id}`, undefined, lead)).body;
      }
      expect(job.report.scanned).to.equal(1);
      expect(job.report.counts.queue).to.equal(1);
      expect(job.report.samples.queue[0]).to.deep.include({ field: 'queue', before: 'logistics', after: 'trade' });
      expect(job.report.samples.queue[0].rules.map((r: { ruleId: string }) => r.ruleId)).to.include('late-to-trade');

      // Applying over a stale copy is refused; with the current one it is written, versioned and live.
      const stale = await gw.api('PUT', '/api/v1/config/files/routing.yaml', { content: candidate, reason: 'trial', baseSha256: '0'.repeat(64) }, lead);
      expect(stale.status).to.equal(409);
      const applied = await gw.api(
        'PUT',
        '/api/v1/config/files/routing.yaml',
        { content: candidate, reason: 'Trial: trade desk takes late parcels this week', baseSha256: original.body.sha256 },
        lead,
      );
      expect(applied.status).to.equal(200);
      expect(applied.body.reloaded).to.equal(true);
      expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).to.equal(candidate);
      expect((await gw.api('GET', '/api/v1/config', undefined, lead)).body.version).to.equal(applied.body.active);
      expect(await lateParcelQueue()).to.equal('trade');

      const history = (await gw.api('GET', '/api/v1/config/files/routing.yaml/versions', undefined, lead)).body.items;
      expect(history.map((v: { kind: string; actor: string }) => `${v.kind}:${v.actor}`)).to.deep.equal(['apply:token:han.mei', 'baseline:system']);
      expect(history[0].reason).to.equal('Trial: trade desk takes late parcels this week');
      expect(history[0].diff).to.include('+  - id: late-to-trade');

      // One step back to the file as it was.
      const current = (await gw.api('GET', '/api/v1/config/files/routing.yaml', undefined, lead)).body;
      const rolled = await gw.api('POST', '/api/v1/config/files/routing.yaml/rollback', { version: history[1].id, baseSha256: current.sha256 }, lead);
      expect(rolled.status).to.equal(200);
      expect(readFileSync(path.join(dir, 'routing.yaml'), 'utf8')).to.equal(original.body.content);
      expect(await lateParcelQueue()).to.equal('logistics');
      const after = (await gw.api('GET', '/api/v1/config/files/routing.yaml/versions', undefined, lead)).body.items;
      expect(after[0]).to.include({ kind: 'rollback', actor: 'token:han.mei' });
      expect(after[0].reason).to.match(/^roll back to version \d+/);
    });

    it('is for leads and admins only, and only for the files leads edit', async function () {
      const { token: agent } = await gw.gateway.tokens.create('li.lei', 'agent');
      expect((await gw.api('GET', '/api/v1/config/files/routing.yaml', undefined, agent)).status).to.equal(403);
      expect((await gw.api('GET', '/api/v1/config/files/gateway.yaml', undefined, lead)).status).to.equal(404);
      expect((await gw.api('GET', '/api/v1/config/files/..%2Fpackage.json', undefined, lead)).status).to.equal(404);
      const files = (await gw.api('GET', '/api/v1/config/files', undefined, lead)).body.items.map((f: { file: string }) => f.file);
      expect(files).to.deep.equal(['routing.yaml', 'categories.yaml', 'faq.yaml', 'sla.yaml', 'canned-replies.yaml']);
    });

    it('shows the last edit of the directory that was refused, with its reason', async function () {
      expect((await gw.api('GET', '/api/v1/config', undefined, lead)).body.lastRefused).to.equal(null);
      writeFileSync(path.join(dir, 'sla.yaml'), 'policies: [oops\n');
      gw.gateway.reloadConfig();
      const info = (await gw.api('GET', '/api/v1/config', undefined, lead)).body;
      expect(info.lastRefused.problems.join('\n')).to.match(/sla\.yaml/);
    });

    it('teaches the FAQ bot a question it could not answer, in one call, versioned like any edit', async function () {
      const ask = async (from: string) => {
        const { id } = await sms.receive({ from: { address: from }, text: '能用数字人民币吗' });
        await gw.settle();
        const m = await gw.api('GET', `/api/v1/messages/${id}`);
        return (await gw.api('GET', `/api/v1/tickets/${m.body.ticket.id}`)).body as {
          tags: string[];
          events: Array<{ type: string; after: { entryId?: string } | null }>;
        };
      };
      const before = await ask('+8613800001111');
      expect(before.tags, 'not answered before').to.not.include('bot-answered');

      const entries = (await gw.api('GET', '/api/v1/faq/entries', undefined, lead)).body.items.map((e: { id: string }) => e.id);
      expect(entries).to.include('payment-methods');
      const added = await gw.api('POST', '/api/v1/faq/entries/payment-methods/paraphrases', { text: '能用数字人民币吗' }, lead);
      expect(added.status).to.equal(201);
      expect(added.body).to.include({ entryId: 'payment-methods', language: 'zh' });
      expect(readFileSync(path.join(dir, 'faq.yaml'), 'utf8')).to.include('"能用数字人民币吗"]');
      const history = (await gw.api('GET', '/api/v1/config/files/faq.yaml/versions', undefined, lead)).body.items;
      expect(history[0].reason).to.match(/^FAQ "payment-methods": added the question/);

      const after = await ask('+8613800002222');
      expect(after.tags).to.include('bot-answered');
      expect(after.events.find((e) => e.type === 'bot_answered')?.after?.entryId).to.equal('payment-methods');

      expect((await gw.api('POST', '/api/v1/faq/entries/payment-methods/paraphrases', { text: '能用数字人民币吗' }, lead)).status).to.equal(409);
      expect((await gw.api('POST', '/api/v1/faq/entries/nope/paraphrases', { text: 'hello' }, lead)).status).to.equal(404);
    });

    it('refuses a queue agent who is no console user, naming the line, and takes them once they exist', async function () {
      const original = (await gw.api('GET', '/api/v1/config/files/routing.yaml', undefined, lead)).body;
      const candidate = original.content.replace(
        '- { id: quality, name: Product quality (PQ) }',
        '- { id: quality, name: Product quality (PQ), agents: [{ id: li.lei, capacity: 8 }] }',
      );
      expect(candidate).to.not.equal(original.content);
      const line = candidate.split('\n').findIndex((l: string) => l.includes('li.lei')) + 1;
      const refused = (await gw.api('POST', '/api/v1/config/files/routing.yaml/check', { content: candidate }, lead)).body;
      expect(refused.ok).to.equal(false);
      expect(refused.problems[0]).to.deep.include({ file: 'routing.yaml', line, field: 'queues.quality.agents' });
      expect(refused.problems[0].reason).to.match(/unknown agent "li\.lei".*gateway user create li\.lei/);
      expect(
        (await gw.api('PUT', '/api/v1/config/files/routing.yaml', { content: candidate, reason: 'staff the quality queue', baseSha256: original.sha256 }, lead))
          .status,
      ).to.equal(400);

      await new UserAccounts(gw.gateway.users, gw.gateway.sessions).create({ username: 'li.lei', role: 'agent', displayName: 'Li Lei' });
      expect((await gw.api('POST', '/api/v1/config/files/routing.yaml/check', { content: candidate }, lead)).body).to.deep.equal({ ok: true, problems: [] });
    });
  });
}
