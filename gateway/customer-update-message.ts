/**
 * What a customer hears when their ticket moves (gateway/customer-updates.ts tells it): the message, its outbox row and
 * event for one status change, or why nothing is sent (opt-out, the channels configured, a caller without a number to
 * text, the hourly limit), and when the customer's quiet hours end. Pure: the settings, the ticket's context and the
 * clock are given.
 */
import type { GatewaySettings } from '../config/gateway.schema.js';
import type { ChannelId } from '../contracts/channel-ids.js';
import type { Message, NewMessage, Ticket } from '../storage/ticket.store.js';
import { customerTimeZone } from './customer-time-zone.js';
import { outboundPayload, replyTargetFor, templateLanguage, type ReplyTarget } from './reply-target.js';
import { localDay, zonedToInstant } from './sla/business-calendar.js';

/** A number that can be texted or called back (a withheld caller ID is `anonymous:CA…`). */
const E164 = /^\+[1-9]\d{6,14}$/;

export type UpdateKind = 'handling' | 'waiting' | 'resolved' | 'reopened';

/** Why a change was not told (the reason a customer_not_notified event gives). */
export type SkipReason = 'opted-out' | 'channel' | 'rate-limit' | 'no-contact';

/** What one batch read of a ticket: the ticket as it is now, its customer's opt-out, and its inbound messages. */
export interface TicketContext {
  ticket: Ticket;
  optedOut: boolean;
  last: Message | undefined;
}

/** What a batch writes for one status change. */
export interface Composed {
  message: NewMessage;
  outbox: { channel: string; payload: unknown; notBefore?: number };
  event: Record<string, unknown>;
  asksRating: boolean;
}

/** What composing reads besides the ticket: the settings, the public base URL and which channels an adapter carries. */
export interface ComposeDeps {
  settings: () => GatewaySettings;
  /** PUBLIC_BASE_URL: the status link in messages (left out when unset). */
  publicBaseUrl?: string;
  /** Whether an adapter carries `channel` (the survey call needs Twilio voice; without it callers are asked by SMS). */
  canDeliver?: (channel: ChannelId) => boolean;
}

/**
 * When quiet hours hold at `now` for a customer in `timeZone` (by default the configured zone),
 * the end of them (ms); else undefined.
 */
export function quietUntil(settings: GatewaySettings, now: number, timeZone?: string): number | undefined {
  const q = settings.customerUpdates.quietHours;
  if (!q) return undefined;
  const zone = timeZone ?? q.timeZone;
  const minutes = (hhmm: string) => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000;
  const [start, end] = [minutes(q.start), minutes(q.end)];
  const { day, msOfDay } = localDay(now, zone);
  const inside = start <= end ? msOfDay >= start && msOfDay < end : msOfDay >= start || msOfDay < end;
  if (!inside) return undefined;
  return zonedToInstant(msOfDay < end ? day : day + 1, end, zone);
}

/**
 * What the customer hears of one change, or why nothing: opt-out, the channels configured, a caller without a number
 * to text, the hourly limit (`sentLastHour` counts this batch's messages as it goes).
 */
export function composeUpdate(
  { ticket, optedOut, last }: TicketContext,
  kind: UpdateKind,
  sentLastHour: Map<number, number>,
  now: number,
  deps: ComposeDeps,
): { send: Composed } | { skip: SkipReason; recorded: boolean } {
  const s = deps.settings();
  if (optedOut) return { skip: 'opted-out', recorded: true };
  if (!last) return { skip: 'no-contact', recorded: false };
  let target: ReplyTarget = replyTargetFor({ ...last, threadKey: (last.meta.threadKey as string | undefined) ?? null });
  if (!(s.customerUpdates.channels as string[]).includes(target.channel)) return { skip: 'channel', recorded: false };
  // A caller is answered by SMS (replyTargetFor); one who withheld their number has nothing to text or call.
  const caller = last.channel === 'voice';
  if (caller && !E164.test(target.to)) return { skip: 'no-contact', recorded: true };
  const sent = sentLastHour.get(ticket.customerId) ?? 0;
  if (sent >= s.customerUpdates.maxPerCustomerPerHour) return { skip: 'rate-limit', recorded: true };
  sentLastHour.set(ticket.customerId, sent + 1);

  let survey = kind === 'resolved' && s.csat.enabled;
  let surveyCall = false;
  if (caller && survey) {
    const how = s.customerUpdates.voiceSurvey;
    if (how === 'off') survey = false;
    else if (how === 'call' && deps.canDeliver?.('voice')) {
      // The rating question as an outbound call to the caller (the adapter speaks it; the key pressed is the answer).
      target = { ...target, channel: 'voice' };
      surveyCall = true;
    }
  }
  const lang = templateLanguage(ticket.language);
  const link = deps.publicBaseUrl ? new URL(`/t/${ticket.statusToken}`, deps.publicBaseUrl).href : '';
  // A resolved message that asks nothing must not say "please rate": nobody would read the answer.
  const template = kind === 'resolved' && !survey ? 'resolvedNoSurvey' : kind;
  const text = s.customerUpdates.templates[template][lang].replaceAll('{ticketNumber}', ticket.number).replaceAll('{statusLink}', link).trim();
  const messageKind = survey ? 'csat_survey' : 'progress';
  // Quiet hours are the customer's night, not ours: in their own zone where we know it.
  const timeZone = customerTimeZone(last, target);
  const notBefore = quietUntil(s, now, timeZone);
  return {
    send: {
      message: {
        ticketId: ticket.id,
        direction: 'out',
        author: 'system',
        channel: target.channel,
        toAddress: target.to,
        fromAddress: target.from ?? null,
        subject: ticket.subject,
        text,
        language: ticket.language,
        meta: { kind: messageKind, update: kind, ...(surveyCall ? { surveyCall } : {}), ...(notBefore ? { notBefore } : {}) },
        deliveryStatus: 'queued',
        createdAt: now,
      },
      outbox: {
        channel: target.channel,
        // The link on its own too: a channel that cannot carry the text as it is (a WeChat template message) links to it.
        payload: outboundPayload(target, ticket, { text }, { kind: messageKind, ...(surveyCall ? { surveyCall } : {}), ...(link ? { statusLink: link } : {}) }),
        notBefore,
      },
      event: {
        update: kind,
        channel: target.channel,
        survey,
        ...(surveyCall ? { by: 'call' } : {}),
        ...(notBefore ? { after: new Date(notBefore).toISOString(), timeZone: timeZone ?? s.customerUpdates.quietHours!.timeZone } : {}),
      },
      asksRating: survey,
    },
  };
}
