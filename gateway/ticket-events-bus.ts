import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ClusterBus } from '../contracts/cluster-bus.js';
import type { Db } from '../storage/db.js';

/** Why a ticket changed, as the console's live stream says it. */
export type TicketChangeReason = 'created' | 'message' | 'reply' | 'note' | 'status' | 'assignee' | 'priority' | 'queue' | 'category';

/** A committed change to announce. */
export interface TicketChange {
  ticketId: number;
  reason: TicketChangeReason;
  /** Every field a PATCH changed, when it changed several (reason is the first of them). */
  changes?: TicketChangeReason[];
}

/** What a live-stream subscriber receives: enough to update an inbox row, or to know to re-read the ticket. */
export interface TicketChangeEvent {
  type: 'ticket.created' | 'ticket.updated';
  id: number;
  number: string;
  status: string;
  queue: string;
  assignee: string | null;
  updatedAt: string;
  reason: TicketChangeReason;
  changes?: TicketChangeReason[];
}

/** A bus notice's events stay under this many bytes of JSON (PostgreSQL's NOTIFY takes under 8000 inline). */
const NOTICE_BYTES = 6_000;

/** `events` cut into consecutive groups of at most `limit` bytes of JSON each (an event larger than that alone). */
function groupsUnder(events: readonly TicketChangeEvent[], limit: number): TicketChangeEvent[][] {
  const groups: TicketChangeEvent[][] = [];
  let group: TicketChangeEvent[] = [];
  let bytes = 2;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event)) + 1;
    if (group.length > 0 && bytes + size > limit) {
      groups.push(group);
      group = [];
      bytes = 2;
    }
    group.push(event);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * In-process notifications of ticket changes for the console's live stream (GET /api/v1/stream).
 * Not the audit log (ticket_events), and not durable: a subscriber that is not connected misses
 * changes and reloads its page. Producers call `announce` only after their transaction committed, so a
 * client never sees a change it then cannot read. With a cluster bus (PostgreSQL LISTEN/NOTIFY or Redis)
 * the changes reach the streams of every gateway process.
 */
export class TicketEventsBus {
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly bus?: ClusterBus,
  ) {
    // One listener per open console tab: no leak warning at 11.
    this.emitter.setMaxListeners(0);
    // A notice carries the changes of one batch (an array); a single change is accepted too.
    bus?.subscribe('ticket.change', (payload) => {
      for (const event of Array.isArray(payload) ? payload : [payload]) this.emitter.emit('change', event as TicketChangeEvent);
    });
  }

  /** Calls `listener` for every change from now on; returns the unsubscribe function. */
  subscribe(listener: (event: TicketChangeEvent) => void): () => void {
    const safe = (event: TicketChangeEvent) => {
      try {
        listener(event);
      } catch (err) {
        this.log.warn({ err }, 'a live-stream subscriber failed on a ticket change');
      }
    };
    this.emitter.on('change', safe);
    return () => this.emitter.off('change', safe);
  }

  get subscriberCount(): number {
    return this.emitter.listenerCount('change');
  }

  publish(event: TicketChangeEvent): void {
    this.publishAll([event]);
  }

  /**
   * Publishes a batch's events in as few bus notices as fit: a drained chunk of 50 new tickets is two
   * NOTIFYs on PostgreSQL, not 50 (each one a statement and a wake-up of every listening process).
   */
  private publishAll(events: readonly TicketChangeEvent[]): void {
    if (!this.bus) {
      for (const event of events) this.emitter.emit('change', event);
      return;
    }
    for (const group of groupsUnder(events, NOTICE_BYTES)) this.bus.publish('ticket.change', group);
  }

  /**
   * Reads the changed tickets' current state (one query) and publishes one event per ticket. Nothing
   * is read while nobody listens (in a single process). Never throws: a failure here must not fail the change it reports.
   */
  async announce(changes: readonly TicketChange[]): Promise<void> {
    // Nobody listening here is enough to skip the read only when no other process can be listening either.
    if (changes.length === 0 || (this.subscriberCount === 0 && (this.bus?.kind ?? 'local') === 'local')) return;
    try {
      // One event per ticket: its creation wins over a message attached in the same batch.
      const byTicket = new Map<number, TicketChange>();
      for (const c of changes) if (byTicket.get(c.ticketId)?.reason !== 'created') byTicket.set(c.ticketId, c);
      const rows = await this.db('tickets')
        .whereIn('id', [...byTicket.keys()])
        .select('id', 'number', 'status', 'queue', 'assignee', 'updated_at');
      const events: TicketChangeEvent[] = [];
      for (const r of rows) {
        const change = byTicket.get(Number(r.id))!;
        events.push({
          type: change.reason === 'created' ? 'ticket.created' : 'ticket.updated',
          id: Number(r.id),
          number: r.number,
          status: r.status,
          queue: r.queue,
          assignee: r.assignee ?? null,
          updatedAt: new Date(Number(r.updated_at)).toISOString(),
          reason: change.reason,
          ...(change.changes && change.changes.length > 1 ? { changes: change.changes } : {}),
        });
      }
      this.publishAll(events);
    } catch (err) {
      this.log.warn({ err, tickets: changes.map((c) => c.ticketId) }, 'could not announce ticket changes to the live stream');
    }
  }
}
