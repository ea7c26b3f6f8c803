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

/**
 * In-process notifications of ticket changes for the console's live stream (GET /api/v1/stream).
 * Not the audit log (ticket_events), and not durable: a subscriber that is not connected misses
 * changes and reloads its page. Producers call `announce` only after their transaction committed, so a
 * client never sees a change it then cannot read. One gateway process; delivery between processes is
 * a later step (LISTEN/NOTIFY or a shared bus would feed `publish` the same way).
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
    bus?.subscribe('ticket.change', (event) => this.emitter.emit('change', event as TicketChangeEvent));
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
    if (this.bus) this.bus.publish('ticket.change', event);
    else this.emitter.emit('change', event);
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
      for (const r of rows) {
        const change = byTicket.get(Number(r.id))!;
        this.publish({
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
    } catch (err) {
      this.log.warn({ err, tickets: changes.map((c) => c.ticketId) }, 'could not announce ticket changes to the live stream');
    }
  }
}
