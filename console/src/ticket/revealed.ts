import type { TicketDetail } from '../api/types.js';

/**
 * The ticket as the page shows it after the agent revealed its contact details (POST …/reveal, audited): the
 * revealed answer's messages, notes, events and customer take the place of the masked ones with the same id.
 * What arrived after the reveal stays as the latest load has it (masked) until the agent reveals again, so a
 * reload never asks the server for full values on its own.
 */
export function withRevealed(ticket: TicketDetail, revealed: TicketDetail | undefined): TicketDetail {
  if (!revealed || revealed.id !== ticket.id) return ticket;
  const messages = new Map(revealed.messages.map((m) => [m.id, m]));
  const events = new Map(revealed.events.map((e) => [e.id, e]));
  const notes = new Map((revealed.notes ?? []).map((n) => [n.id, n]));
  return {
    ...ticket,
    subject: revealed.subject,
    customer: revealed.customer && revealed.customer.id === ticket.customer?.id ? revealed.customer : ticket.customer,
    messages: ticket.messages.map((m) => messages.get(m.id) ?? m),
    events: ticket.events.map((e) => events.get(e.id) ?? e),
    notes: ticket.notes?.map((n) => notes.get(n.id) ?? n),
    understanding: revealed.understanding,
  };
}
