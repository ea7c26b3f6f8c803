import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

// Band rows are what an older gateway wrote on PostgreSQL: the gateway now keeps recent tickets' bands in memory
// (test/integration/recent-bands.test.ts) and purges the rows a database upgraded from it still holds.
for (const db of TEST_DATABASES.filter((d) => d === 'postgres')) {
  describe(`LSH band purge on ${db}`, function () {
    let gw: TestGateway;
    before(async function () {
      gw = await startTestGateway({ db });
    });
    after(async function () {
      await gw?.stop();
    });

    it('drops the band rows an older gateway wrote once older than twice the incident window, and keeps recent ones and all signatures', async function () {
      for (const [i, text] of ['The app crashes on start', 'My parcel is late', 'The screen cracked'].entries()) {
        await gw.api('POST', '/api/v1/messages', { externalId: `bp-${i}`, from: { address: `bp${i}@example.com` }, text });
      }
      await gw.settle();
      const rows = async () => Number((await gw.gateway.db('ticket_bands').count({ n: '*' }).first())?.n);
      expect(await rows()).to.equal(0);
      // The 64 rows per ticket an older gateway wrote: one ticket's three hours old, the others' recent.
      const tickets = (await gw.gateway.db('tickets').orderBy('id').select('id')).map((t) => Number(t.id));
      expect(tickets).to.have.length(3);
      for (const [i, id] of tickets.entries()) {
        const at = i === 0 ? Date.now() - 3 * 60 * 60_000 : Date.now();
        await gw.gateway.db('ticket_bands').insert(Array.from({ length: 64 }, (_, b) => ({ band: `b${b}:${id}`, ticket_id: id, created_at: at })));
      }

      expect(await gw.gateway.bandPurge.run()).to.equal(64);
      expect(await rows()).to.equal(128);
      expect(Number((await gw.gateway.db('ticket_signatures').count({ n: '*' }).first())?.n)).to.equal(3);
    });
  });
}
