import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

// Band rows are PostgreSQL's: SQLite keeps recent tickets' bands in memory (test/integration/recent-bands.test.ts).
for (const db of TEST_DATABASES.filter((d) => d === 'postgres')) {
  describe(`LSH band purge on ${db}`, function () {
    let gw: TestGateway;
    before(async function () {
      gw = await startTestGateway({ db });
    });
    after(async function () {
      await gw?.stop();
    });

    it('drops band rows older than twice the incident window and keeps recent ones and all signatures', async function () {
      for (const [i, text] of ['The app crashes on start', 'My parcel is late', 'The screen cracked'].entries()) {
        await gw.api('POST', '/api/v1/messages', { externalId: `bp-${i}`, from: { address: `bp${i}@example.com` }, text });
      }
      await gw.settle();
      const rows = async () => Number((await gw.gateway.db('ticket_bands').count({ n: '*' }).first())?.n);
      const before = await rows();
      expect(before).to.be.greaterThan(0);
      // Age one ticket's bands past the window.
      const [oldTicket] = await gw.gateway.db('ticket_bands').distinct('ticket_id').limit(1);
      await gw.gateway
        .db('ticket_bands')
        .where('ticket_id', oldTicket.ticket_id)
        .update({ created_at: Date.now() - 3 * 60 * 60_000 });
      const aged = Number((await gw.gateway.db('ticket_bands').where('ticket_id', oldTicket.ticket_id).count({ n: '*' }).first())?.n);

      expect(await gw.gateway.bandPurge.run()).to.equal(aged);
      expect(await rows()).to.equal(before - aged);
      expect(Number((await gw.gateway.db('ticket_signatures').count({ n: '*' }).first())?.n)).to.equal(3);
    });
  });
}
