import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

function copyConfig(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-routing-'));
  cpSync('config', dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  return dir;
}

/** Inserts a rule at the top of routing.yaml's rule list. */
function withFirstRule(routingYaml: string, ruleYaml: string): string {
  return routingYaml.replace(/^rules:\s*\n/m, (m) => `${m}${ruleYaml}`);
}

const CHARGEBACK_RULE = `  - id: chargeback-to-legal
    description: Chargeback threats go to legal
    when: { keywords: [chargeback] }
    then: { queue: legal, priority: urgent, stop: true }
`;

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

for (const db of TEST_DATABASES) {
  describe(`routing rules and SLA in the running gateway on ${db}`, function () {
    let gw: TestGateway;
    let dir: string;
    let logLines: string[];
    const sms = () => new FakeAdapter('sms');

    beforeEach(async function () {
      dir = copyConfig();
      logLines = [];
      gw = await startTestGateway({ db, configDir: dir, adapters: [sms()], logLines });
    });

    afterEach(async function () {
      await gw?.stop();
    });

    const post = (id: string, text: string) =>
      gw.api('POST', '/api/v1/messages', {
        channel: 'sms',
        externalId: id,
        from: { address: `+1415555${String(Math.abs(hash(id)) % 10000).padStart(4, '0')}` },
        text,
      });
    const ticketOf = async (journalId: string) => {
      await gw.settle();
      const m = await gw.api('GET', `/api/v1/messages/${journalId}`);
      return (await gw.api('GET', `/api/v1/tickets/${m.body.ticket.id}`)).body;
    };

    it('applies a valid routing.yaml edit within 2 s and refuses a broken one, keeping the old rules', async function () {
      const before = await ticketOf((await post('r1', 'I will file a chargeback with my bank')).body.id);
      expect(before.queue).to.not.equal('legal');
      const v1 = (await gw.api('GET', '/api/v1/config')).body.version;

      const file = path.join(dir, 'routing.yaml');
      const original = readFileSync(file, 'utf8');
      const started = Date.now();
      writeFileSync(file, withFirstRule(original, CHARGEBACK_RULE));
      const v2 = await until(
        'the reload',
        async () => {
          const v = (await gw.api('GET', '/api/v1/config')).body.version;
          return v !== v1 ? v : undefined;
        },
        2000,
      );
      expect(Date.now() - started).to.be.lessThan(2000);

      const after = await ticketOf((await post('r2', 'I will file a chargeback with my bank')).body.id);
      expect(after).to.include({ queue: 'legal', priority: 'urgent' });
      expect(after.understanding.route.fired.map((f: any) => f.ruleId)).to.deep.equal(['chargeback-to-legal']);

      // A broken edit: an unknown priority in the new rule.
      writeFileSync(file, withFirstRule(original, CHARGEBACK_RULE.replace('priority: urgent', 'priority: sky-high')));
      const refusal = await until('the refusal log line', async () => logLines.find((l) => l.includes('config edit refused')), 2000);
      expect(refusal).to.match(/routing\.yaml:\d+ rules\[0\]\.then\.priority/);
      expect(refusal).to.include('chargeback-to-legal');
      expect((await gw.api('GET', '/api/v1/config')).body.version).to.equal(v2);
      const still = await ticketOf((await post('r3', 'chargeback incoming')).body.id);
      expect(still.queue, 'the last good rules keep running').to.equal('legal');
    });

    it('assigns round robin within a queue, skipping agents at capacity', async function () {
      const file = path.join(dir, 'routing.yaml');
      let yaml = readFileSync(file, 'utf8');
      yaml = withFirstRule(
        yaml,
        `  - id: refunds-round-robin
    description: Refund requests to the refunds team in turn
    when: { keywords: [refund] }
    then: { queue: general, assign: { roundRobin: general }, stop: true }
`,
      );
      yaml = yaml.replace('- { id: general, name: General }', '- { id: general, name: General, agents: [{ id: amy, capacity: 1 }, { id: bo, capacity: 5 }] }');
      expect(yaml).to.include('id: amy');
      writeFileSync(file, yaml);
      expect(gw.gateway.reloadConfig().problems).to.equal(undefined);

      const assignees: string[] = [];
      for (let i = 0; i < 4; i++) assignees.push((await ticketOf((await post(`rr${i}`, `please refund order ${i}`)).body.id)).assignee);
      // amy takes one ticket (capacity 1), then bo takes the rest.
      expect(assignees).to.deep.equal(['amy', 'bo', 'bo', 'bo']);
    });

    it('warns at 80%, breaches and escalates on a fake clock, and pauses while waiting on the customer', async function () {
      const t = await ticketOf((await post('s1', 'The parcel arrived with the box crushed and the vase inside broken')).body.id);
      const sla = (await gw.gateway.tickets.get(gw.gateway.db, t.id))!.sla as any;
      expect(sla.firstResponseWarnAt).to.be.lessThan(sla.firstResponseDueAt);
      expect(t.firstResponseDueAt).to.equal(new Date(sla.firstResponseDueAt).toISOString());

      expect(await gw.gateway.slaWorker.runDue(sla.firstResponseWarnAt - 1)).to.deep.equal([]);
      const warned = await gw.gateway.slaWorker.runDue(sla.firstResponseWarnAt + 1);
      expect(warned).to.deep.include({ ticketId: t.id, kind: 'warning', target: 'firstResponse' });
      expect(await gw.gateway.slaWorker.runDue(sla.firstResponseWarnAt + 2), 'a warning fires once').to.deep.equal([]);

      const breached = await gw.gateway.slaWorker.runDue(sla.firstResponseDueAt + 1);
      expect(breached).to.deep.include({ ticketId: t.id, kind: 'breach', target: 'firstResponse' });
      const detail = (await gw.api('GET', `/api/v1/tickets/${t.id}`)).body;
      expect(detail.queue).to.equal('supervisors');
      expect(detail.priority).to.equal('high');
      expect(detail.events.map((e: any) => e.type)).to.include.members(['sla_warning', 'sla_breach', 'escalated', 'notified']);

      // Waiting on the customer stops the resolution clock: nothing fires however late it gets.
      await gw.api('PATCH', `/api/v1/tickets/${t.id}`, { status: 'pending_customer' });
      const paused = (await gw.gateway.tickets.get(gw.gateway.db, t.id))!;
      expect((paused.sla as any).pausedAt).to.be.a('number');
      expect(paused.slaNextCheckAt).to.equal(null);
      expect(await gw.gateway.slaWorker.runDue((paused.sla as any).resolutionDueAt + 86_400_000)).to.deep.equal([]);

      // The customer answers: the clock runs again and the due time moved out.
      await post('s1-answer', `Re ${t.number}: here is the photo you asked for`);
      await gw.settle();
      const resumed = (await gw.gateway.tickets.get(gw.gateway.db, t.id))!;
      expect(resumed.status).to.equal('open');
      expect((resumed.sla as any).pausedAt).to.equal(undefined);
      expect((resumed.sla as any).resolutionDueAt).to.be.at.least((paused.sla as any).resolutionDueAt);
      expect(resumed.slaNextCheckAt).to.be.a('number');
    });

    it('counts rule hits and SLA events in /metrics', async function () {
      await post('m1', 'The parcel arrived with the box crushed');
      await gw.settle();
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      expect(text).to.match(/gateway_routing_rule_hits_total\{rule="[a-z0-9-]+"\} 1/);
      expect(text).to.include('gateway_sla_events_total');
    });
  });
}

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
