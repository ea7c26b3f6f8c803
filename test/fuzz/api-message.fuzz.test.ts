import { expect } from 'chai';
import { TEST_DATABASES } from '../support/databases.js';
import { MAX_EVENT_LOOP_STALL_MS, expectJournalDrained, expectSafeResponse, fc, fuzzParams, hostileString, watchEventLoop } from '../support/fuzz.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/** Any JSON value, including the shapes a careless integrator sends instead of a message. */
const anyJson = fc.jsonValue({ maxDepth: 6 });

/** Mostly the well-formed value, sometimes a hostile one: most bodies get past validation, so the pipeline sees hostile content too. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad });

/** A message body that is nearly right: valid fields mixed with hostile values, missing and extra ones. */
const messageBody = fc.record(
  {
    channel: mostly(fc.constantFrom('sms', 'email', 'api', 'webchat', 'wechat', 'voice', 'webform'), hostileString(20)),
    externalId: mostly(fc.uuid(), hostileString(600)),
    receivedAt: mostly(
      fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
      hostileString(40),
    ),
    from: mostly(fc.record({ address: mostly(fc.emailAddress(), hostileString(400)), name: hostileString(300) }, { requiredKeys: ['address'] }), anyJson),
    subject: hostileString(3000),
    text: mostly(fc.constantFrom('快递三天了还没到，订单 DD20261124001', 'The kettle I bought leaks.', '請問怎麼申請退貨？'), hostileString(20_000)),
    threadKey: hostileString(600),
    language: hostileString(20),
    attachments: fc.oneof(
      fc.array(fc.record({ name: hostileString(100), contentType: hostileString(50), size: fc.integer(), ref: hostileString(200) }), { maxLength: 60 }),
      anyJson,
    ),
    meta: mostly(fc.dictionary(hostileString(20), anyJson, { maxKeys: 20 }), anyJson),
  },
  { requiredKeys: ['externalId', 'from', 'text'] },
);

/** Percent-encodes a hostile string; a lone surrogate (which encodeURIComponent refuses) becomes a raw bad escape. */
const urlSegment = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ed%a0%80';
  }
};

for (const db of TEST_DATABASES) {
  describe(`fuzz: POST /api/v1/messages on ${db}`, function () {
    this.timeout(180_000);
    let gw: TestGateway;
    before(async () => (gw = await startTestGateway({ db })));
    after(async () => gw?.stop());

    it('never answers 5xx or internal detail, never stalls the event loop, and processes every message it accepts', async function () {
      const loop = watchEventLoop();
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof({ weight: 4, arbitrary: messageBody }, { weight: 1, arbitrary: anyJson }), async (body) => {
          const res = await gw.api('POST', '/api/v1/messages', JSON.stringify(body));
          expectSafeResponse(res, body);
          expect([202, 400]).to.include(res.status);
          if (res.status === 202) accepted++;
        }),
        fuzzParams(),
      );
      // Raw bodies that are not JSON at all.
      await fc.assert(
        fc.asyncProperty(hostileString(5000), async (raw) => {
          const res = await gw.api('POST', '/api/v1/messages', raw);
          expectSafeResponse(res, raw);
        }),
        fuzzParams(),
      );
      await expectJournalDrained(gw);
      expect(loop.stop()).to.be.below(MAX_EVENT_LOOP_STALL_MS);
      // The generator must reach the accepting path too, or the drain check proves nothing.
      expect(accepted).to.be.above(0);
    });

    it('never answers 5xx to hostile paths and query strings on the queue API', async function () {
      const segment = fc.oneof(
        hostileString(40).map(urlSegment),
        fc.constantFrom('%ff', '%', '%00', '..', '99999999999999999999', '-1', '1.5', 'abc', 'C-20261204-0001'),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(
            '/api/v1/tickets/',
            '/api/v1/customers/',
            '/api/v1/incidents/',
            '/api/v1/messages/',
            '/api/v1/tickets?q=',
            '/api/v1/tickets?cursor=',
            '/api/v1/tickets?limit=',
            '/api/v1/tickets?customer=',
            '/api/v1/incidents?limit=',
            '/t/',
          ),
          segment,
          async (prefix, value) => {
            const res = await gw.api('GET', prefix + value);
            expectSafeResponse(res, prefix + value);
          },
        ),
        fuzzParams(),
      );
    });
  });
}
