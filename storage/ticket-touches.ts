import type { Knex } from 'knex';
import type { DeferredTask } from './deferred-writes.store.js';

interface Touch {
  updatedAt: number;
  inbound: number;
  lastMessageAt?: number;
  lastChannel?: string;
  channels: string[];
}

/**
 * What new messages do to their tickets (updated time; for a customer's message also the
 * count, last message time and channel, and the channel list), gathered over a pipeline
 * transaction and written by one UPDATE before its commit: the same values as one UPDATE per
 * message, in one round trip. Values are the last message's, as sequential updates leave them.
 */
export class TicketTouches implements DeferredTask {
  static readonly key = 'ticket-touches';
  private readonly touches = new Map<number, Touch>();

  add(ticketId: number, m: { direction: 'in' | 'out'; channel: string; createdAt: number }): void {
    let t = this.touches.get(ticketId);
    if (!t) this.touches.set(ticketId, (t = { updatedAt: m.createdAt, inbound: 0, channels: [] }));
    t.updatedAt = m.createdAt;
    if (m.direction !== 'in') return;
    t.inbound++;
    t.lastMessageAt = m.createdAt;
    t.lastChannel = m.channel;
    if (!t.channels.includes(m.channel)) t.channels.push(m.channel);
  }

  async write(trx: Knex.Transaction): Promise<void> {
    if (this.touches.size === 0) return;
    const entries = [...this.touches];
    const inbound = entries.filter(([, t]) => t.inbound > 0);
    // Typed values: PostgreSQL takes untyped parameters in a CASE for text.
    const bigint = (pick: (t: Touch) => number, rows: Array<[number, Touch]>) =>
      trx.raw(
        `CASE id ${rows.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ')} END`,
        rows.flatMap(([id, t]) => [id, pick(t)]),
      );
    const update: Record<string, Knex.Raw> = { updated_at: bigint((t) => t.updatedAt, entries) };
    if (inbound.length > 0) {
      const when = (sql: string) => inbound.map(() => `WHEN ? THEN ${sql}`).join(' ');
      update.message_count = trx.raw(
        `message_count + CASE id ${when('CAST(? AS INTEGER)')} ELSE 0 END`,
        inbound.flatMap(([id, t]) => [id, t.inbound]),
      );
      update.last_message_at = trx.raw(
        `CASE id ${when('CAST(? AS BIGINT)')} ELSE last_message_at END`,
        inbound.flatMap(([id, t]) => [id, t.lastMessageAt!]),
      );
      update.last_channel = trx.raw(
        `CASE id ${when('CAST(? AS VARCHAR(32))')} ELSE last_channel END`,
        inbound.flatMap(([id, t]) => [id, t.lastChannel!]),
      );
      // ",email,sms,": each new channel appended once (checked against the stored list).
      const append = (t: Touch) => t.channels.map(() => `(CASE WHEN channels LIKE ? THEN '' ELSE CAST(? AS VARCHAR(32)) END)`).join(' || ');
      update.channels = trx.raw(
        `CASE id ${inbound.map(([, t]) => `WHEN ? THEN channels || ${append(t)}`).join(' ')} ELSE channels END`,
        inbound.flatMap(([id, t]) => [id, ...t.channels.flatMap((c) => [`%,${c},%`, `${c},`])]),
      );
    }
    await trx('tickets')
      .whereIn(
        'id',
        entries.map(([id]) => id),
      )
      .update(update);
  }
}
