import { expect } from 'chai';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { WechatyConfig } from '../../../config/channels/wechat.schema.js';
import { DEFAULT_COMPLAINT_CUES } from '../../../config/channels/wechat.schema.js';
import type { InboundMessage, OutboundMessage } from '../../../adapters/types.js';
import { WechatyAdapter } from '../../../adapters/wechat/wechaty.adapter.js';
import { journalLikeSink, silentLogger } from './wechat-harness.js';

type MockContact = ReturnType<mock.Mocker['createContact']>;
type MockRoom = ReturnType<mock.Mocker['createRoom']>;

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 3000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What the gateway does when an agent or the FAQ bot answers: copy the reply target from the inbound message. */
function replyTo(inbound: InboundMessage, text: string, id: string): OutboundMessage {
  return {
    id,
    channel: 'wechat',
    to: inbound.from.address,
    ticketNumber: 'C-20261124-0042',
    text,
    threadKey: inbound.threadKey,
    meta: { via: inbound.meta.via, roomId: inbound.meta.roomId },
  };
}

describe('WechatyAdapter with wechaty-puppet-mock', function () {
  this.timeout(20_000);
  let mocker: mock.Mocker;
  let journal: ReturnType<typeof journalLikeSink>;
  let adapter: WechatyAdapter;
  let bot: MockContact;
  let alice: MockContact;
  let bob: MockContact;
  let room: MockRoom;
  /** Ids of the wechaty messages the adapter has dealt with (journaled or passed over), in that order. */
  let handled: string[];

  async function boot(overrides: Partial<WechatyConfig> = {}) {
    mocker = new mock.Mocker();
    journal = journalLikeSink();
    const config: WechatyConfig = {
      puppet: 'wechaty-puppet-mock',
      name: 'wechaty-adapter-test',
      groupReply: 'room',
      complaintCues: [...DEFAULT_COMPLAINT_CUES],
      ...overrides,
    };
    adapter = new WechatyAdapter({ config, logger: silentLogger, puppet: new PuppetMock({ mocker }) });
    handled = [];
    adapter.events.on('handled', (id: string) => handled.push(id));
    await adapter.start(journal.sink);
    bot = mocker.createContact({ name: '客服小美' });
    mocker.login(bot);
    alice = mocker.createContact({ name: 'Alice', alias: '王女士-VIP' });
    bob = mocker.createContact({ name: 'Bob' });
    // The mock puppet tells rooms from contacts by an "@" in the id, as real room ids have.
    room = mocker.createRoom({ id: 'r1001@chatroom', topic: '鲜果会员福利群', memberIdList: [bot.id, alice.id, bob.id] });
  }

  /** Messages our account sent, as the mocked contacts see them. */
  const sentByBot = () => [...mocker.cacheMessagePayload.values()].filter((p) => p.talkerId === bot.id);

  afterEach(async () => {
    await adapter.stop();
  });

  describe('replies to the room (default)', () => {
    beforeEach(() => boot());

    it('health is up once logged in', async () => {
      await waitFor(async () => (await adapter.health()).status === 'up', 'login');
      expect(await adapter.health()).to.deep.equal({ status: 'up' });
    });

    it("a contact's private complaint reaches the sink with the contact's id and alias as identity", async () => {
      alice.say('我上周买的榴莲到货就坏了，要求退款').to(bot);
      const m = await waitFor(() => journal.rows[0], 'the private message');
      expect(m).to.deep.include({ channel: 'wechat', text: '我上周买的榴莲到货就坏了，要求退款', from: { address: alice.id, name: '王女士-VIP' } });
      expect(m.threadKey).to.equal(undefined);
      expect(m.meta).to.include({ via: 'wechaty', contactAlias: '王女士-VIP', contactName: 'Alice', group: false, msgType: 'Text' });
      expect(m.externalId).to.be.a('string').and.not.empty;
    });

    it("an agent's reply to a private complaint arrives at the mocked contact, and is not taken back in", async () => {
      alice.say('快递丢了，订单 SO8812').to(bot);
      const inbound = await waitFor(() => journal.rows[0], 'the private message');
      await adapter.send(replyTo(inbound, '王女士您好，已为您登记工单 C-20261124-0042，今天内补发。', 'ob-1'));
      const delivered = await waitFor(() => sentByBot().find((p) => p.listenerId === alice.id), 'the reply at Alice');
      expect(delivered.text).to.equal('王女士您好，已为您登记工单 C-20261124-0042，今天内补发。');
      expect(delivered.roomId).to.equal(undefined);
      // The reply comes back to the account as a message event: once the adapter has dealt with it, still one row.
      await waitFor(() => handled.includes(delivered.id), 'the adapter to handle our own reply coming back');
      expect(journal.rows).to.have.length(1);
    });

    it('a group message that @mentions the account is taken in with the room as thread and the group name in meta', async () => {
      alice.say('@客服小美 我买的芒果全烂了', [bot]).to(room);
      const m = await waitFor(() => journal.rows[0], 'the group message');
      expect(m.text).to.equal('我买的芒果全烂了');
      expect(m.threadKey).to.equal('r1001@chatroom');
      expect(m.from.address).to.equal(alice.id);
      expect(m.meta).to.include({ via: 'wechaty', roomId: 'r1001@chatroom', roomTopic: '鲜果会员福利群', group: true, trigger: 'mention' });
    });

    it('group chatter without an @mention or a complaint cue is ignored', async () => {
      bob.say('今天的草莓好甜，大家晚上好').to(room);
      alice.say('同意，明天还团').to(room);
      const chatter = [...mocker.cacheMessagePayload.values()].filter((p) => p.roomId === room.id).map((p) => p.id);
      expect(chatter).to.have.length(2);
      await waitFor(() => chatter.every((id) => handled.includes(id)), 'the adapter to handle both group messages');
      expect(journal.calls).to.equal(0);
    });

    it('a group message with a complaint cue but no @mention is taken in', async () => {
      bob.say('我要投诉，昨天的牛奶过期了').to(room);
      const m = await waitFor(() => journal.rows[0], 'the cue message');
      expect(m.text).to.equal('我要投诉，昨天的牛奶过期了');
      expect(m.meta).to.include({ trigger: 'cue', cue: '投诉', roomTopic: '鲜果会员福利群' });
    });

    it('a FAQ asked in the group is answered inside the group with an @mention of the asker', async () => {
      const faq: Record<string, string> = { 发票: '发票可在小程序“我的订单”中申请，3 个工作日内开出。' };
      alice.say('@客服小美 请问发票怎么开？', [bot]).to(room);
      const question = await waitFor(() => journal.rows[0], 'the FAQ question');
      // The gateway's bot stage: a FAQ hit becomes an outbound reply to the same target.
      const answer = Object.entries(faq).find(([k]) => question.text.includes(k))?.[1];
      expect(answer).to.be.a('string');
      await adapter.send(replyTo(question, answer!, 'ob-faq'));
      const inRoom = await waitFor(() => sentByBot().find((p) => p.roomId === 'r1001@chatroom'), 'the answer in the room');
      expect(inRoom.text).to.equal('@Alice 发票可在小程序“我的订单”中申请，3 个工作日内开出。');
      expect(sentByBot().filter((p) => p.listenerId === alice.id)).to.have.length(0);
    });

    it('a reply to a contact the account does not know fails permanently', async () => {
      const err = await adapter
        .send({ id: 'ob-x', channel: 'wechat', to: 'nobody', ticketNumber: 'C-1', text: 'hi', meta: { via: 'wechaty' } })
        .catch((e: unknown) => e);
      expect((err as { name?: string }).name).to.equal('PermanentDeliveryError');
    });
  });

  describe('WECHATY_GROUP_REPLY=private', () => {
    beforeEach(() => boot({ groupReply: 'private' }));

    it('answers a group complaint privately to the customer, not in the room', async () => {
      alice.say('@客服小美 退款还没到账', [bot]).to(room);
      const inbound = await waitFor(() => journal.rows[0], 'the group complaint');
      await adapter.send(replyTo(inbound, '已为您催办退款，预计 24 小时内到账。', 'ob-2'));
      const delivered = await waitFor(() => sentByBot().find((p) => p.listenerId === alice.id), 'the private reply');
      expect(delivered.text).to.equal('已为您催办退款，预计 24 小时内到账。');
      expect(sentByBot().filter((p) => p.roomId)).to.have.length(0);
    });
  });
});
