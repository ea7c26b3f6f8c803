import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import nock from 'nock';
import { pino, type Logger } from 'pino';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { activityToInbound, BotFrameworkChannel, ReplyWaiters, WebchatBot } from '../../../../adapters/webchat/bot-framework.js';
import { PermanentDeliveryError, type InboundMessage, type InboundSink, type OutboundMessage } from '../../../../adapters/types.js';
import type { AdapterStateStore } from '../../../../contracts/adapter-state.js';
import { webchatConfigFromEnv } from '../../../../config/channels/webchat.schema.js';
import { MAX_EVENT_LOOP_STALL_MS, watchEventLoop } from '../../../support/fuzz.js';

const logger = pino({ level: 'silent' });
const fixture = (name: string) => JSON.parse(readFileSync(path.resolve('test/fixtures/webchat', name), 'utf8'));

function memoryState(): AdapterStateStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: async <T>(k: string) => data.get(k) as T | undefined, set: async (k, v) => void data.set(k, structuredClone(v)) };
}

function collectingSink(onAppend?: (m: InboundMessage) => void): InboundSink & { messages: InboundMessage[] } {
  const messages: InboundMessage[] = [];
  const sink = async (m: InboundMessage) => {
    messages.push(m);
    onAppend?.(m);
    return { id: String(messages.length), duplicate: false };
  };
  return Object.assign(sink, { messages });
}

/** A stand-in for the Bot Connector service (what serviceUrl points at): records what the bot posts. */
async function startConnector(status = 200) {
  const posts: Array<{ path: string; body: any; auth?: string }> = [];
  const app = express();
  app.use(express.json());
  app.post(/^\/v3\/conversations\/.+\/activities(\/.+)?$/, (req, res) => {
    posts.push({ path: decodeURIComponent(req.path), body: req.body, auth: req.get('authorization') });
    if (status !== 200)
      return void res.status(status).json({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
    res.json({ id: `sent-${posts.length}` });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  return { posts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

describe('web chat: Bot Framework activities', function () {
  it('turns an Emulator message into an InboundMessage keyed by conversation, with the reference to answer it', function () {
    const activity = fixture('emulator-message.json');
    const m = activityToInbound(activity)!;
    expect(m).to.deep.include({
      channel: 'webchat',
      externalId: '0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat|1a2b3c40-c7d2-11f0-8f1e-6d5e4c3b2a10',
      receivedAt: '2026-11-24T08:15:30.123Z',
      from: { address: 'emulator:5e1b7c2a-3d84-4c1e-9f2b-6a7d8e9f0a1b', name: 'User' },
      to: '7c3f0a12-8b4e-4d2a-a1c9-0e5f6d7c8b9a',
      threadKey: '0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat',
      text: '我昨天买的电水壶一插电就跳闸，订单号 SO-20261124-77，要求退货。',
      language: 'zh-Hans',
      attachments: [],
    });
    expect(m.meta).to.include({ via: 'botframework', channelId: 'emulator' });
    expect(m.meta.conversationReference).to.deep.include({
      serviceUrl: 'http://localhost:53412',
      channelId: 'emulator',
      conversation: { id: '0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat' },
    });
  });

  it('keeps a Teams user’s AAD id and qualifies Teams’ timestamp ids with the conversation', function () {
    const m = activityToInbound(fixture('teams-message.json'))!;
    expect(m.externalId).to.equal('a:1Xy9Zt8Ws7Vu6Tr5Qp4On3Ml2Kk1Jj0Ih-Gg9Ff8Ee7Dd6Cc5Bb4Aa3|1763952067405');
    expect(m.from).to.deep.equal({ address: 'msteams:29:1kqW8d2nXhZ-3QmTxYlP0oVb6sE9rA4cU7fJ5gH1iK2L', name: 'Chen Jing' });
    expect(m.language).to.equal('en');
    expect(m.meta.aadObjectId).to.equal('6b9f3c2e-1a4d-4e8f-9b7c-5d2a0e3f1c8b');
    // The HTML copy Teams attaches inline is not a file: nothing to store.
    expect(m.attachments).to.deep.equal([]);
  });

  it('records nothing for typing, conversation updates and empty messages; keeps file attachments', function () {
    const base = fixture('emulator-message.json');
    expect(activityToInbound({ ...base, type: 'typing' })).to.equal(undefined);
    expect(activityToInbound({ ...base, type: 'conversationUpdate' })).to.equal(undefined);
    expect(activityToInbound({ ...base, text: '   ' })).to.equal(undefined);
    const withPhoto = activityToInbound({
      ...base,
      text: '',
      attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://example.test/kettle.jpg', name: 'kettle.jpg' }],
    })!;
    expect(withPhoto.attachments).to.deep.equal([{ name: 'kettle.jpg', contentType: 'image/jpeg', size: 0, ref: 'https://example.test/kettle.jpg' }]);
    expect(activityToInbound({ ...base, locale: 'zh-TW' })!.language).to.equal('zh-Hant');
  });

  it('keeps the client’s localTimezone as meta.timeZone (quiet hours are the customer’s night), and drops one that is no zone name', function () {
    const base = fixture('emulator-message.json');
    expect(activityToInbound({ ...base, localTimezone: 'Europe/London' })!.meta.timeZone).to.equal('Europe/London');
    expect(activityToInbound({ ...base, localTimezone: 'America/Argentina/Buenos_Aires' })!.meta.timeZone).to.equal('America/Argentina/Buenos_Aires');
    for (const bad of ['<script>', '../../etc/passwd', 'x'.repeat(80), 42])
      expect(activityToInbound({ ...base, localTimezone: bad as string })!.meta).to.not.have.property('timeZone');
  });
});

describe('web chat: the bot through botbuilder’s TestAdapter', function () {
  it('journals the message, keeps the conversation reference and shows a typing indicator', async function () {
    const sink = collectingSink();
    const state = memoryState();
    const bot = new WebchatBot({ sink: () => sink, state, waiters: new ReplyWaiters(), expectRepliesWaitMs: 1000, logger });
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.send('My order 4411 arrived with a cracked screen.').assertReply((reply) => expect(reply.type).to.equal(ActivityTypes.Typing));
    expect(sink.messages).to.have.length(1);
    expect(sink.messages[0]).to.deep.include({ channel: 'webchat', threadKey: 'Convo1', text: 'My order 4411 arrived with a cracked screen.' });
    expect(sink.messages[0]!.from.address).to.equal('test:user1');
    const ref = state.data.get('ref:Convo1') as any;
    expect(ref).to.include({ channelId: 'test' });
    expect(ref.conversation.id).to.equal('Convo1');
  });

  it('sends nothing and journals nothing for a message without text', async function () {
    const sink = collectingSink();
    const bot = new WebchatBot({ sink: () => sink, state: memoryState(), waiters: new ReplyWaiters(), expectRepliesWaitMs: 1000, logger });
    const adapter = new TestAdapter((context) => bot.run(context));
    // The turn has run to its end once processActivity resolves: nothing it sent can still be on its way.
    await adapter.processActivity({ type: ActivityTypes.Message, text: '' });
    expect(adapter.activeQueue, 'replies').to.deep.equal([]);
    expect(sink.messages).to.have.length(0);
  });

  it('with expectReplies, puts the acknowledgement sent during the turn into the turn’s own replies', async function () {
    const waiters = new ReplyWaiters();
    // The gateway answers while the turn waits, as its outbox worker would.
    const sink = collectingSink((m) =>
      setTimeout(() => waiters.offer(m.threadKey!, { type: ActivityTypes.Message, text: 'Ticket C-20261124-0001 received.' }), 30),
    );
    const bot = new WebchatBot({ sink: () => sink, state: memoryState(), waiters, expectRepliesWaitMs: 2000, logger });
    let buffered: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context) => {
      await bot.run(context);
      buffered = context.bufferedReplyActivities;
    });
    await adapter.send({ type: ActivityTypes.Message, text: 'Where is my refund?', deliveryMode: 'expectReplies' } as Partial<Activity>).startTest();
    expect(buffered.map((a) => a.text)).to.deep.equal(['Ticket C-20261124-0001 received.']);
    // Once the turn is over, nothing is waiting: later replies go out proactively.
    expect(waiters.offer('Convo1', { type: ActivityTypes.Message, text: 'late' })).to.equal(undefined);
  });
});

describe('web chat: CloudAdapter.process with real activity JSON', function () {
  let connector: Awaited<ReturnType<typeof startConnector>>;
  let server: Server;
  let url: string;
  let sink: ReturnType<typeof collectingSink>;
  let state: ReturnType<typeof memoryState>;
  let channel: BotFrameworkChannel;

  async function startBot(env: Record<string, string> = {}, onAppend?: (m: InboundMessage) => void) {
    sink = collectingSink(onAppend);
    state = memoryState();
    // The stand-in connector listens on 127.0.0.1, as the Emulator does on localhost: an operator-added host.
    const config = webchatConfigFromEnv({ WEBCHAT_EXPECT_REPLIES_WAIT_MS: '2000', WEBCHAT_BOT_SERVICE_HOSTS: 'http://127.0.0.1:*', ...env })!;
    channel = new BotFrameworkChannel({ config: config.botFramework, sink: () => sink, state, logger });
    const app = express();
    app.use('/api/messages', channel.router());
    // What the gateway's error handler does with a body-parser refusal, without express printing its stack.
    app.use(((err, _req, res, _next) => void res.status(err.status ?? 500).json({ error: { message: err.message } })) as express.ErrorRequestHandler);
    server = await new Promise<Server>((resolve) => {
      const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  }

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const activity = () => ({ ...fixture('emulator-message.json'), serviceUrl: connector.url });

  beforeEach(async function () {
    connector = await startConnector();
  });
  afterEach(async function () {
    await new Promise((r) => server?.close(r));
    await connector.close();
  });

  it('accepts an Emulator activity without credentials when no app id is set: journaled, 200, typing sent to the serviceUrl', async function () {
    await startBot();
    const res = await post(activity());
    expect(res.status).to.equal(200);
    expect(sink.messages.map((m) => m.text)).to.deep.equal(['我昨天买的电水壶一插电就跳闸，订单号 SO-20261124-77，要求退货。']);
    expect(connector.posts).to.have.length(1);
    expect(connector.posts[0]!.body).to.include({ type: 'typing', replyToId: '1a2b3c40-c7d2-11f0-8f1e-6d5e4c3b2a10' });
    expect(connector.posts[0]!.path).to.equal(
      '/v3/conversations/0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat/activities/1a2b3c40-c7d2-11f0-8f1e-6d5e4c3b2a10',
    );
  });

  it('refuses an unauthenticated request when MICROSOFT_APP_ID is set, and journals nothing', async function () {
    await startBot({ MICROSOFT_APP_ID: '7c3f0a12-8b4e-4d2a-a1c9-0e5f6d7c8b9a', MICROSOFT_APP_PASSWORD: 'not-used-offline' });
    const res = await post(activity());
    expect(res.status).to.equal(401);
    expect(sink.messages).to.have.length(0);
    expect(connector.posts).to.have.length(0);
  });

  it('answers 400 to a body that is not an activity', async function () {
    await startBot();
    const res = await post({ hello: 'world' });
    expect(res.status).to.equal(400);
    expect(sink.messages).to.have.length(0);
  });

  it('answers 400 to JSON nested far deeper than any activity, before parsing it (a 1 MB `[[[…` stalled the event loop)', async function () {
    await startBot();
    const depth = 400_000;
    const body = `{"type":"message","channelData":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const loop = watchEventLoop();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).to.equal(400);
    expect(loop.stop(), 'longest event-loop stall (ms)').to.be.below(MAX_EVENT_LOOP_STALL_MS);
    expect(sink.messages).to.have.length(0);
    // An activity with an Adaptive Card a few levels deep still goes through.
    const card = {
      type: 'AdaptiveCard',
      body: [{ type: 'Container', items: [{ type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'TextBlock', text: '[{"quoted":[[[[' }] }] }] }],
    };
    expect((await post({ ...activity(), attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] })).status).to.equal(200);
  });

  it('returns the acknowledgement in the HTTP response for deliveryMode expectReplies, and posts nothing to the connector', async function () {
    await startBot({}, (m) => {
      // What the outbox does once the pipeline has made the ticket: WebchatAdapter.send → channel.send.
      setTimeout(() => {
        void channel.send(outbound(m, 'Hello, we have received your complaint. Your ticket number is C-20261124-0001.'));
      }, 50);
    });
    const res = await post({ ...activity(), deliveryMode: 'expectReplies' });
    expect(res.status).to.equal(200);
    const body = await res.json();
    expect(body.activities.map((a: any) => a.text)).to.deep.equal(['Hello, we have received your complaint. Your ticket number is C-20261124-0001.']);
    expect(connector.posts).to.have.length(0);
  });

  it('sends later replies proactively through the stored conversation reference', async function () {
    await startBot();
    await post(activity());
    const m = sink.messages[0]!;
    const sent = await channel.send(outbound(m, 'An agent here: a courier will collect the kettle tomorrow.'));
    expect(sent.externalId).to.equal('sent-2');
    const proactive = connector.posts[1]!;
    expect(proactive.path.startsWith('/v3/conversations/0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat/activities')).to.equal(true);
    expect(proactive.body).to.deep.include({ type: 'message', text: 'An agent here: a courier will collect the kettle tomorrow.', locale: 'zh-CN' });
    expect(proactive.body.recipient).to.deep.include({ id: '5e1b7c2a-3d84-4c1e-9f2b-6a7d8e9f0a1b' });
  });

  it('gives up for good when the connector says the bot is no longer in the conversation', async function () {
    await startBot();
    await post(activity());
    await connector.close();
    connector = await startConnector(403);
    const m = sink.messages[0]!;
    const ref = { ...(m.meta.conversationReference as object), serviceUrl: connector.url };
    await state.set(`ref:${m.threadKey}`, ref);
    let error: unknown;
    await channel.send(outbound(m, 'Are you still there?')).catch((err) => (error = err));
    expect(error).to.be.instanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).code).to.equal('botframework_403');
  });
});

function outbound(m: InboundMessage, text: string): OutboundMessage {
  return {
    id: '1',
    channel: 'webchat',
    to: m.from.address,
    ticketNumber: 'C-20261124-0001',
    text,
    language: m.language,
    threadKey: m.threadKey,
    meta: { inbound: m.meta, kind: 'acknowledgement' },
  };
}

/** Every HTTP request the process makes while it runs (nock, no real connection allowed); `reached` lists them as origin + path. */
function watchOutbound() {
  const reached: string[] = [];
  const record = (req: { protocol?: string; hostname?: string; host?: string; port?: string | number; path?: string }) =>
    reached.push(`${req.protocol ?? ''}//${req.hostname ?? req.host}${req.port ? `:${req.port}` : ''}${req.path ?? ''}`);
  nock.disableNetConnect();
  nock.emitter.on('no match', record);
  return {
    reached,
    restore() {
      nock.emitter.removeListener('no match', record);
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}

/** A pino logger that keeps its JSON lines, to check what an operator would read. */
function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, any>>; raw: string[] } {
  const raw: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void raw.push(line) });
  return { logger, raw, lines: () => raw.map((l) => JSON.parse(l)) };
}

describe('web chat: Bot Framework serviceUrl allow-list (issue 16)', function () {
  let server: Server;
  let url: string;
  let sink: ReturnType<typeof collectingSink>;
  let state: ReturnType<typeof memoryState>;
  let channel: BotFrameworkChannel;
  let log: ReturnType<typeof capturingLogger>;
  let network: ReturnType<typeof watchOutbound>;

  async function startBot(env: Record<string, string> = {}) {
    sink = collectingSink();
    state = memoryState();
    log = capturingLogger();
    channel = new BotFrameworkChannel({ config: webchatConfigFromEnv(env)!.botFramework, sink: () => sink, state, logger: log.logger });
    const app = express();
    app.use('/api/messages', channel.router());
    server = await new Promise<Server>((resolve) => {
      const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  }
  // Global fetch (undici) is not intercepted by nock 13: only the gateway's own outbound calls are watched.
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeEach(() => {
    network = watchOutbound();
  });
  afterEach(async function () {
    network.restore();
    await new Promise((r) => server?.close(r));
  });

  const internal = [
    'http://127.0.0.1:5432/',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.1',
    'http://[::1]:6379/',
    'http://2130706433/', // 127.0.0.1 written as one number
    'http://localhost:53412', // the Emulator, when the operator did not add it
    'https://webchat.botframework.com@127.0.0.1/',
    'https://webchat.botframework.com.attacker.example/',
    'https://attacker.trafficmanager.net/', // any Azure customer can register a trafficmanager.net name
    'http://webchat.botframework.com/', // right host, but not HTTPS
    'https://webchat.botframework.com:8443/',
  ];

  it('refuses activities whose serviceUrl is not a Bot Framework service: 4xx, nothing journaled, no request sent anywhere', async function () {
    await startBot();
    const traps = [
      nock('http://127.0.0.1:5432').post(/.*/).reply(200),
      nock('http://169.254.169.254').post(/.*/).reply(200),
      nock('http://10.0.0.1').post(/.*/).reply(200),
    ];
    for (const serviceUrl of internal) {
      const res = await post({ ...fixture('emulator-message.json'), serviceUrl, id: `a-${serviceUrl}` });
      expect(res.status, serviceUrl).to.be.within(400, 499);
      expect((await res.json()).error.code, serviceUrl).to.equal('service_url_not_allowed');
    }
    // Then a Teams message, journaled, remembered and answered with a typing indicator before its 200: once it is
    // through, the channel has finished with every request before it, and nothing else may have happened.
    const teams = nock('https://smba.trafficmanager.net')
      .post(/^\/apac\/v3\/conversations\/.+\/activities/)
      .reply(200, { id: 'typing-1' });
    expect((await post(fixture('teams-message.json'))).status).to.equal(200);
    expect(teams.isDone(), 'typing indicator sent to Teams').to.equal(true);
    expect(
      sink.messages.map((m) => m.text),
      'journaled',
    ).to.deep.equal(['The invoice for order 4411 charged my card twice.']);
    expect(network.reached, 'requests sent').to.deep.equal([]);
    expect(
      traps.filter((t) => t.isDone()),
      'internal addresses reached',
    ).to.deep.equal([]);
    expect([...state.data.keys()], 'references kept').to.deep.equal([`ref:${activityToInbound(fixture('teams-message.json'))!.threadKey}`]);
  });

  it('refuses an activity without a serviceUrl with a 400', async function () {
    await startBot();
    const { serviceUrl: _, ...withoutServiceUrl } = fixture('emulator-message.json');
    const res = await post(withoutServiceUrl);
    expect(res.status).to.equal(400);
    expect(sink.messages).to.deep.equal([]);
  });

  it('logs each refusal as one warn line with the reason and no stack trace', async function () {
    await startBot();
    await post({ ...fixture('emulator-message.json'), serviceUrl: 'http://127.0.0.1:5432/' });
    const lines = log.lines();
    expect(lines.filter((l) => l.level === 40).map((l) => l.reason)).to.deep.equal([
      "serviceUrl http://127.0.0.1:5432 is not a Bot Framework service (allowed: Microsoft's hosts and WEBCHAT_BOT_SERVICE_HOSTS)",
    ]);
    expect(
      lines.filter((l) => l.level >= 50),
      'error lines',
    ).to.deep.equal([]);
    expect(log.raw.join('\n')).to.not.match(/"stack"|\n\s+at /);
  });

  it('still answers Teams: smba.trafficmanager.net is a default host, and the typing indicator reaches it', async function () {
    await startBot();
    const teams = nock('https://smba.trafficmanager.net')
      .post(/^\/apac\/v3\/conversations\/.+\/activities/)
      .reply(200, { id: 'typing-1' });
    const res = await post(fixture('teams-message.json'));
    expect(res.status).to.equal(200);
    expect(sink.messages.map((m) => m.text)).to.deep.equal(['The invoice for order 4411 charged my card twice.']);
    expect(teams.isDone(), 'typing indicator sent to Teams').to.equal(true);
    expect(network.reached).to.deep.equal([]);
  });

  it('takes hosts an operator adds in WEBCHAT_BOT_SERVICE_HOSTS, such as the Emulator on localhost', async function () {
    await startBot({ WEBCHAT_BOT_SERVICE_HOSTS: 'http://localhost:*' });
    const emulator = nock('http://localhost:53412')
      .post(/^\/v3\/conversations\/.+\/activities/)
      .reply(200, { id: 'typing-1' });
    expect((await post(fixture('emulator-message.json'))).status).to.equal(200);
    expect(sink.messages).to.have.length(1);
    expect(emulator.isDone()).to.equal(true);
    // Only that host: the database next to it stays out of reach.
    expect((await post({ ...fixture('emulator-message.json'), id: 'other', serviceUrl: 'http://127.0.0.1:5432/' })).status).to.equal(403);
    expect(sink.messages).to.have.length(1);
  });

  it('never follows a stored conversation reference to a host off the list: the reply fails for good, nothing is sent', async function () {
    await startBot();
    const m = activityToInbound({ ...fixture('teams-message.json') })!;
    await state.set(`ref:${m.threadKey}`, { ...(m.meta.conversationReference as object), serviceUrl: 'http://169.254.169.254/' });
    const trap = nock('http://169.254.169.254').post(/.*/).reply(200, { id: 'x' });
    const error = await channel.send(outbound(m, 'Your refund is on its way.')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(PermanentDeliveryError);
    expect((error as PermanentDeliveryError).code).to.equal('service_url_not_allowed');
    expect(trap.isDone()).to.equal(false);
    expect(network.reached).to.deep.equal([]);
  });
});

describe('web chat: Bot Framework requests with an app id and a bad token (issue 16)', function () {
  let server: Server;
  let url: string;
  let sink: ReturnType<typeof collectingSink>;
  let log: ReturnType<typeof capturingLogger>;
  let network: ReturnType<typeof watchOutbound>;
  let consoleErrors: unknown[][];
  const realConsoleError = console.error;
  const appId = '7c3f0a12-8b4e-4d2a-a1c9-0e5f6d7c8b9a';

  beforeEach(async function () {
    network = watchOutbound();
    consoleErrors = [];
    // botbuilder's CloudAdapter.process() console.errors refused tokens with their stack.
    console.error = (...args: unknown[]) => void consoleErrors.push(args);
    sink = collectingSink();
    log = capturingLogger();
    const config = webchatConfigFromEnv({ MICROSOFT_APP_ID: appId, MICROSOFT_APP_PASSWORD: 'offline-test-password' })!;
    const channel = new BotFrameworkChannel({ config: config.botFramework, sink: () => sink, state: memoryState(), logger: log.logger });
    const app = express();
    app.use('/api/messages', channel.router());
    server = await new Promise<Server>((resolve) => {
      const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  });
  afterEach(async function () {
    console.error = realConsoleError;
    network.restore();
    await new Promise((r) => server?.close(r));
  });

  const post = (authorization?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(fixture('teams-message.json')),
    });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  for (const [what, authorization, reason] of [
    ['no token', undefined, /no Authorization header/],
    ['a token that is not a JWT', 'Bearer not-a-jwt', /Unauthorized/],
    ['a Basic header', 'Basic dXNlcjpwYXNz', /Unauthorized/],
  ] as const) {
    it(`answers ${what} with 401 and one warn line with the reason, no stack trace`, async function () {
      const res = await post(authorization);
      expect(res.status).to.equal(401);
      const body = JSON.stringify(await res.json());
      expect(body).to.not.match(/\bat \w|stack|node_modules/);
      const lines = log.lines();
      expect(lines.map((l) => [l.level, l.msg])).to.deep.equal([[40, 'Bot Framework request refused']]);
      expect(lines[0]!.reason).to.match(reason);
      expect(log.raw.join('\n')).to.not.match(/"stack"|\n\s+at /);
      expect(consoleErrors, 'console.error calls').to.deep.equal([]);
      expect(sink.messages).to.deep.equal([]);
    });
  }

  it('answers 503 without a stack when the token cannot be checked now (Microsoft’s signing keys unreachable), so the channel retries', async function () {
    const header = b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' });
    const claims = b64({
      iss: 'https://api.botframework.com',
      aud: appId,
      serviceurl: 'https://smba.trafficmanager.net/apac/',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const res = await post(`Bearer ${header}.${claims}.c2lnbmF0dXJl`);
    expect(res.status).to.equal(503);
    expect(res.headers.get('retry-after')).to.equal('30');
    expect(log.lines().map((l) => l.level)).to.deep.equal([40]);
    expect(log.raw.join('\n')).to.not.match(/"stack"|\n\s+at /);
    expect(consoleErrors).to.deep.equal([]);
    // Only Microsoft's key endpoint was asked, never the activity's serviceUrl.
    expect(network.reached.map((u) => new URL(u).hostname)).to.deep.equal(['login.botframework.com']);
    expect(sink.messages).to.deep.equal([]);
  });
});
