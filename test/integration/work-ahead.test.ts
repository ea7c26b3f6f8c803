import { expect } from 'chai';
import { FakeAdapter } from '../../adapters/fake/fake.adapter.js';
import { NlpServices } from '../../gateway/nlp-services.js';
import { TEST_DATABASES } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The pipeline computes a batch's NLP ahead, while the database works on earlier messages, but classifies only the
 * messages it expects to open a ticket: a follow-up from a customer whose ticket is open, or a sender's second message
 * in the batch, joins a ticket and never needs a category. A wrong guess is classified when it turns out to open one.
 */
for (const db of TEST_DATABASES) {
  describe(`work done ahead of a pipeline batch on ${db}`, function () {
    this.timeout(60_000);
    let gw: TestGateway;
    let sms: FakeAdapter;
    const understood: string[] = [];
    const understand = NlpServices.prototype.understand;

    before(function () {
      NlpServices.prototype.understand = function (this: NlpServices, input) {
        understood.push(input.text);
        return understand.call(this, input);
      };
    });
    after(function () {
      NlpServices.prototype.understand = understand;
    });
    beforeEach(async function () {
      sms = new FakeAdapter('sms');
      gw = await startTestGateway({ db, adapters: [sms], workers: false });
      understood.length = 0;
    });
    afterEach(async function () {
      await gw?.stop();
    });

    const LEAK = '我买的电水壶用了两天就漏水了，要求换货。';
    const LATE = '快递一直没送到，已经等了五天了，怎么回事？';
    const ticketsOf = async (phone: string) =>
      gw.gateway
        .db('tickets as t')
        .join('customer_identities as i', 'i.customer_id', 't.customer_id')
        .where({ 'i.kind': 'phone', 'i.value': phone })
        .orderBy('t.id')
        .select('t.id', 't.category', 't.message_count');

    it('classifies the messages that open tickets, not the follow-ups, and the tickets come out as before', async function () {
      await sms.receive({ from: { address: '+8613900000001' }, text: LEAK });
      await gw.gateway.pipeline.drain();
      understood.length = 0;

      // One batch: A writes again about their open ticket; B writes twice, new.
      await sms.receive({ from: { address: '+8613900000001' }, text: `${LEAK}到底什么时候处理？` });
      await sms.receive({ from: { address: '+8613900000002' }, text: LATE });
      await sms.receive({ from: { address: '+8613900000002' }, text: `${LATE}请尽快回复` });
      await gw.gateway.pipeline.drain();

      expect(understood).to.deep.equal([LATE]);
      const a = await ticketsOf('+8613900000001');
      expect(a.map((t) => [t.category, Number(t.message_count)])).to.deep.equal([['PQ', 2]]);
      const b = await ticketsOf('+8613900000002');
      expect(b.map((t) => [t.category, Number(t.message_count)])).to.deep.equal([['LG', 2]]);
    });

    it('classifies on the spot a message it expected to join a ticket that opens a new one instead', async function () {
      await sms.receive({ from: { address: '+8613900000003' }, text: LEAK });
      await gw.gateway.pipeline.drain();
      understood.length = 0;

      // One batch (a lone message is prepared whole, without a guess): C, whose ticket is open, writes about
      // something else; D is new.
      const RUDE = '客服态度太差了，问了三遍都不理人。';
      await sms.receive({ from: { address: '+8613900000003' }, text: LATE });
      await sms.receive({ from: { address: '+8613900000004' }, text: RUDE });
      await gw.gateway.pipeline.drain();

      expect([...understood].sort()).to.deep.equal([LATE, RUDE].sort());
      const tickets = await ticketsOf('+8613900000003');
      expect(tickets.map((t) => t.category)).to.deep.equal(['PQ', 'LG']);
      expect((await ticketsOf('+8613900000004')).map((t) => t.category)).to.deep.equal(['SP']);
    });
  });
}
