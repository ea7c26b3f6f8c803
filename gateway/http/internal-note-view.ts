import type { TicketEvent } from '../../storage/ticket.store.js';
import type { InternalNote } from '../ticket-notes.js';
import type { FieldMask } from './contact-view.js';

/** An internal note as the API shows it, in the POST answer and on the ticket's timeline alike. */
export function internalNoteView(note: InternalNote) {
  return {
    id: note.id,
    ticketId: note.ticketId,
    author: note.actor.replace(/^agent:/, ''),
    actor: note.actor,
    text: note.text,
    internal: true as const,
    createdAt: new Date(note.createdAt).toISOString(),
  };
}

/** The notes among a ticket's events (type `note`, see TicketStore.addNote), oldest first, their text as `mask` shows it. */
export function notesOf(events: readonly TicketEvent[], mask: FieldMask) {
  return events
    .filter((e) => e.type === 'note')
    .map((e) => {
      const note = internalNoteView({
        id: e.id,
        ticketId: e.ticketId,
        actor: e.actor,
        text: String((e.after as { text?: unknown } | null)?.text ?? ''),
        createdAt: e.createdAt,
      });
      return { ...note, text: mask.text(note.text) };
    });
}
