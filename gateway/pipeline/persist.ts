import type { GatewaySettings } from '../../config/gateway.schema.js';
import { OutboxStore } from '../../storage/outbox.store.js';
import { TicketStore } from '../../storage/ticket.store.js';
import { replyTargetFor, templateLanguage } from '../reply-target.js';
import type { IntakeContext } from './context.js';

export interface PersistResult {
  ticketId: number;
  ticketNumber: string;
  created: boolean;
}

/**
 * Writes what the stages decided — ticket, message, thread, events, replies and
 * outbox rows — inside the context's transaction.
 */
export async function persist(ctx: IntakeContext, settings: GatewaySettings, tickets: TicketStore, outbox: OutboxStore): Promise<PersistResult> {
  const m = ctx.message;
  const { trx, now } = ctx;
  if (ctx.customerId === undefined) throw new Error('pipeline reached persist without a customer (identify stage missing)');

  let ticketId: number;
  let ticketNumber: string;
  let created = false;
  if (ctx.ticket) {
    ticketId = ctx.ticket.id;
    ticketNumber = ctx.ticket.number;
    if (ctx.ticket.status === 'resolved') {
      await tickets.update(trx, ticketId, { status: 'reopened', resolvedAt: null }, 'pipeline', now);
    } else if (ctx.ticket.status === 'pending_customer') {
      await tickets.update(trx, ticketId, { status: 'open' }, 'pipeline', now);
    }
  } else {
    const u = ctx.understanding;
    const route = ctx.route ?? { queue: settings.tickets.defaultQueue, priority: 'normal', tags: [], fired: [] };
    ticketNumber = await tickets.nextNumber(trx, settings.tickets.numberPrefix, localDay(now, settings.tickets.timeZone));
    ticketId = await tickets.create(
      trx,
      {
        number: ticketNumber,
        customerId: ctx.customerId,
        channel: m.channel,
        queue: route.queue,
        priority: route.priority,
        subject: m.subject ?? null,
        language: ctx.language ?? null,
        category: u?.category ?? null,
        subcategory: u?.subcategory ?? null,
        severity: u?.severity ?? null,
        emotion: u?.emotion ?? null,
        confidence: u?.confidence ?? null,
        tags: [...new Set([...ctx.tags, ...route.tags])],
        understanding: u ? { ...u, route: { fired: route.fired } } : undefined,
      },
      now,
    );
    created = true;
    await tickets.addEvent(
      trx,
      { ticketId, actor: 'pipeline', type: 'created', before: null, after: { channel: m.channel, queue: route.queue, priority: route.priority, category: u?.category ?? null, severity: u?.severity ?? null, rules: route.fired.map((f) => f.ruleId) } },
      now,
    );
  }

  const messageId = await tickets.addMessage(trx, {
    ticketId,
    journalId: ctx.journalId,
    direction: 'in',
    author: 'customer',
    channel: m.channel,
    externalId: m.externalId,
    fromAddress: m.from.address,
    toAddress: m.to ?? null,
    subject: m.subject ?? null,
    text: m.text,
    language: ctx.language ?? null,
    attachments: m.attachments,
    meta: { ...m.meta, ...(m.threadKey ? { threadKey: m.threadKey } : {}), ...(m.from.name ? { fromName: m.from.name } : {}) },
    createdAt: Date.parse(m.receivedAt) || now,
  });
  if (m.threadKey) await tickets.attachThread(trx, ticketId, m.channel, m.threadKey);
  if (!created) {
    await tickets.addEvent(trx, { ticketId, actor: 'pipeline', type: 'message_attached', before: null, after: { messageId, channel: m.channel, reason: ctx.attachReason ?? null } }, now);
  }

  const replies = [...ctx.replies];
  if (created && settings.acknowledgement.channels.includes(m.channel)) {
    const template = settings.acknowledgement.templates[templateLanguage(ctx.language)];
    replies.push({ author: 'system', kind: 'acknowledgement', text: template.replaceAll('{ticketNumber}', ticketNumber) });
  }
  if (replies.length > 0) {
    const target = replyTargetFor({ channel: m.channel, fromAddress: m.from.address, toAddress: m.to ?? null, meta: m.meta, subject: m.subject ?? null, threadKey: m.threadKey });
    for (const reply of replies) {
      const outId = await tickets.addMessage(trx, {
        ticketId,
        direction: 'out',
        author: reply.author,
        channel: target.channel,
        toAddress: target.to,
        fromAddress: target.from ?? null,
        text: reply.text,
        language: ctx.language ?? null,
        meta: { kind: reply.kind, ...(reply.meta ?? {}) },
        deliveryStatus: 'queued',
        createdAt: now,
      });
      await outbox.enqueue(
        trx,
        {
          ticketId,
          messageId: outId,
          channel: target.channel,
          payload: { channel: target.channel, to: target.to, from: target.from, ticketNumber, subject: m.subject, text: reply.text, language: ctx.language, threadKey: target.threadKey, meta: { ...target.meta, kind: reply.kind } },
        },
        now,
      );
    }
  }
  return { ticketId, ticketNumber, created };
}

/** YYYYMMDD in the given time zone. */
export function localDay(epochMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}${get('month')}${get('day')}`;
}
