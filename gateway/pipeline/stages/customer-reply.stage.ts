import type { GatewaySettings } from '../../../config/gateway.schema.js';
import { readSurveyReply } from '../../../nlp/csat-reply.js';
import { TicketStore } from '../../../storage/ticket.store.js';
import type { Stage } from '../context.js';

const DAY_MS = 86_400_000;
/** As long as a comment given on the status page. */
const COMMENT_MAX = 1000;

/** "STOP", "退订。", " Unsubscribe! " → the bare word, for comparing with the opt-out list. */
function bare(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/^[\s"'“”‘’.。!！,，]+|[\s"'“”‘’.。!！,，]+$/gu, '');
}

/**
 * Answers to what the gateway asked the customer: "STOP" / "退订" (no more progress messages, on
 * any channel), a rating after the satisfaction question ("5", "非常满意", "👍") and the comment
 * the web chat widget sends after a rating given with its buttons. Each joins the customer's
 * ticket instead of opening a new one; persist records it.
 */
export function customerReplyStage(settings: () => GatewaySettings, tickets = new TicketStore()): Stage {
  return {
    name: 'customer-reply',
    async run(ctx, next) {
      if (ctx.customerId === undefined) return next();
      const s = settings();
      const word = bare(ctx.message.text);
      if (word && s.customerUpdates.optOutWords.some((w) => w.toLowerCase() === word)) {
        ctx.optOut = true;
        const latest = await ctx.trx('tickets').where('customer_id', ctx.customerId).whereNot('status', 'closed').orderBy('id', 'desc').first('id');
        if (!latest) return next();
        ctx.ticket = await tickets.get(ctx.trx, Number(latest.id));
        ctx.attachReason = 'asked to stop progress messages';
        return;
      }
      // The widget's box under a rating just given (meta.csatComment): the comment on that rating,
      // kept on the ticket without reopening it. With no rating left to comment on, a message like any other.
      if (s.csat.enabled && ctx.message.meta.csatComment === true) {
        const rated = await ctx
          .trx('tickets')
          .where('customer_id', ctx.customerId)
          .whereNotNull('csat')
          .whereNull('csat_comment')
          .where('csat_at', '>=', ctx.now - s.csat.replyWindowDays * DAY_MS)
          .orderBy('csat_at', 'desc')
          .first('id');
        if (rated) {
          ctx.ticket = await tickets.get(ctx.trx, Number(rated.id));
          ctx.attachReason = 'commented on their rating';
          ctx.csatComment = ctx.message.text.trim().slice(0, COMMENT_MAX);
          return;
        }
      }
      // Most messages are no rating: read the text first, and look for a survey only for one that is.
      const rating = s.csat.enabled ? readSurveyReply(ctx.message.text) : undefined;
      if (!rating) return next();
      // A key pressed on the satisfaction call (Twilio voice) names the ticket the call asked about: it rates that
      // ticket, whatever happened since (rated on the status page, reopened), as long as it is this customer's and was asked.
      const called = ctx.message.channel === 'voice' && typeof ctx.message.meta.surveyTicket === 'string' ? ctx.message.meta.surveyTicket : undefined;
      const asked = called
        ? await ctx.trx('tickets').where({ customer_id: ctx.customerId, number: called }).whereNotNull('csat_requested_at').first('id')
        : await ctx
            .trx('tickets')
            .where('customer_id', ctx.customerId)
            .where('status', 'resolved')
            .whereNull('csat')
            .where('csat_requested_at', '>=', ctx.now - s.csat.replyWindowDays * DAY_MS)
            .orderBy('csat_requested_at', 'desc')
            .first('id');
      if (!asked) return next();
      ctx.ticket = await tickets.get(ctx.trx, Number(asked.id));
      ctx.attachReason = 'answered the satisfaction question';
      ctx.csat = rating;
    },
  };
}
