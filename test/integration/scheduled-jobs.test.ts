import path from 'node:path';
import { expect } from 'chai';
import { ManualClock } from '../../contracts/clock.js';
import { loadConfig } from '../../config/loader.js';
import { Gateway } from '../../gateway/compose.js';
import { createLogger } from '../../gateway/logger.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, TEST_ADMIN_TOKEN, type TestGateway } from '../support/test-gateway.js';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Several processes share one PostgreSQL (SQLite is one process by design): the timed jobs must run in one of them.
for (const db of TEST_DATABASES.filter((d) => d === 'postgres')) {
  describe(`timed jobs with two gateway processes on one ${db} database`, function () {
    this.timeout(60_000);
    const clock = new ManualClock(Date.now());
    let api: TestGateway;
    const workers: Gateway[] = [];

    before(async function () {
      // One gateway answers the API without workers; two worker processes share its database. Both check SLAs
      // every 50 ms, so both would find the same due warning at once if both ran the timed jobs.
      api = await startTestGateway({ db, clock, workers: false });
      for (const name of ['gateway-b', 'gateway-c']) {
        const config = loadConfig({
          dir: path.resolve('config'),
          env: { DATABASE_URL: api.database.url, GATEWAY_ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' },
        });
        config.gateway.sla.checkIntervalSeconds = 0.05;
        config.gateway.pipeline.pollIntervalMs = 20;
        const gateway = await Gateway.create({ config, workers: true, logger: createLogger('silent'), clock, processName: name });
        await gateway.start(0, '127.0.0.1');
        workers.push(gateway);
      }
    });

    after(async function () {
      for (const gateway of workers) await gateway.stop();
      await api?.stop();
    });

    it('raises a due SLA warning once, from the process holding the job lease, records a breach two processes find at once only once, and hands the jobs over on stop', async function () {
      const posted = await api.api('POST', '/api/v1/messages', {
        channel: 'api',
        externalId: 'sla-once-1',
        from: { address: 'wang@example.com' },
        text: 'The parcel arrived with the box crushed and the vase inside broken',
      });
      expect(posted.status).to.equal(202);
      await api.settle();
      const ticket = await until('the ticket', async () => (await api.gateway.db('tickets').first()) ?? undefined);
      const sla = (await api.gateway.tickets.get(api.gateway.db, Number(ticket.id)))!.sla as { firstResponseWarnAt: number };

      // Exactly one of the two processes holds the timed jobs.
      const holders = [await workers[0]!.jobLease.held(), await workers[1]!.jobLease.held()];
      expect(holders.filter(Boolean), 'processes running the timed jobs').to.have.length(1);

      clock.set(sla.firstResponseWarnAt + 1);
      const warnings = () => api.gateway.db('ticket_events').where({ ticket_id: ticket.id, type: 'sla_warning' });
      await until('the SLA warning', async () => ((await warnings()).length > 0 ? true : undefined));
      // Twenty more check intervals of both processes: still one warning on the timeline.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await warnings(), 'SLA warnings recorded').to.have.length(1);

      // Two processes that find the same ticket due at the same moment (a check running past its lease, say)
      // still record its breach once: the second finds it taken.
      const sla2 = (await api.gateway.tickets.get(api.gateway.db, Number(ticket.id)))!.sla as { firstResponseDueAt: number };
      const [first, second] = await Promise.all(workers.map((w) => w.slaWorker.runDue(sla2.firstResponseDueAt + 1)));
      const breaches = await api.gateway.db('ticket_events').where({ ticket_id: ticket.id, type: 'sla_breach' });
      expect(breaches, 'SLA breaches recorded').to.have.length(1);
      expect(
        [...first!, ...second!].filter((e) => e.kind === 'breach'),
        'breaches raised',
      ).to.have.length(1);

      // The holder stops gracefully: the other process takes the jobs at its next check, not after the lease (2 min).
      const [holder] = workers.splice(holders[0] ? 0 : 1, 1);
      await holder!.stop();
      const other = workers[0]!;
      expect(await other.jobLease.held(), 'the other process takes the jobs over').to.equal(true);
    });
  });
}
