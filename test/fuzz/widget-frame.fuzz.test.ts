import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { MAX_EVENT_LOOP_STALL_MS, expectJournalDrained, fc, fuzzParams, hostileString, watchEventLoop } from '../support/fuzz.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { WidgetClient } from '../integration/webchat/widget-client.js';

/** Frames the widget protocol knows, with hostile values, plus anything else JSON can be. */
const frame = fc
  .oneof(
    fc.record(
      { type: fc.constant('hello'), token: fc.oneof(hostileString(300), fc.jsonValue({ maxDepth: 3 })), lang: hostileString(10) },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      {
        type: fc.constant('message'),
        clientId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), hostileString(100)),
        text: fc.oneof(fc.constantFrom('快递三天了还没到', 'The kettle leaks.'), hostileString(5000)),
        profile: fc.oneof(
          fc.record({ name: hostileString(200), contact: hostileString(400), order: hostileString(100) }, { requiredKeys: [] }),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        lang: hostileString(10),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('sync') }),
    fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v)),
    hostileString(2000),
  )
  .map((f) => (typeof f === 'string' ? f : JSON.stringify(f)))
  // Frames over the socket's 32 KB limit close the socket by design (tested below), not answered.
  .filter((f) => Buffer.byteLength(f) < 32 * 1024);

for (const db of TEST_DATABASES) {
  describe(`fuzz: web chat widget frames on ${db}`, function () {
    this.timeout(180_000);
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway({ db })));
    after(async () => gw?.stop());

    it('answers every frame without closing the socket or the process, stalls nothing and processes every accepted message', async function () {
      const loop = watchEventLoop();
      const client = await WidgetClient.open(gw.url);
      try {
        await client.hello();
        await fc.assert(
          fc.asyncProperty(frame, async (f) => {
            const before = client.events.length;
            client.send(f);
            // Every frame gets an answer (error, accepted, session or history) on a socket that stays open.
            await client.next(() => true, 5_000, before);
            expect(client.socket.readyState, 'socket still open').to.equal(client.socket.OPEN);
          }),
          fuzzParams(),
        );
      } finally {
        client.close();
      }
      await expectJournalDrained(gw);
      expect(loop.stop()).to.be.below(MAX_EVENT_LOOP_STALL_MS);
      expect((await gw.api('GET', '/healthz')).status).to.equal(200);
    });

    it('closes only the socket that sends a frame over 32 KB (1009), and keeps serving everyone else', async function () {
      const bystander = await WidgetClient.open(gw.url);
      const sender = await WidgetClient.open(gw.url);
      try {
        await bystander.hello();
        const closed = new Promise<number>((resolve) => sender.socket.once('close', (code) => resolve(code)));
        sender.send(JSON.stringify({ type: 'message', clientId: 'c-oversized', text: 'x'.repeat(40_000) }));
        expect(await closed).to.equal(1009);
        bystander.send({ type: 'message', clientId: 'c-bystander-1', text: 'My order never arrived.' });
        await bystander.next((e) => e.type === 'accepted' && e.clientId === 'c-bystander-1');
      } finally {
        bystander.close();
        sender.close();
      }
    });
  });
}
