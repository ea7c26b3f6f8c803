import type { TicketDetail, TicketEvent, TicketMessage } from '../api/types.js';

export type TimelineEntry =
  | { kind: 'message'; at: string; message: TicketMessage; failure?: string }
  | { kind: 'note'; at: string; id: string; author: string | null; text: string | null }
  | { kind: 'event'; at: string; event: TicketEvent };

/** Internal notes may come as messages flagged internal or as note events; both are shown the same way. */
export function isInternalMessage(m: TicketMessage): boolean {
  const meta = m.meta ?? {};
  return (
    m.direction === 'internal' || m.internal === true || m.kind === 'note' || meta.internal === true || meta.kind === 'note' || meta.kind === 'internal_note'
  );
}

const NOTE_EVENTS = new Set(['note', 'note_added', 'internal_note']);
/** Events the timeline already shows as a message. */
const SHOWN_AS_MESSAGE = new Set(['replied']);

function noteText(after: unknown): string | undefined {
  if (after && typeof after === 'object' && typeof (after as { text?: unknown }).text === 'string') return (after as { text: string }).text;
  return undefined;
}

/**
 * Messages on every channel, notes and audit events in one time order. A failed delivery is
 * attached to the message it concerns (the event names the message id), so the reason shows
 * where the agent looks.
 */
export function timelineOf(ticket: TicketDetail): TimelineEntry[] {
  const failures = new Map<number, string>();
  for (const e of ticket.events) {
    if (e.type !== 'delivery_failed') continue;
    const after = (e.after ?? {}) as { messageId?: number; reason?: string; status?: string; code?: string | null };
    if (after.messageId != null) failures.set(Number(after.messageId), after.reason ?? [after.status, after.code].filter(Boolean).join(' '));
  }
  const entries: TimelineEntry[] = [];
  for (const m of ticket.messages) {
    if (isInternalMessage(m)) entries.push({ kind: 'note', at: m.createdAt, id: `m${m.id}`, author: m.authorId, text: m.text });
    else entries.push({ kind: 'message', at: m.createdAt, message: m, failure: failures.get(m.id) });
  }
  for (const n of ticket.notes ?? []) entries.push({ kind: 'note', at: n.createdAt, id: `n${n.id}`, author: n.author ?? null, text: n.text });
  for (const e of ticket.events) {
    if (SHOWN_AS_MESSAGE.has(e.type)) continue;
    // The API lists notes in `notes` too (gateway/http/internal-note-view.ts): then the event is the same note.
    if (ticket.notes && NOTE_EVENTS.has(e.type)) continue;
    const text = NOTE_EVENTS.has(e.type) ? noteText(e.after) : undefined;
    if (text === undefined) {
      entries.push({ kind: 'event', at: e.createdAt, event: e });
      continue;
    }
    entries.push({ kind: 'note', at: e.createdAt, id: `e${e.id}`, author: e.actor, text });
  }
  // Stable: equal times keep the order above (messages before the events they caused).
  return entries
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => new Date(a.entry.at).getTime() - new Date(b.entry.at).getTime() || a.i - b.i)
    .map((x) => x.entry);
}

/** `agent:li.lei` → `li.lei`. */
export function actorName(actor: string | null | undefined): string {
  if (!actor) return '';
  return actor.replace(/^(agent|user|session):/, '');
}
