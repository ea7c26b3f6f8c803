/**
 * The contracts every channel adapter implements (see ../shared/DESIGN.md); the ones other layers
 * share too (channel ids, the adapter state store) are in ../contracts/.
 * Adapters turn provider payloads into {@link InboundMessage}s and send
 * {@link OutboundMessage}s; they never touch the database themselves.
 */

import type { ChannelId } from '../contracts/channel-ids.js';

export interface Attachment {
  name: string;
  contentType: string;
  size: number;
  /** Where the bytes are: a storage key, a provider URL or a data: URI for small inline parts. */
  ref: string;
}

/** One message from a customer, normalized from whatever the provider sent. */
export interface InboundMessage {
  channel: ChannelId;
  /** Provider id: Message-ID, MessageSid, activity.id, MsgId… Unique per channel. */
  externalId: string;
  /** ISO-8601. */
  receivedAt: string;
  /** E-mail, E.164 phone, WeChat id, chat user id. */
  from: { address: string; name?: string };
  /** Which of our inboxes, numbers or accounts received it. */
  to?: string;
  /** Provider conversation: References root, chat conversation id, group id. */
  threadKey?: string;
  subject?: string;
  /** Plain text, quoted history and signatures removed. */
  text: string;
  /** 'zh-Hans' | 'zh-Hant' | 'en' | … when the channel knows it. */
  language?: string;
  attachments: Attachment[];
  /** Channel-specific extras (recording URL, group name, In-Reply-To…). */
  meta: Record<string, unknown>;
}

/** One message to a customer, produced by an agent, a bot or the system. */
export interface OutboundMessage {
  /** Outbox row id: adapters use it as an idempotency key where the provider supports one. */
  id: string;
  channel: ChannelId;
  /** The customer's address on this channel (e-mail, E.164 phone, openid, conversation id…). */
  to: string;
  /** Which of our inboxes, numbers or accounts to send from, if the customer wrote to a specific one. */
  from?: string;
  ticketNumber: string;
  subject?: string;
  text: string;
  html?: string;
  language?: string;
  threadKey?: string;
  /** Channel extras: In-Reply-To/References for e-mail, conversation reference for chat, room id for WeChat… */
  meta: Record<string, unknown>;
}

export interface AdapterHealth {
  status: 'up' | 'degraded' | 'down';
  detail?: string;
}

/** Journal append: resolves only once the message is durable. */
export type InboundSink = (message: InboundMessage) => Promise<{ id: string; duplicate: boolean }>;

export interface ChannelAdapter {
  readonly id: ChannelId;
  /**
   * True for sources only one process may poll at a time (an IMAP mailbox, a WeChat
   * login): the gateway starts them only in the process holding their lease.
   */
  readonly singleConsumer?: boolean;
  /** Start pollers or puppets; webhook-driven adapters may do nothing here. */
  start(sink: InboundSink): Promise<void>;
  stop(): Promise<void>;
  send(out: OutboundMessage): Promise<{ externalId: string }>;
  health(): Promise<AdapterHealth>;
}

/**
 * Thrown by `send` when retrying cannot help (an unsubscribed number, an invalid
 * address). The sender worker records it on the ticket and does not retry.
 */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}
