import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * A ticket whose last message is older than the dedupe window comes back to life when the customer quotes its
 * number; the customer's next message about the same problem joins it, whether the pipeline writes the two in one
 * transaction or in two.
 */
for (const db of TEST_DATABASES) {
  describe(`a revived ticket within one pipeline transaction on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let sms: FakeAdapter;

    beforeEach(async function () {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({ db, adapters: [sms], workers: false });
    });
    afterEach(async function () {
      await gw?.stop();
    });

    for (const oneTransaction of [true, false]) {
      it(`joins the second message to the ticket the first one revived (${oneTransaction ? 'one transaction' : 'two'})`, async function () {
        const phone = '+8613900002201';
        const LEAK = '我买的电水壶用了两天就漏水了，要求换货。';
        await sms.receive({ from: { address: phone }, text: LEAK });
        await gw.gateway.pipeline.drain();
        const ticket = await gw.gateway.db('tickets').first('id', 'number');
        // Its last message ten days ago: outside the 7-day window.
        const tenDaysAgo = Date.now() - 10 * 86_400_000;
        await gw.gateway.db('tickets').where({ id: ticket.id }).update({ last_message_at: tenDaysAgo, created_at: tenDaysAgo });

        // The number quoted, then the same problem again without it.
        await sms.receive({ from: { address: phone }, text: `关于${ticket.number}，还是没有人处理` });
        if (!oneTransaction) await gw.gateway.pipeline.drain();
        await sms.receive({ from: { address: phone }, text: `${LEAK}请尽快处理` });
        await gw.gateway.pipeline.drain();

        const tickets = await gw.gateway.db('tickets').select('id', 'message_count');
        expect(tickets.map((t) => [Number(t.id), Number(t.message_count)])).to.deep.equal([[Number(ticket.id), 3]]);
      });
    }
  });
}
