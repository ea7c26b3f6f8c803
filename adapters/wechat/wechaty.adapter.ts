import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
// Type-only: the wechaty module (1–2 s to load) is imported in start(), only when configured.
import type { Contact, Message, Wechaty } from 'wechaty';
import type { WechatyConfig } from '../../config/channels/wechat.schema.js';
import { PermanentDeliveryError, type AdapterHealth, type ChannelAdapter, type InboundMessage, type InboundSink, type OutboundMessage } from '../types.js';
import { isGroupComplaint } from './group-complaint.js';
import { splitUtf8 } from './split-text.js';

export { isGroupComplaint } from './group-complaint.js';
export type { GroupDecision, GroupTrigger } from './group-complaint.js';

type WechatyModule = typeof import('wechaty');

/** What {@link WechatyAdapter} is constructed with. */
export interface WechatyAdapterOptions {
  config: WechatyConfig;
  logger: Logger;
  /**
   * A puppet instance to use instead of loading `config.puppet` by name. Tests pass a
   * `PuppetMock` here so they can drive it with its mocker.
   */
  puppet?: unknown;
}

// Plenty for a chat message; keeps a runaway template from being sent as one wall of text.
const MAX_TEXT_BYTES = 8000;
const SINK_ATTEMPTS = 3;

/** Reads an inbound meta key from the outbound message: copied flat, or nested under `meta.inbound` as the gateway's reply target does. */
export function inboundMetaValue(out: OutboundMessage, key: string): unknown {
  if (out.meta[key] !== undefined) return out.meta[key];
  const inbound = out.meta.inbound;
  return inbound && typeof inbound === 'object' ? (inbound as Record<string, unknown>)[key] : undefined;
}

/** The group a reply belongs in: `roomId` from the inbound meta, else the thread key of a group message. */
function replyRoomId(out: OutboundMessage): string | undefined {
  const roomId = inboundMetaValue(out, 'roomId');
  if (typeof roomId === 'string' && roomId) return roomId;
  return inboundMetaValue(out, 'group') === true ? out.threadKey : undefined;
}

/**
 * A personal or WeCom WeChat account through wechaty.
 *
 * Inbound: every private text → InboundMessage (`from.address` = contact id, `from.name`
 * = alias or name). In groups only messages that @mention the account or contain a
 * complaint cue are taken in (see {@link isGroupComplaint}), with the room id as
 * `threadKey` and `meta.roomId` / `meta.roomTopic` (the group name).
 *
 * Outbound: `OutboundMessage.to` is the contact id; when `meta.roomId` names a room the
 * reply goes into that room with an @mention of the contact, or privately when
 * `WECHATY_GROUP_REPLY=private`. The gateway must carry `via` and `roomId` of the
 * inbound message's meta over to the outbound one, either flat (`meta.roomId`) or as
 * `meta.inbound` (what `replyTargetFor` does); both are read.
 *
 * Contact ids are stable wxids with pad/WeCom puppets (wechaty-puppet-service) but
 * change at every login with wechaty-puppet-wechat4u; `meta.contactAlias` (the remark
 * the operators set) is the identity that survives that.
 */
export class WechatyAdapter implements ChannelAdapter {
  readonly id = 'wechat' as const;
  /** Emits 'handled' with the wechaty message id once a message event is dealt with: journaled, passed over, or failed. */
  readonly events = new EventEmitter();
  private readonly config: WechatyConfig;
  private readonly log: Logger;
  private readonly puppet?: unknown;
  private bot?: Wechaty;
  private mod?: WechatyModule;
  private sink?: InboundSink;
  private waitingForScan = false;

  constructor(opts: WechatyAdapterOptions) {
    this.config = opts.config;
    this.log = opts.logger.child({ module: 'adapters/wechat/wechaty' });
    this.puppet = opts.puppet;
  }

  async start(sink: InboundSink): Promise<void> {
    if (this.bot) return;
    this.sink = sink;
    const mod = await import('wechaty');
    this.mod = mod;
    const options = this.puppet
      ? { name: this.config.name, puppet: this.puppet }
      : {
          name: this.config.name,
          puppet: this.config.puppet,
          puppetOptions: this.config.puppetToken ? { token: this.config.puppetToken } : undefined,
        };
    const bot = mod.WechatyBuilder.build(options as Parameters<WechatyModule['WechatyBuilder']['build']>[0]);
    bot.on('scan', (qrcode, status) => {
      this.waitingForScan = true;
      // An operator has to scan this with the support account's phone.
      this.log.info({ status, qrcodeImageUrl: mod.qrcodeValueToImageUrl(qrcode) }, 'wechaty: scan the QR code to log in');
    });
    bot.on('login', (user) => {
      this.waitingForScan = false;
      this.log.info({ userId: user.id }, 'wechaty logged in');
    });
    bot.on('logout', (user) => this.log.warn({ userId: user.id }, 'wechaty logged out; replies wait until the next login'));
    bot.on('error', (err) => this.log.warn({ err }, 'wechaty error'));
    bot.on('message', (msg) => {
      this.onMessage(msg)
        .catch((err) => this.log.error({ err, messageId: msg.id }, 'wechaty message not taken in'))
        .finally(() => this.events.emit('handled', msg.id));
    });
    this.bot = bot;
    // Not bot.ready(): it waits for the contact list sync, which can take minutes on a real
    // account (and never finishes with the mock puppet); messages flow before that.
    await bot.start();
  }

  async stop(): Promise<void> {
    const bot = this.bot;
    this.bot = undefined;
    if (bot) await bot.stop();
  }

  async health(): Promise<AdapterHealth> {
    if (!this.bot) return { status: 'down', detail: 'wechaty is not started' };
    if (!this.bot.isLoggedIn) {
      return { status: 'degraded', detail: this.waitingForScan ? 'waiting for a QR-code scan to log in' : 'not logged in' };
    }
    return { status: 'up' };
  }

  /** Turns one wechaty message into an InboundMessage (or nothing) and journals it. */
  private async onMessage(msg: Message): Promise<void> {
    const mod = this.mod!;
    // Our own replies come back through on('message'): never take them in as complaints.
    if (msg.self()) return;
    const type = msg.type();
    const isText = type === mod.types.Message.Text;
    const msgType = mod.types.Message[type] ?? String(type);
    const talker = msg.talker();
    const room = msg.room();
    const contactAlias = await talker.alias().catch(() => undefined);
    const contactName = talker.name();
    const base = {
      channel: 'wechat' as const,
      externalId: msg.id,
      receivedAt: msg.date().toISOString(),
      from: { address: talker.id, name: contactAlias || contactName || undefined },
      to: this.bot?.isLoggedIn ? this.bot.currentUser.id : undefined,
      attachments: [],
    };

    let inbound: InboundMessage;
    if (room) {
      // Pictures and stickers in a group are chatter unless someone @mentions us in text.
      if (!isText) return;
      const mentionsSelf = await msg.mentionSelf();
      const decision = isGroupComplaint({ text: msg.text(), mentionsSelf, cues: this.config.complaintCues });
      if (!decision.complaint) return;
      const roomTopic = await room.topic().catch(() => undefined);
      inbound = {
        ...base,
        threadKey: room.id,
        // mentionText() drops the "@Bot " prefix so the classifier sees the question itself.
        text: mentionsSelf ? await msg.mentionText() : msg.text(),
        meta: {
          via: 'wechaty',
          msgType,
          contactAlias,
          contactName,
          roomId: room.id,
          roomTopic,
          group: true,
          trigger: decision.trigger,
          cue: decision.cue,
        },
      };
    } else {
      inbound = {
        ...base,
        text: isText ? msg.text() : '',
        meta: { via: 'wechaty', msgType, contactAlias, contactName, group: false },
      };
    }
    await this.journal(inbound);
  }

  /** wechaty cannot redeliver a message, so a failed journal append is retried here a few times. */
  private async journal(inbound: InboundMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sink!(inbound);
        return;
      } catch (err) {
        if (attempt >= SINK_ATTEMPTS) throw err;
        this.log.warn({ err, attempt, externalId: inbound.externalId }, 'journal append failed; retrying');
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }

  async send(out: OutboundMessage): Promise<{ externalId: string }> {
    const bot = this.bot;
    if (!bot || !bot.isLoggedIn) throw new Error('wechaty is not logged in; the reply waits in the outbox');
    const contact = (await bot.Contact.find({ id: out.to })) as Contact | undefined;
    if (!contact) throw new PermanentDeliveryError(`WeChat contact ${out.to} is not among this account's contacts`, 'contact_not_found');
    const roomId = replyRoomId(out);
    const parts = splitUtf8(out.text, MAX_TEXT_BYTES);
    let lastId: string | undefined;
    if (roomId && this.config.groupReply === 'room') {
      const room = await bot.Room.find({ id: roomId });
      if (!room) throw new PermanentDeliveryError(`this account is no longer in WeChat group ${roomId}`, 'room_not_found');
      for (const [i, part] of parts.entries()) {
        // Only the first part carries the @mention: one notification per reply is enough.
        const sent = i === 0 ? await room.say(part, contact) : await room.say(part);
        lastId = sent?.id ?? lastId;
      }
    } else {
      for (const part of parts) {
        const sent = await contact.say(part);
        lastId = (sent as Message | void)?.id ?? lastId;
      }
    }
    return { externalId: lastId ?? `wechaty:${out.id}` };
  }
}
