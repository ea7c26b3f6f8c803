import type { Db } from '../storage/db.js';
import type { Ticket, TicketStore } from '../storage/ticket.store.js';
import type { TicketChange } from './ticket-events-bus.js';

export const NOTE_MAX_CHARS = 10_000;

export interface InternalNote {
  id: number;
  ticketId: number;
  /** `agent:<name>`, as every event's actor. */
  actor: string;
  text: string;
  createdAt: number;
}

/**
 * Internal notes: what agents tell each other about a ticket. A note is an event on the ticket's
 * timeline, never a message: no outbox row, no adapter, no status page, no SLA first response.
 */
export class TicketNotes {
  constructor(
    private readonly deps: {
      db: Db;
      tickets: TicketStore;
      /** Finds a ticket by id or number, 404 otherwise (TicketService.find). */
      find: (idOrNumber: string) => Promise<Ticket>;
      /** Told after the note is committed (the console's live stream). */
      onChanged?: (change: TicketChange) => void;
    },
  ) {}

  async add(idOrNumber: string, text: string, actor: string): Promise<InternalNote> {
    const ticket = await this.deps.find(idOrNumber);
    const now = Date.now();
    const id = await this.deps.db.transaction((trx) => this.deps.tickets.addNote(trx, ticket.id, actor, text, now));
    this.deps.onChanged?.({ ticketId: ticket.id, reason: 'note' });
    return { id, ticketId: ticket.id, actor, text, createdAt: now };
  }
}
