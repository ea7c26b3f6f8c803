import type { Logger } from 'pino';
import { PermanentDeliveryError, type AdapterHealth, type ChannelAdapter, type InboundSink, type OutboundMessage } from '../types.js';
import type { WechatOfficialAdapter } from './wechat-official.adapter.js';
import { inboundMetaValue, type WechatyAdapter } from './wechaty.adapter.js';

/** Which WeChat path a message came through, as set by the adapters in inbound `meta.via`. */
export type WechatVia = 'official' | 'wechaty';

/** `meta.via` of the outbound message (flat, or under `meta.inbound`), if it names a path. */
export function wechatVia(out: OutboundMessage): WechatVia | undefined {
  const via = inboundMetaValue(out, 'via');
  return via === 'official' || via === 'wechaty' ? via : undefined;
}

/**
 * The one `wechat` channel adapter the gateway registers: it holds the Official Account
 * adapter, the wechaty adapter or both, and sends each reply back the way the customer
 * wrote (`meta.via`). The outbox's lookup by channel id therefore needs no WeChat
 * special case.
 */
export class WechatAdapter implements ChannelAdapter {
  readonly id = 'wechat' as const;

  /** A wechaty login may run in one process only; the Official Account part is webhook-driven. */
  get singleConsumer(): boolean {
    return this.parts.wechaty !== undefined;
  }
  private readonly log: Logger;

  constructor(
    private readonly parts: { official?: WechatOfficialAdapter; wechaty?: WechatyAdapter },
    logger: Logger,
  ) {
    if (!parts.official && !parts.wechaty) throw new Error('WechatAdapter needs the Official Account adapter, the wechaty adapter or both');
    this.log = logger.child({ module: 'adapters/wechat' });
  }

  async start(sink: InboundSink): Promise<void> {
    await this.parts.official?.start(sink);
    await this.parts.wechaty?.start(sink);
  }

  async stop(): Promise<void> {
    await Promise.all([this.parts.official?.stop(), this.parts.wechaty?.stop()]);
  }

  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    const via = wechatVia(out);
    const target = via === 'wechaty' ? this.parts.wechaty : via === 'official' ? this.parts.official : (this.parts.official ?? this.parts.wechaty);
    if (!target) {
      // Configuration changed since the customer wrote (e.g. wechaty switched off): retrying will not help.
      throw new PermanentDeliveryError(`the customer wrote through WeChat ${via}, which is not configured any more`, 'wechat_path_not_configured');
    }
    if (!via) this.log.debug({ outboxId: out.id }, 'wechat reply without meta.via; using the default path');
    return target.send(out);
  }

  async health(): Promise<AdapterHealth> {
    const parts = await Promise.all(
      (['official', 'wechaty'] as const).filter((k) => this.parts[k]).map(async (k) => ({ k, h: await this.parts[k]!.health() })),
    );
    const worst = parts.some((p) => p.h.status === 'down') ? 'down' : parts.some((p) => p.h.status === 'degraded') ? 'degraded' : 'up';
    const detail = parts
      .filter((p) => p.h.status !== 'up' || p.h.detail)
      .map((p) => `${p.k}: ${p.h.status}${p.h.detail ? ` (${p.h.detail})` : ''}`)
      .join('; ');
    return detail ? { status: worst, detail } : { status: worst };
  }
}
