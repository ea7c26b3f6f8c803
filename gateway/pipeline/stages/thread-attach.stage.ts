import { TicketStore, type Ticket } from '../../../storage/ticket.store.js';
import type { Stage } from '../context.js';

const TICKET_NUMBER = /\b([A-Z]{1,4}-\d{8}-\d{4,})\b/;

/**
 * Joins a message to the ticket it continues: the same provider thread
 * (e-mail References root, chat conversation, WeChat group) or a ticket number
 * quoted in the subject or text. Closed tickets are final: a new ticket opens.
 */
export function threadAttachStage(tickets = new TicketStore()): Stage {
  return {
    name: 'thread-attach',
    async run(ctx, next) {
      const { channel, threadKey, subject, text, meta } = ctx.message;
      let found: Ticket | undefined;
      let reason: string | undefined;

      const quoted = (meta.ticketNumber as string | undefined) ?? `${subject ?? ''}\n${text}`.match(TICKET_NUMBER)?.[1];
      if (quoted) {
        found = await tickets.getByNumber(ctx.trx, quoted);
        reason = `quotes ticket number ${quoted}`;
      }
      if (!isAttachable(found) && threadKey) {
        found = await tickets.findByThread(ctx.trx, channel, threadKey);
        reason = `same ${channel} thread`;
      }
      if (isAttachable(found)) {
        ctx.ticket = found;
        ctx.attachReason = reason;
        // A ticket number is no password: a stranger quoting one joins the ticket, but
        // replies keep going to the ticket's customer until an agent links the two.
        if (quoted && found.number === quoted && ctx.customerId !== undefined && found.customerId !== ctx.customerId) ctx.unverifiedSender = true;
        return; // settled: the message joins an existing ticket
      }
      await next();
    },
  };
}

function isAttachable(t: Ticket | undefined): t is Ticket {
  return t !== undefined && t.status !== 'closed';
}
