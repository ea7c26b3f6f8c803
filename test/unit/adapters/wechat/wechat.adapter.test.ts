import { expect } from 'chai';
import { pino } from 'pino';
import type { AdapterHealth, ChannelAdapter, OutboundMessage } from '../../../../adapters/types.js';
import { PermanentDeliveryError } from '../../../../adapters/types.js';
import { WechatAdapter } from '../../../../adapters/wechat/wechat.adapter.js';
import type { WechatOfficialAdapter } from '../../../../adapters/wechat/wechat-official.adapter.js';
import type { WechatyAdapter } from '../../../../adapters/wechat/wechaty.adapter.js';

/** A stand-in for one WeChat path that records what it was asked to send. */
class PathFake implements ChannelAdapter {
  readonly id = 'wechat' as const;
  readonly sent: OutboundMessage[] = [];
  constructor(
    private readonly name: string,
    private readonly status: AdapterHealth = { status: 'up' },
  ) {}
  async start() {}
  async stop() {}
  async health() {
    return this.status;
  }
  async send(out: OutboundMessage) {
    this.sent.push(out);
    return { externalId: `${this.name}:${out.id}` };
  }
}

const log = pino({ level: 'silent' });
const out = (meta: Record<string, unknown>): OutboundMessage => ({ id: '7', channel: 'wechat', to: 'x', ticketNumber: 'C-1', text: 'hi', meta });

describe('WechatAdapter (one wechat channel, two paths)', () => {
  const official = new PathFake('official');
  const wechaty = new PathFake('wechaty', { status: 'degraded', detail: 'waiting for a QR-code scan to log in' });
  const both = new WechatAdapter({ official: official as unknown as WechatOfficialAdapter, wechaty: wechaty as unknown as WechatyAdapter }, log);

  it('sends back the way the customer wrote, whether via is flat or under meta.inbound', async () => {
    expect(await both.send(out({ via: 'wechaty', roomId: 'r@chatroom' }))).to.deep.equal({ externalId: 'wechaty:7' });
    expect(await both.send(out({ inbound: { via: 'official', msgType: 'text' }, kind: 'agent_reply' }))).to.deep.equal({ externalId: 'official:7' });
    expect(await both.send(out({ inbound: { via: 'wechaty' } }))).to.deep.equal({ externalId: 'wechaty:7' });
  });

  it('uses the Official Account when via is missing', async () => {
    expect(await both.send(out({}))).to.deep.equal({ externalId: 'official:7' });
  });

  it('fails for good when the path the customer used is no longer configured', async () => {
    const onlyOfficial = new WechatAdapter({ official: official as unknown as WechatOfficialAdapter }, log);
    const err = await onlyOfficial.send(out({ via: 'wechaty' })).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentDeliveryError);
    expect((err as PermanentDeliveryError).code).to.equal('wechat_path_not_configured');
  });

  it('reports the worse health of its paths, naming the one that is not up', async () => {
    expect(await both.health()).to.deep.equal({ status: 'degraded', detail: 'wechaty: degraded (waiting for a QR-code scan to log in)' });
  });
});
