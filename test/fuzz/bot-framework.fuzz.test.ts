import { expect } from 'chai';
import nock from 'nock';
import { TEST_DATABASES } from '../support/databases.js';
import { MAX_EVENT_LOOP_STALL_MS, expectJournalDrained, expectSafeResponse, fc, fuzzParams, hostileString, watchEventLoop } from '../support/fuzz.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * POST /api/messages (Bot Framework, no app id: anyone can post) with generated activities.
 * The Bot Connector hosts replies may go to are stood in for by nock; any other outbound
 * request (the activity's own serviceUrl pointing inside the network…) is a failure.
 */

/** Microsoft hosts on the default allow-list, answered by nock. */
const CONNECTORS = ['https://smba.trafficmanager.net', 'https://webchat.botframework.com', 'https://directline.botframework.com'];
/** Where a forged serviceUrl tries to make the gateway call; nock traps them to count hits. */
const INTERNAL = ['http://127.0.0.1:5432', 'http://169.254.169.254', 'http://10.0.0.1', 'http://localhost:3978'];

const anyJson = fc.jsonValue({ maxDepth: 6 });
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad });
/** Sometimes absent: a key whose value is undefined is dropped by JSON.stringify. */
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 4 });

const serviceUrl = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('https://smba.trafficmanager.net/apac/', 'https://webchat.botframework.com/', 'https://directline.botframework.com/'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'http://127.0.0.1:5432/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1',
      'http://localhost:3978',
      'http://[::1]:6379/',
      'http://2130706433/',
      'http://0x7f.1/',
      'https://webchat.botframework.com@127.0.0.1/',
      'https://webchat.botframework.com.attacker.example/',
      'https://attacker.trafficmanager.net/',
      'https://smba.trafficmanager.net:8443/',
      'http://smba.trafficmanager.net/',
      'file:///etc/passwd',
      'gopher://127.0.0.1:6379/_INFO',
      'javascript:alert(1)',
      '//169.254.169.254/',
    ),
  },
  { weight: 1, arbitrary: fc.webUrl() },
  { weight: 1, arbitrary: hostileString(300) },
  { weight: 1, arbitrary: anyJson },
);

const activityType = fc.oneof(
  { weight: 5, arbitrary: fc.constant('message') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'typing',
      'conversationUpdate',
      'invoke',
      'event',
      'messageReaction',
      'endOfConversation',
      'installationUpdate',
      'trace',
      'handoff',
      'deleteUserData',
      'messageUpdate',
      'messageDelete',
    ),
  },
  { weight: 1, arbitrary: hostileString(30) },
);

const account = fc.record(
  {
    id: mostly(fc.oneof(fc.uuid(), fc.constantFrom('29:1kqW8d2nXhZ-3QmTxYlP0oVb6sE9rA4cU7fJ5gH1iK2L')), hostileString(400)),
    name: hostileString(300),
    aadObjectId: mostly(fc.uuid(), hostileString(60)),
    role: fc.constantFrom('user', 'bot', 'skill'),
  },
  { requiredKeys: ['id'] },
);

const activity = fc.record(
  {
    type: activityType,
    id: maybe(mostly(fc.uuid(), fc.oneof(hostileString(400), anyJson))),
    timestamp: maybe(
      mostly(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        fc.oneof(hostileString(40), anyJson),
      ),
    ),
    serviceUrl: maybe(serviceUrl),
    channelId: maybe(mostly(fc.constantFrom('msteams', 'webchat', 'directline', 'emulator'), hostileString(80))),
    from: maybe(mostly(account, anyJson)),
    recipient: maybe(mostly(account, anyJson)),
    conversation: maybe(
      mostly(
        fc.record(
          {
            id: mostly(fc.uuid(), hostileString(400)),
            conversationType: fc.constantFrom('personal', 'channel', 'groupChat'),
            tenantId: fc.uuid(),
            isGroup: fc.boolean(),
          },
          { requiredKeys: ['id'] },
        ),
        anyJson,
      ),
    ),
    text: maybe(
      mostly(
        fc.constantFrom('快递三天了还没到，订单 DD20261124001', 'The kettle I bought leaks.', '請問怎麼申請退貨？'),
        fc.oneof(hostileString(20_000), anyJson),
      ),
    ),
    locale: maybe(mostly(fc.constantFrom('zh-CN', 'zh-TW', 'en-US'), hostileString(40))),
    deliveryMode: maybe(fc.oneof(fc.constantFrom('expectReplies', 'normal'), hostileString(20))),
    attachments: maybe(
      fc.oneof(
        fc.array(fc.record({ contentType: hostileString(60), contentUrl: mostly(fc.webUrl(), hostileString(5000)), name: hostileString(300) }), {
          maxLength: 60,
        }),
        anyJson,
      ),
    ),
    channelData: maybe(anyJson),
    entities: maybe(anyJson),
  },
  { requiredKeys: ['type'] },
);

/**
 * A message that gets past the envelope checks (a Microsoft serviceUrl, string ids) with hostile
 * content, so the bot, the sink, the pipeline and the reply through the connector see it too.
 */
const plausibleMessage = fc.record(
  {
    type: fc.constant('message'),
    id: mostly(fc.uuid(), hostileString(200)),
    timestamp: maybe(
      mostly(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
        hostileString(40),
      ),
    ),
    serviceUrl: fc.constantFrom(...CONNECTORS.map((origin) => `${origin}/`), 'https://smba.trafficmanager.net/apac/'),
    channelId: mostly(fc.constantFrom('msteams', 'webchat', 'directline'), hostileString(30)),
    from: fc.record({ id: mostly(fc.uuid(), hostileString(200)), name: maybe(hostileString(300)), aadObjectId: maybe(fc.uuid()) }),
    recipient: maybe(fc.record({ id: mostly(fc.uuid(), hostileString(300)), name: hostileString(50) })),
    conversation: fc.record({
      id: mostly(fc.uuid(), hostileString(150)),
      conversationType: maybe(fc.constantFrom('personal', 'channel')),
      tenantId: maybe(fc.uuid()),
    }),
    text: mostly(fc.constantFrom('快递三天了还没到，订单 DD20261124001', 'The kettle I bought leaks.', '請問怎麼申請退貨？'), hostileString(20_000)),
    locale: maybe(mostly(fc.constantFrom('zh-CN', 'zh-TW', 'en-US'), hostileString(40))),
    deliveryMode: maybe(fc.constantFrom('expectReplies', 'normal')),
    attachments: maybe(
      fc.array(fc.record({ contentType: hostileString(300), contentUrl: mostly(fc.webUrl(), hostileString(5000)), name: hostileString(600) }), {
        maxLength: 60,
      }),
    ),
    channelData: maybe(anyJson),
  },
  { requiredKeys: ['type', 'serviceUrl', 'from', 'conversation', 'text'] },
);

/** JSON nested far deeper than any real activity, inside an otherwise plausible message (stays under the 1 MB body limit). */
const deepActivity = fc
  .tuple(fc.integer({ min: 100, max: 200_000 }), fc.constantFrom('channelData', 'from', 'conversation', 'text', 'attachments'))
  .map(([depth, field]) => {
    const base = {
      type: 'message',
      id: `deep-${depth}`,
      serviceUrl: 'https://webchat.botframework.com/',
      channelId: 'webchat',
      from: { id: 'u1' },
      conversation: { id: 'c-deep' },
      text: 'deep',
    } as Record<string, unknown>;
    const head = JSON.stringify({ ...base, [field]: '__DEEP__' });
    return head.replace('"__DEEP__"', '['.repeat(depth) + ']'.repeat(depth));
  });

/** Bodies that are not an activity at all. */
const rawBody = fc.oneof(
  hostileString(5000),
  anyJson.map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{',
    '{"type":',
    'null',
    '[]',
    '"message"',
    '{"type":"message"',
    '\u0000',
    '{"__proto__":{"type":"message"}}',
    '{"constructor":{"prototype":{"x":1}}}',
  ),
);

for (const db of TEST_DATABASES) {
  describe(`fuzz: POST /api/messages (Bot Framework) on ${db}`, function () {
    // Three properties, each stopped by fuzzParams after 120 s at most, plus the drain.
    this.timeout(480_000);
    let gw: TestGateway;
    const unexpected: string[] = [];
    const internalHits: string[] = [];
    const delivered: string[] = [];
    const recordUnexpected = (req: { hostname?: string; host?: string; port?: string | number; path?: string }) =>
      unexpected.push(`${req.hostname ?? req.host}:${req.port ?? ''}${(req.path ?? '').slice(0, 80)}`);

    before(async function () {
      nock.disableNetConnect();
      nock.emitter.on('no match', recordUnexpected);
      for (const origin of CONNECTORS) {
        nock(origin)
          .persist()
          .post(/.*/)
          .reply(200, (uri) => (delivered.push(origin + uri), { id: `sent-${delivered.length}` }));
      }
      for (const origin of INTERNAL) {
        for (const method of ['GET', 'POST', 'PUT']) {
          nock(origin)
            .persist()
            .intercept(/.*/, method)
            .reply(200, (uri) => (internalHits.push(`${method} ${origin}${uri}`), {}));
        }
      }
      // expectReplies turns wait for the acknowledgement: keep that wait short so the runs stay bounded.
      gw = await startTestGateway({ db, env: { WEBCHAT_EXPECT_REPLIES_WAIT_MS: '100' } });
    });
    after(async function () {
      await gw?.stop();
      nock.emitter.removeListener('no match', recordUnexpected);
      nock.cleanAll();
      nock.enableNetConnect();
    });

    const post = async (body: string, contentType = 'application/json') => {
      const res = await fetch(`${gw.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed };
    };

    it('never answers 5xx or internal detail, never stalls, processes what it accepts and calls only Bot Connector hosts', async function () {
      const loop = watchEventLoop();
      await fc.assert(
        fc.asyncProperty(fc.oneof(plausibleMessage, activity), async (a) => {
          const res = await post(JSON.stringify(a));
          expectSafeResponse(res, a);
        }),
        fuzzParams(),
      );
      await fc.assert(
        fc.asyncProperty(deepActivity, async (body) => {
          const res = await post(body);
          expectSafeResponse(res, body.slice(0, 200));
        }),
        fuzzParams(),
      );
      await fc.assert(
        fc.asyncProperty(
          rawBody,
          fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16'),
          async (body, contentType) => {
            const res = await post(body, contentType);
            expectSafeResponse(res, body);
          },
        ),
        fuzzParams(),
      );
      await expectJournalDrained(gw);
      expect(loop.stop()).to.be.below(MAX_EVENT_LOOP_STALL_MS);

      // The generators must reach the recording path, or the drain check proves nothing.
      const journaled = await gw.gateway.db('intake_journal').where('channel', 'webchat').count({ n: '*' }).first();
      expect(Number(journaled?.n), 'messages journaled').to.be.above(0);
      expect(delivered.length, 'replies sent to Bot Connector hosts').to.be.above(0);
      expect(internalHits, 'requests to internal addresses').to.deep.equal([]);
      expect(unexpected, 'requests to hosts off the allow-list').to.deep.equal([]);
    });
  });
}
