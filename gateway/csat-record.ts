import type { Knex } from 'knex';
import type { GatewaySettings } from '../config/gateway.schema.js';
import type { Ticket, TicketStore } from '../storage/ticket.store.js';

/**
 * Keeps a customer's rating on their ticket (score, comment, when) with an event; a score at or
 * below `csat.lowScore` reopens the ticket into `csat.escalateQueue` with the comment on the
 * timeline. Used by the pipeline (a reply on the customer's channel) and the status page.
 * Returns whether the score was low.
 */
export async function recordCsat(
  trx: Knex | Knex.Transaction,
  tickets: TicketStore,
  ticket: Pick<Ticket, 'id'>,
  rating: { score: number; comment: string | null; channel: string },
  settings: GatewaySettings,
  now: number,
): Promise<{ low: boolean }> {
  const { score, comment, channel } = rating;
  const low = score <= settings.csat.lowScore;
  await tickets.update(
    trx,
    ticket.id,
    { csat: score, ...(low ? { status: 'reopened' as const, resolvedAt: null, queue: settings.csat.escalateQueue } : {}) },
    'customer',
    now,
  );
  await trx('tickets').where({ id: ticket.id }).update({ csat_at: now, csat_comment: comment });
  await tickets.addEvent(trx, { ticketId: ticket.id, actor: 'customer', type: 'csat_received', before: null, after: { score, comment, channel } }, now);
  if (low) {
    await tickets.addEvent(
      trx,
      {
        ticketId: ticket.id,
        actor: 'pipeline',
        type: 'escalated',
        before: null,
        after: { reason: 'low satisfaction score', score, comment, queue: settings.csat.escalateQueue },
      },
      now,
    );
  }
  return { low };
}
