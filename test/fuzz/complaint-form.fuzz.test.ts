import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { MAX_EVENT_LOOP_STALL_MS, expectJournalDrained, expectNo5xx, fc, fuzzParams, hostileString, watchEventLoop } from '../support/fuzz.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** Form fields as a browser (or a bot posting to the form) would send them. */
const formFields = fc.record(
  {
    name: fc.oneof(fc.constantFrom('王芳', 'Li Na'), hostileString(200)),
    contact: fc.oneof(fc.emailAddress(), fc.constantFrom('13800138000', '+86 138 0013 8000'), hostileString(400)),
    order: hostileString(80),
    text: fc.oneof(fc.constantFrom('快递三天了还没到', 'The kettle I bought leaks.'), hostileString(12_000)),
    nonce: fc.oneof(fc.uuid(), hostileString(100)),
    lang: fc.oneof(fc.constantFrom('zh', 'en'), hostileString(10)),
  },
  { requiredKeys: [] },
);

for (const db of TEST_DATABASES) {
  describe(`fuzz: the public complaint form on ${db}`, function () {
    this.timeout(180_000);
    let gw: TestGateway;
    // No per-IP limit in the way: the fuzzer is one client.
    before(async () => (gw = await startTestGateway({ db, tweak: (c) => (c.gateway.form.rateLimit.max = 100_000) })));
    after(async () => gw?.stop());

    it('answers every submission with a page (never 5xx), escapes what was typed, stalls nothing and processes every accepted complaint', async function () {
      const loop = watchEventLoop();
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(formFields, async (fields) => {
          const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
          const res = await fetch(`${gw.url}/complaint`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
          const page = await res.text();
          expectNo5xx(res, fields);
          // 413: the form's body limit (64 KB) is smaller than what a hostile client can type.
          expect([202, 400, 413]).to.include(res.status);
          expect(page, 'typed markup is escaped').not.to.include('<script>alert(1)</script>');
          if (res.status === 202) accepted++;
        }),
        fuzzParams(),
      );
      // Bodies that are not a well-formed form at all.
      await fc.assert(
        fc.asyncProperty(
          hostileString(3000),
          fc.constantFrom('application/x-www-form-urlencoded', 'text/plain', 'application/json', 'multipart/form-data'),
          async (raw, type) => {
            const res = await fetch(`${gw.url}/complaint`, { method: 'POST', headers: { 'content-type': type }, body: raw });
            await res.text();
            expectNo5xx(res, raw);
          },
        ),
        fuzzParams(),
      );
      await expectJournalDrained(gw);
      expect(loop.stop()).to.be.below(MAX_EVENT_LOOP_STALL_MS);
      expect(accepted).to.be.above(0);
    });
  });
}
