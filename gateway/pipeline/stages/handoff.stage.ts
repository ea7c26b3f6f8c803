import type { FaqConfig } from '../../../config/faq.schema.js';
import { isHandoffRequest } from '../../../nlp/faq/handoff-phrases.js';
import { TicketStore } from '../../../storage/ticket.store.js';
import type { Stage } from '../context.js';

export const BOT_ANSWERED_TAG = 'bot-answered';

/**
 * "转人工" / "agent" / "0" after a bot answer: the customer's bot-answered ticket opens
 * (or reopens) for a person, with the bot exchange already on its timeline.
 */
export function handoffStage(faq: () => FaqConfig, tickets = new TicketStore()): Stage {
  return {
    name: 'handoff',
    async run(ctx, next) {
      if (ctx.customerId === undefined || !isHandoffRequest(ctx.message.text, faq())) return next();
      const since = ctx.now - 7 * 86_400_000;
      const rows = await ctx
        .trx('tickets')
        .where('customer_id', ctx.customerId)
        .whereIn('status', ['pending_customer', 'resolved'])
        .where('updated_at', '>=', since)
        .where('tags', 'like', `%"${BOT_ANSWERED_TAG}"%`)
        .orderBy('id', 'desc')
        .limit(1)
        .select('id');
      if (rows.length === 0) return next();
      ctx.ticket = await tickets.get(ctx.trx, Number(rows[0].id));
      ctx.attachReason = 'asked for a person after a bot answer';
      ctx.handoff = true;
      // settled: the bot-answered ticket goes to a person
    },
  };
}
