import type { Knex } from 'knex';
import type { TicketStore } from '../storage/ticket.store.js';
import { nextCheckAt, type StoredSla } from './sla/ticket-sla.js';

/** The tag of a ticket whose customer no reply could reach (the inbox's "cannot reach customer" view). */
export const UNREACHABLE_TAG = 'unreachable';
const REACHING = ['queued', 'sent', 'delivered'];

/**
 * An agent's reply that no channel could deliver (no adapter, a permanent refusal, retries spent)
 * was no answer: unless another reply of theirs is on its way or arrived, the first response is
 * taken back (the SLA clock runs again) and the ticket is tagged `unreachable` so a person finds
 * another way to reach the customer. Anything else that fails (an acknowledgement, a progress
 * message) only tags the ticket.
 */
export async function deliveryFailedForGood(
  trx: Knex.Transaction,
  tickets: TicketStore,
  ticketId: number,
  messageId: number,
  reason: string,
  now: number,
): Promise<void> {
  const ticket = await tickets.get(trx, ticketId);
  if (!ticket) return;
  const message = await trx('messages').where({ id: messageId }).first('author');
  const patch: Parameters<TicketStore['update']>[2] = {};
  if (!ticket.tags.includes(UNREACHABLE_TAG)) patch.tags = [...ticket.tags, UNREACHABLE_TAG];
  if (message?.author === 'agent' && ticket.firstRespondedAt !== null) {
    const others = await trx('messages')
      .where({ ticket_id: ticketId, direction: 'out', author: 'agent' })
      .whereNot('id', messageId)
      .whereIn('delivery_status', REACHING)
      .count({ n: '*' })
      .first();
    if (Number(others?.n ?? 0) === 0) {
      patch.firstRespondedAt = null;
      const sla = ticket.sla as StoredSla | null;
      if (sla?.firstRespondedAt !== undefined) {
        const { firstRespondedAt: _taken, ...clock } = sla;
        await tickets.setSla(trx, ticketId, { ...clock }, nextCheckAt(clock), {
          firstResponseDueAt: clock.firstResponseDueAt,
          resolutionDueAt: clock.resolutionDueAt,
        });
      }
    }
  }
  if (Object.keys(patch).length > 0) await tickets.update(trx, ticketId, patch, 'outbox', now);
  await tickets.addEvent(
    trx,
    {
      ticketId,
      actor: 'outbox',
      type: 'customer_unreachable',
      before: null,
      after: { messageId, reason, firstResponseTakenBack: patch.firstRespondedAt === null },
    },
    now,
  );
}

/**
 * Replies reached their customers after all: their tickets are no longer in the "cannot reach" view. `reached` holds
 * each ticket's tags as the statement that marked its messages sent read them (TicketStore.setDeliveryStatuses), so
 * a ticket that was never tagged costs nothing more.
 */
export async function deliveredToCustomers(
  trx: Knex.Transaction,
  tickets: TicketStore,
  reached: ReadonlyArray<{ ticketId: number; tags: string[] }>,
  now: number,
): Promise<void> {
  const untagged = new Set<number>();
  for (const { ticketId, tags } of reached) {
    if (!tags.includes(UNREACHABLE_TAG) || untagged.has(ticketId)) continue;
    untagged.add(ticketId);
    await tickets.update(trx, ticketId, { tags: tags.filter((t) => t !== UNREACHABLE_TAG) }, 'outbox', now);
  }
}
