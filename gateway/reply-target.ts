import type { ChannelId } from '../contracts/channel-ids.js';
import type { Message, Ticket } from '../storage/ticket.store.js';
import { isEmail, normalizePhone } from './identity.js';

export interface ReplyTarget {
  channel: ChannelId;
  to: string;
  from?: string;
  threadKey?: string;
  meta: Record<string, unknown>;
}

/**
 * Where a reply to a customer goes: back through the channel of their latest
 * message. Channels that cannot carry a later reply are mapped: a web-form
 * submission is answered by e-mail or SMS to the contact given, a phone call by SMS.
 */
export function replyTargetFor(last: Pick<Message, 'channel' | 'fromAddress' | 'toAddress' | 'meta' | 'subject'> & { threadKey?: string | null }): ReplyTarget {
  const address = last.fromAddress ?? '';
  const inbound = last.meta ?? {};
  const threading: Record<string, unknown> = {};
  if (typeof inbound.messageId === 'string') {
    // E-mail threading: answer the customer's latest mail so their client threads it.
    const refs = Array.isArray(inbound.references) ? (inbound.references as string[]) : [];
    threading.inReplyTo = inbound.messageId;
    threading.references = [...refs.filter((r) => r !== inbound.messageId), inbound.messageId];
  }
  const meta = { ...threading, inbound };
  let channel = last.channel as ChannelId;
  if (channel === 'webform') channel = isEmail(address) ? 'email' : 'sms';
  if (channel === 'voice') channel = 'sms';
  const to = channel === 'sms' ? (normalizePhone(address) ?? address) : address;
  return { channel, to, from: last.toAddress ?? undefined, threadKey: last.threadKey ?? undefined, meta };
}

/** The outbox payload of a message to the customer at `target` about `ticket`; `meta` adds to the target's (threading, inbound). */
export function outboundPayload(
  target: ReplyTarget,
  ticket: Pick<Ticket, 'number' | 'subject' | 'language'>,
  content: { text: string; html?: string },
  meta: Record<string, unknown>,
) {
  return {
    channel: target.channel,
    to: target.to,
    from: target.from,
    ticketNumber: ticket.number,
    subject: ticket.subject ?? undefined,
    text: content.text,
    html: content.html,
    language: ticket.language ?? undefined,
    threadKey: target.threadKey,
    meta: { ...target.meta, ...meta },
  };
}

/** The template language for a ticket: Chinese for zh-*, English otherwise. */
export function templateLanguage(language: string | null | undefined): 'zh' | 'en' {
  return language?.startsWith('zh') ? 'zh' : 'en';
}
