import type { PresentPerson, TicketChange } from './types.js';

export type TicketEventKind = 'ticket.created' | 'ticket.updated';

/**
 * Ticket changes from GET /api/v1/stream (Server-Sent Events). EventSource reconnects by itself
 * after a network drop; the caller is told so it can refetch what it may have missed.
 * Returns the function that closes the stream.
 */
export function subscribeToTickets(handlers: {
  change: (kind: TicketEventKind, change: TicketChange) => void;
  /** Who has a ticket open or is typing on it, whenever that changes. */
  presence?: (ticketId: number, people: PresentPerson[]) => void;
  reconnected?: () => void;
  connected?: (on: boolean) => void;
}): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  const source = new EventSource('/api/v1/stream', { withCredentials: true });
  let lostOnce = false;
  const listener = (kind: TicketEventKind) => (event: MessageEvent) => {
    try {
      const change = JSON.parse(event.data) as TicketChange;
      if (change && change.id != null) handlers.change(kind, change);
    } catch {
      /* a malformed event says nothing we can use; the next one will */
    }
  };
  const created = listener('ticket.created');
  const updated = listener('ticket.updated');
  source.addEventListener('ticket.created', created as EventListener);
  source.addEventListener('ticket.updated', updated as EventListener);
  if (handlers.presence) {
    source.addEventListener('ticket.presence', ((event: MessageEvent) => {
      try {
        const p = JSON.parse(event.data) as { id?: number; people?: PresentPerson[] };
        if (typeof p.id === 'number' && Array.isArray(p.people)) handlers.presence!(p.id, p.people);
      } catch {
        /* as above */
      }
    }) as EventListener);
  }
  source.onopen = () => {
    handlers.connected?.(true);
    if (lostOnce) handlers.reconnected?.();
  };
  source.onerror = () => {
    lostOnce = true;
    handlers.connected?.(false);
  };
  return () => source.close();
}
