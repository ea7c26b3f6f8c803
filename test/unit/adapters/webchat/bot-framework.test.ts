import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { pino } from 'pino';
import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { activityToInbound, BotFrameworkChannel, ReplyWaiters, WebchatBot } from '../../../../adapters/webchat/bot-framework.js';
import { PermanentDeliveryError, type AdapterStateStore, type InboundMessage, type InboundSink, type OutboundMessage } from '../../../../adapters/types.js';
import { webchatConfigFromEnv } from '../../../../config/channels/webchat.schema.js';

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
    if (status !== 200) return void res.status(status).json({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } });
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
    expect(m.meta.conversationReference).to.deep.include({ serviceUrl: 'http://localhost:53412', channelId: 'emulator', conversation: { id: '0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat' } });
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
    const withPhoto = activityToInbound({ ...base, text: '', attachments: [{ contentType: 'image/jpeg', contentUrl: 'https://example.test/kettle.jpg', name: 'kettle.jpg' }] })!;
    expect(withPhoto.attachments).to.deep.equal([{ name: 'kettle.jpg', contentType: 'image/jpeg', size: 0, ref: 'https://example.test/kettle.jpg' }]);
    expect(activityToInbound({ ...base, locale: 'zh-TW' })!.language).to.equal('zh-Hant');
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
    await adapter.send({ type: ActivityTypes.Message, text: '' }).assertNoReply('no reply to an empty message', 300);
    expect(sink.messages).to.have.length(0);
  });

  it('with expectReplies, puts the acknowledgement sent during the turn into the turn’s own replies', async function () {
    const waiters = new ReplyWaiters();
    // The gateway answers while the turn waits, as its outbox worker would.
    const sink = collectingSink((m) => setTimeout(() => waiters.offer(m.threadKey!, { type: ActivityTypes.Message, text: 'Ticket C-20261124-0001 received.' }), 30));
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
    channel = new BotFrameworkChannel({ config: webchatConfigFromEnv({ WEBCHAT_EXPECT_REPLIES_WAIT_MS: '2000', ...env })!.botFramework, sink: () => sink, state, logger });
    const app = express();
    app.use('/api/messages', channel.router());
    server = await new Promise<Server>((resolve) => {
      const s = createServer(app).listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  }

  const post = (body: unknown, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
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
    expect(connector.posts[0]!.path).to.equal('/v3/conversations/0f9e4a70-c7d2-11f0-9b1e-2b7f3c8d1e01|livechat/activities/1a2b3c40-c7d2-11f0-8f1e-6d5e4c3b2a10');
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
  return { id: '1', channel: 'webchat', to: m.from.address, ticketNumber: 'C-20261124-0001', text, language: m.language, threadKey: m.threadKey, meta: { inbound: m.meta, kind: 'acknowledgement' } };
}
