import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { OUTAGE_REPORTS } from '../support/outage-reports.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

const OTHERS = [
  'My parcel is two weeks late.',
  '发票抬头开错了，请重新开。',
  'The blender I received is missing its lid.',
  'I was charged twice for the same order.',
  '快递员把包裹扔在门口，箱子都压扁了。',
  'The hotel room smelled of smoke and nobody would move us.',
  '退款申请提交十天了还没有到账。',
  'The kettle I bought leaks from the bottom.',
  '客服电话打了五次都没人接。',
  'The coupon was not applied at checkout.',
  '外卖少送了一份米饭。',
  'My broadband drops every evening around eight.',
];

if (TEST_DATABASES.includes('postgres')) {
  // Pipeline transactions side by side (lanes here; processes behave alike): they cannot see each other's
  // uncommitted tickets, and none may wait for another's commit to number a ticket or to look for a surge.
  describe('pipeline transactions side by side on PostgreSQL (issue 22)', function () {
    this.timeout(120_000);
    let gw: TestGateway;

    before(async function () {
      gw = await startTestGateway({
        db: 'postgres',
        workers: false,
        tweak: (config) => {
          config.gateway.pipeline.concurrency = 4;
          config.gateway.pipeline.transactionSize = 3;
        },
      });
      // Everything is accepted first, then drained at once: one batch, four transactions at a time.
      const texts = OUTAGE_REPORTS.flatMap((text, i) => [text, OTHERS[i]!]);
      for (const [i, text] of texts.entries()) {
        const res = await gw.api('POST', '/api/v1/messages', { externalId: `side-${i}`, from: { address: `side-${i}@example.com` }, text });
        expect(res.status).to.equal(202);
      }
      await gw.gateway.pipeline.drain();
    });
    after(async function () {
      await gw?.stop();
    });

    it('gives every ticket its own number', async function () {
      const tickets = (await gw.api('GET', '/api/v1/tickets?limit=100')).body.items as Array<{ number: string }>;
      expect(tickets).to.have.length(OUTAGE_REPORTS.length + OTHERS.length);
      expect(new Set(tickets.map((t) => t.number)).size).to.equal(tickets.length);
      for (const t of tickets) expect(t.number).to.match(/^[A-Z]+-\d{8}-\d{4}$/);
    });

    it('makes one incident of one surge, with every member counted', async function () {
      const incidents = (await gw.api('GET', '/api/v1/incidents')).body.items;
      expect(incidents).to.have.length(1);
      expect(incidents[0].ticketCount).to.equal(OUTAGE_REPORTS.length);
      const detail = (await gw.api('GET', `/api/v1/incidents/${incidents[0].id}`)).body;
      expect(detail.tickets).to.have.length(OUTAGE_REPORTS.length);
      expect(detail.tickets.every((t: any) => t.queue === 'crisis' && t.severity === 1)).to.equal(true);
      const inIncident = await gw.gateway.db('tickets').whereNotNull('incident_id').count({ n: '*' }).first();
      expect(Number(inIncident?.n)).to.equal(OUTAGE_REPORTS.length);
    });
  });
}
