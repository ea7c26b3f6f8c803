import type { GatewayConfig } from '../../config/loader.js';
import type { NotifyTarget } from '../../nlp/routing/engine.js';
import { OutboxStore } from '../../storage/outbox.store.js';
import { SimilarityStore } from '../../storage/similarity.store.js';
import type { TicketNumberSequence } from '../../storage/ticket-numbers.js';
import { newStatusToken, TicketStore } from '../../storage/ticket.store.js';
import { recordCsat } from '../csat-record.js';
import { replyTargetFor, templateLanguage } from '../reply-target.js';
import { nextCheckAt, openSla, pauseStored, resumeStored, type StoredSla } from '../sla/ticket-sla.js';
import { BOT_ANSWERED_TAG } from './stages/handoff.stage.js';
import type { Knex } from 'knex';
import type { IntakeContext } from './context.js';
import { RecentBands } from './recent-bands.js';
import { unansweredKey } from '../../storage/personal-data.store.js';

export interface PersistResult {
  ticketId: number;
  ticketNumber: string;
  created: boolean;
  /** Routing notifications to deliver after the commit (webhooks; queue notices are events). */
  notify: NotifyTarget[];
  /** Rules that fired, for metrics. */
  firedRules: string[];
  faq?: IntakeContext['faq'];
  handoff: boolean;
  /** The incident the new ticket joined: on PostgreSQL its members are recounted after the commit. */
  incidentId?: number;
}

/**
 * Writes what the stages decided — ticket, message, thread, events, replies and
 * outbox rows — inside the context's transaction.
 */
export async function persist(
  ctx: IntakeContext,
  config: GatewayConfig,
  tickets: TicketStore,
  outbox: OutboxStore,
  numbers?: TicketNumberSequence,
): Promise<PersistResult> {
  const settings = config.gateway;
  const similarity = new SimilarityStore();
  const m = ctx.message;
  const { trx, now } = ctx;
  if (ctx.customerId === undefined) throw new Error('pipeline reached persist without a customer (identify stage missing)');

  const receivedAt = Date.parse(m.receivedAt) || now;
  let ticketId: number;
  let ticketNumber: string;
  let statusToken: string | undefined;
  let created = false;
  const notify: NotifyTarget[] = [];
  const replies = [...ctx.replies];
  let autoReply: string | undefined;
  if (ctx.ticket) {
    ticketId = ctx.ticket.id;
    ticketNumber = ctx.ticket.number;
    // Joined through its number or thread although outside the dedupe window: open to the customer's next message now.
    if (ctx.ticket.lastMessageAt < receivedAt - settings.dedupe.windowDays * 86_400_000) await tickets.revive(trx, ctx.ticket, receivedAt);
    if (ctx.handoff || ctx.ticket.tags.includes(BOT_ANSWERED_TAG)) {
      // The customer came back after a bot answer: a person takes over, bot exchange on the timeline.
      await tickets.update(trx, ticketId, { tags: [...ctx.ticket.tags.filter((t) => t !== BOT_ANSWERED_TAG), 'handoff'] }, 'pipeline', now);
      await tickets.addEvent(
        trx,
        {
          ticketId,
          actor: 'pipeline',
          type: 'handoff',
          before: null,
          after: { reason: ctx.handoff ? 'asked for a person' : 'wrote again after the bot answer' },
        },
        now,
      );
    }
    if (ctx.optOut) {
      await trx('customers').where({ id: ctx.customerId }).update({ updates_opted_out_at: now });
      await tickets.addEvent(
        trx,
        { ticketId, actor: 'customer', type: 'updates_opted_out', before: null, after: { channel: m.channel, text: m.text.slice(0, 40) } },
        now,
      );
    } else if (ctx.csat) {
      const { low } = await recordCsat(trx, tickets, { id: ticketId }, { ...ctx.csat, channel: m.channel }, settings, now);
      // A rating keyed in on our survey call was thanked on the call: no text follows (the line may be a landline).
      if (m.meta.surveyCall !== true) {
        replies.push({
          author: 'system',
          kind: low ? 'csat_sorry' : 'csat_thanks',
          text: settings.csat[low ? 'sorry' : 'thanks'][templateLanguage(ctx.ticket.language)],
        });
      }
    } else if (ctx.csatComment !== undefined) {
      // A comment on the rating just given: kept with it; the ticket stays as the rating left it.
      await trx('tickets')
        .where({ id: ticketId })
        .update({ csat_comment: ctx.csatComment || null });
      await tickets.addEvent(
        trx,
        { ticketId, actor: 'customer', type: 'csat_commented', before: null, after: { comment: ctx.csatComment, channel: m.channel } },
        now,
      );
    } else if (ctx.ticket.status === 'resolved') {
      await tickets.update(trx, ticketId, { status: 'reopened', resolvedAt: null }, 'pipeline', now);
    } else if (ctx.ticket.status === 'pending_customer') {
      // The customer answered: the SLA clock runs again.
      await tickets.update(trx, ticketId, { status: 'open' }, 'pipeline', now);
      const sla = ctx.ticket.sla as StoredSla | null;
      if (sla) {
        const resumed = resumeStored(config.sla, sla, now);
        await tickets.setSla(trx, ticketId, { ...resumed }, nextCheckAt(resumed), {
          firstResponseDueAt: resumed.firstResponseDueAt,
          resolutionDueAt: resumed.resolutionDueAt,
        });
      }
    }
  } else {
    const u = ctx.understanding;
    const route = ctx.route;
    // An escalation pages `escalate.to` (event + notice); the ticket stays in the rule's queue.
    const queue = route?.queue ?? config.routing.defaults.queue ?? settings.tickets.defaultQueue;
    const priority = route?.priority ?? 'normal';
    const botAnswered = ctx.faq?.answered === true;
    const opened = openSla(config.sla, { routed: route?.slaPolicy, severity: u?.severity ?? 3, tier: ctx.customerTier ?? 'standard' }, now);
    // A bot-answered ticket waits on the customer: no SLA clock runs until they come back.
    const sla = botAnswered ? pauseStored(opened, now) : opened;
    const day = localDay(now, settings.tickets.timeZone);
    ticketNumber = numbers ? await numbers.next(trx, settings.tickets.numberPrefix, day) : await tickets.nextNumber(trx, settings.tickets.numberPrefix, day);
    statusToken = newStatusToken();
    ticketId = await tickets.create(
      trx,
      {
        number: ticketNumber,
        customerId: ctx.customerId,
        customerTier: ctx.customerTier ?? 'standard',
        channel: m.channel,
        queue,
        priority,
        assignee: route?.assignee ?? null,
        incidentId: ctx.incidentId ?? null,
        statusToken,
        subject: m.subject ?? null,
        language: ctx.language ?? null,
        category: u?.category ?? null,
        subcategory: u?.subcategory ?? null,
        severity: u?.severity ?? null,
        emotion: u?.emotion ?? null,
        confidence: u?.confidence ?? null,
        tags: [...new Set([...ctx.tags, ...(route?.tags ?? [])])],
        understanding: {
          ...(u ?? {}),
          route: { fired: route?.fired ?? [], slaPolicy: sla.policy, slaSource: sla.source },
          ...(ctx.faq ? { faq: ctx.faq } : {}),
        },
        status: botAnswered ? 'pending_customer' : 'new',
        firstResponseDueAt: sla.firstResponseDueAt,
        resolutionDueAt: sla.resolutionDueAt,
        sla: { ...sla },
        slaNextCheckAt: nextCheckAt(sla),
        firstMessageAt: receivedAt,
      },
      now,
    );
    created = true;
    if (ctx.signature) {
      // Recent tickets' bands are kept in memory rather than as 64 rows each (recent-bands.ts).
      await similarity.save(trx, ticketId, ctx.signature, now);
      // Only while surge detection is on: nothing else reads (or forgets) them.
      if (settings.incidents.enabled) RecentBands.of(trx).add(ticketId, ctx.signature.bands, now);
    }
    if (ctx.incidentId !== undefined) {
      await tickets.addEvent(trx, { ticketId, actor: 'incident', type: 'incident_linked', before: null, after: { incidentId: ctx.incidentId } }, now);
      // Recounted by the pipeline (PersistResult.incidentId): on SQLite once per transaction before its commit, on
      // PostgreSQL after it.
    }
    await tickets.addEvent(
      trx,
      {
        ticketId,
        actor: 'pipeline',
        type: 'created',
        before: null,
        after: {
          channel: m.channel,
          queue,
          priority,
          assignee: route?.assignee ?? null,
          category: u?.category ?? null,
          severity: u?.severity ?? null,
          slaPolicy: sla.policy,
          rules: (route?.fired ?? []).map((f) => f.ruleId),
        },
      },
      now,
    );
    if (botAnswered) {
      await tickets.addEvent(
        trx,
        { ticketId, actor: 'bot', type: 'bot_answered', before: null, after: { entryId: ctx.faq?.entryId ?? null, score: ctx.faq?.score ?? null } },
        now,
      );
    } else if (u?.category === 'INQ' || ctx.faq?.withheld) {
      // A question the FAQ could not answer (or was not allowed to): leads see these as "top unanswered".
      await recordUnanswered(trx, m.text, now);
    }
    if (route?.escalate) {
      await tickets.addEvent(
        trx,
        { ticketId, actor: 'routing', type: 'escalated', before: null, after: { to: route.escalate.to, reason: route.escalate.reason } },
        now,
      );
      notify.push({ queue: route.escalate.to });
    }
    for (const target of route?.notify ?? []) {
      await tickets.addEvent(trx, { ticketId, actor: 'routing', type: 'notified', before: null, after: target }, now);
      notify.push(target);
    }
    if (route?.autoReply) autoReply = route.autoReply.template;
  }

  const messageId = await tickets.addMessage(
    trx,
    {
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
      meta: {
        ...m.meta,
        ...(m.threadKey ? { threadKey: m.threadKey } : {}),
        ...(m.from.name ? { fromName: m.from.name } : {}),
        ...(ctx.unverifiedSender ? { unverifiedSender: true } : {}),
      },
      createdAt: receivedAt,
    },
    // A new ticket was created counting this message already.
    !created,
  );
  if (m.threadKey) await tickets.attachThread(trx, ticketId, m.channel, m.threadKey);
  if (ctx.orderNumbers?.length) await similarity.addOrders(trx, ticketId, ctx.orderNumbers);
  if (ctx.unverifiedSender) {
    await tickets.addEvent(
      trx,
      {
        ticketId,
        actor: 'pipeline',
        type: 'unverified_sender',
        before: null,
        after: {
          messageId,
          channel: m.channel,
          customerId: ctx.customerId,
          note: 'quoted the ticket number from another address; replies still go to the ticket customer — merge the customers to change that',
        },
      },
      now,
    );
  }
  if (!created) {
    await tickets.addEvent(
      trx,
      { ticketId, actor: 'pipeline', type: 'message_attached', before: null, after: { messageId, channel: m.channel, reason: ctx.attachReason ?? null } },
      now,
    );
  }

  if (created && ctx.faq?.answered !== true && settings.acknowledgement.channels.includes(m.channel)) {
    const template = settings.acknowledgement.templates[templateLanguage(ctx.language)];
    // The status page link (needs PUBLIC_BASE_URL): where the template says {statusUrl}, else on a line of its own.
    const base = config.env.PUBLIC_BASE_URL?.replace(/\/+$/, '');
    const statusUrl = base && statusToken ? `${base}/t/${statusToken}` : '';
    const ack = statusUrl && !template.includes('{statusUrl}') ? `${template}\n${statusUrl}` : template.replaceAll('{statusUrl}', statusUrl);
    // One message, not two: the routing auto-reply (e.g. "we are closed until 9:00") rides on the
    // acknowledgement — or replaces it when it quotes the ticket number itself (it then says it all).
    const withStatus = (t: string) => (statusUrl && !t.includes('{statusUrl}') ? `${t}\n${statusUrl}` : t.replaceAll('{statusUrl}', statusUrl));
    const text = autoReply?.includes('{ticketNumber}') ? withStatus(autoReply) : [ack, autoReply].filter(Boolean).join('\n');
    replies.push({ author: 'system', kind: 'acknowledgement', text });
    autoReply = undefined;
  }
  // A bot answer already is the reply: no "we are closed" notice on top of it.
  if (autoReply && ctx.faq?.answered !== true) replies.push({ author: 'bot', kind: 'auto_reply', text: autoReply });
  if (replies.length > 0) {
    const target = replyTargetFor({
      channel: m.channel,
      fromAddress: m.from.address,
      toAddress: m.to ?? null,
      meta: m.meta,
      subject: m.subject ?? null,
      threadKey: m.threadKey,
    });
    for (const reply of replies) {
      reply.text = reply.text.replaceAll('{ticketNumber}', ticketNumber);
      const outId = await tickets.addMessage(
        trx,
        {
          ticketId,
          direction: 'out',
          author: reply.author,
          channel: target.channel,
          toAddress: target.to,
          fromAddress: target.from ?? null,
          text: reply.text,
          language: ctx.language ?? null,
          meta: { kind: reply.kind, ...(reply.meta ?? {}) },
          deliveryStatus: reply.meta?.alreadyDelivered ? 'sent' : 'queued',
          createdAt: now,
        },
        !created,
      );
      if (reply.meta?.alreadyDelivered) continue;
      await outbox.add(
        trx,
        {
          ticketId,
          messageId: outId,
          channel: target.channel,
          payload: {
            channel: target.channel,
            to: target.to,
            from: target.from,
            ticketNumber,
            subject: m.subject,
            text: reply.text,
            language: ctx.language,
            threadKey: target.threadKey,
            meta: { ...target.meta, kind: reply.kind },
          },
        },
        now,
      );
    }
  }
  return {
    ticketId,
    ticketNumber,
    created,
    notify,
    firedRules: created ? (ctx.route?.fired ?? []).map((f) => f.ruleId) : [],
    faq: created ? ctx.faq : undefined,
    handoff: ctx.handoff === true,
    incidentId: created ? ctx.incidentId : undefined,
  };
}

/** Counts a question nobody could answer automatically, keyed by its folded text. */
async function recordUnanswered(trx: Knex.Transaction, text: string, now: number): Promise<void> {
  // The same key an erasure looks for (storage/personal-data.store.ts), so the question leaves with the customer's text.
  const key = unansweredKey(text);
  if (!key) return;
  await trx('faq_unanswered')
    .insert({ question: key, sample: text.slice(0, 500), count: 1, last_seen_at: now })
    .onConflict('question')
    .merge({ count: trx.raw('faq_unanswered.count + 1'), last_seen_at: now });
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** YYYYMMDD in the given time zone. */
export function localDay(epochMs: number, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) dayFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const parts = format.formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}${get('month')}${get('day')}`;
}
