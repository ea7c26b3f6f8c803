import { EventEmitter } from 'node:events';

export type PresenceState = 'viewing' | 'typing';

export interface PresentPerson {
  name: string;
  displayName: string;
  state: PresenceState;
  /** When this person opened the ticket (ISO). */
  since: string;
}

/** What the live stream sends when the people on a ticket change. */
export interface TicketPresenceEvent {
  type: 'ticket.presence';
  id: number;
  people: PresentPerson[];
}

interface Entry {
  displayName: string;
  state: PresenceState;
  since: number;
  /** Until when the state holds without another report. */
  until: number;
  /** A typing report lapses back to viewing, not away. */
  viewingUntil: number;
}

/** An open ticket page reports "viewing" every 15 s; a page missing three reports has gone. */
export const VIEWING_TTL_MS = 45_000;
/** A composer reports "typing" at most every 2 s while keys are pressed; 6 s without is a pause. */
export const TYPING_TTL_MS = 6_000;
const SWEEP_MS = 2_000;

/**
 * Who has each ticket open, and who is typing on it: kept in memory for the console's live
 * stream, so two agents do not answer one customer twice. Nothing here is durable or audited;
 * a person who closes the tab disappears when their reports stop. One gateway process (like
 * the stream itself).
 */
export class TicketPresence {
  private readonly tickets = new Map<number, Map<string, Entry>>();
  private readonly emitter = new EventEmitter();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly clock: () => number = Date.now) {
    this.emitter.setMaxListeners(0);
  }

  /** A person's state on a ticket now; "left" removes them. Returns everyone on the ticket after it. */
  report(ticketId: number, person: { name: string; displayName?: string }, state: PresenceState | 'left'): PresentPerson[] {
    const now = this.clock();
    let people = this.tickets.get(ticketId);
    const before = people ? signature(people, now) : '';
    if (state === 'left') {
      people?.delete(person.name);
    } else {
      if (!people) this.tickets.set(ticketId, (people = new Map()));
      const old = people.get(person.name);
      const viewingUntil = now + VIEWING_TTL_MS;
      people.set(person.name, {
        displayName: person.displayName ?? person.name,
        state,
        since: old?.since ?? now,
        until: state === 'typing' ? now + TYPING_TTL_MS : viewingUntil,
        viewingUntil,
      });
    }
    if (people && people.size === 0) this.tickets.delete(ticketId);
    const after = this.tickets.get(ticketId);
    if ((after ? signature(after, now) : '') !== before) this.announce(ticketId);
    this.sweepSoon();
    return this.list(ticketId);
  }

  /** Everyone on the ticket now, in the order they opened it. */
  list(ticketId: number): PresentPerson[] {
    const now = this.clock();
    const people = this.tickets.get(ticketId);
    if (!people) return [];
    return [...people.entries()]
      .filter(([, e]) => e.viewingUntil > now)
      .sort((a, b) => a[1].since - b[1].since)
      .map(([name, e]) => ({
        name,
        displayName: e.displayName,
        state: e.state === 'typing' && e.until > now ? 'typing' : 'viewing',
        since: new Date(e.since).toISOString(),
      }));
  }

  subscribe(listener: (event: TicketPresenceEvent) => void): () => void {
    this.emitter.on('presence', listener);
    return () => this.emitter.off('presence', listener);
  }

  stop(): void {
    clearTimeout(this.sweeper);
    this.sweeper = undefined;
  }

  /** Lapsed typing turns back into viewing, lapsed viewing into gone; each change is announced. */
  sweep(): void {
    const now = this.clock();
    for (const [ticketId, people] of this.tickets) {
      let changed = false;
      for (const [name, e] of people) {
        if (e.viewingUntil <= now) {
          people.delete(name);
          changed = true;
        } else if (e.state === 'typing' && e.until <= now) {
          e.state = 'viewing';
          e.until = e.viewingUntil;
          changed = true;
        }
      }
      if (people.size === 0) this.tickets.delete(ticketId);
      if (changed) this.announce(ticketId);
    }
  }

  private announce(ticketId: number): void {
    this.emitter.emit('presence', { type: 'ticket.presence', id: ticketId, people: this.list(ticketId) } satisfies TicketPresenceEvent);
  }

  private sweepSoon(): void {
    if (this.sweeper || this.tickets.size === 0) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      this.sweep();
      this.sweepSoon();
    }, SWEEP_MS);
    this.sweeper.unref();
  }
}

function signature(people: Map<string, Entry>, now: number): string {
  return [...people.entries()]
    .filter(([, e]) => e.viewingUntil > now)
    .map(([name, e]) => `${name}:${e.state === 'typing' && e.until > now ? 't' : 'v'}`)
    .sort()
    .join(',');
}
