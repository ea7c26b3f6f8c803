import type { Knex } from 'knex';
import { dialectOf, type Db, type DbRow } from './db.js';
import { DeferredWrites } from './deferred-writes.store.js';

type Conn = Knex | Knex.Transaction;

export type DeliveryTargetKind = 'subscription' | 'robot';
export type DeliveryStatus = 'pending' | 'processing' | 'delivered' | 'dead' | 'cancelled';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'processing', 'delivered', 'dead', 'cancelled'];

/** A subscription made through the admin API. */
export interface StoredSubscription {
  id: string;
  url: string;
  secret: string;
  events: string[];
  description: string | null;
  createdBy: string;
  createdAt: number;
}

/** One event for one target, written in the transaction of the change it reports. */
export interface NewDelivery {
  targetKind: DeliveryTargetKind;
  target: string;
  eventId: string;
  eventType: string;
  ticketId?: number | null;
  incidentId?: number | null;
  /** Deliveries of one target with the same key are sent one after the other, in the order they were written. */
  orderKey?: string | null;
  payload: string;
}

export interface ClaimedDelivery {
  id: number;
  targetKind: DeliveryTargetKind;
  target: string;
  eventId: string;
  eventType: string;
  ticketId: number | null;
  orderKey: string | null;
  payload: string;
  /** This attempt's number (1 for the first). */
  attempts: number;
  createdAt: number;
}

export interface DeliveryView {
  id: number;
  targetKind: DeliveryTargetKind;
  target: string;
  eventId: string;
  eventType: string;
  ticketId: number | null;
  incidentId: number | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  lastStatusCode: number | null;
  collapsedInto: number | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface AttemptView {
  attempt: number;
  at: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** What one attempt got back, kept in the delivery's history. */
export interface AttemptResult {
  attempt: number;
  statusCode?: number | null;
  error?: string | null;
  durationMs: number;
}

const IN_FLIGHT = ['pending', 'processing'];

function toView(r: DbRow): DeliveryView {
  return {
    id: Number(r.id),
    targetKind: r.target_kind,
    target: r.target,
    eventId: r.event_id,
    eventType: r.event_type,
    ticketId: r.ticket_id == null ? null : Number(r.ticket_id),
    incidentId: r.incident_id == null ? null : Number(r.incident_id),
    status: r.status,
    attempts: Number(r.attempts),
    nextAttemptAt: r.status === 'pending' ? Number(r.next_attempt_at) : null,
    lastError: r.last_error ?? null,
    lastStatusCode: r.last_status_code == null ? null : Number(r.last_status_code),
    collapsedInto: r.collapsed_into == null ? null : Number(r.collapsed_into),
    createdAt: Number(r.created_at),
    finishedAt: r.finished_at == null ? null : Number(r.finished_at),
  };
}

/**
 * Event-webhook subscriptions (the admin API's) and the outbox of webhook and robot deliveries: rows claimed with
 * a lease like `outbox`, each try kept in `webhook_attempts`. A delivery with an `order_key` is claimed only when no
 * earlier delivery of the same target and key is pending or in flight: a ticket's events reach a receiver in order.
 */
export class WebhookStore {
  constructor(private readonly db: Db) {}

  async createSubscription(s: StoredSubscription): Promise<void> {
    await this.db('webhook_subscriptions').insert({
      id: s.id,
      url: s.url,
      secret: s.secret,
      events: JSON.stringify(s.events),
      description: s.description,
      created_by: s.createdBy,
      created_at: s.createdAt,
    });
  }

  /** Subscriptions not deleted (read on `db`: inside a transaction, pass it). */
  async subscriptions(db: Conn = this.db): Promise<StoredSubscription[]> {
    const rows = await db('webhook_subscriptions').whereNull('deleted_at').orderBy('created_at');
    return rows.map((r: DbRow) => ({
      id: r.id,
      url: r.url,
      secret: r.secret,
      events: JSON.parse(r.events),
      description: r.description ?? null,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
    }));
  }

  /** Deletes a subscription: its undelivered deliveries are cancelled, its history stays until purged. */
  async deleteSubscription(id: string, now: number): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const n = await trx('webhook_subscriptions').where({ id }).whereNull('deleted_at').update({ deleted_at: now });
      if (n === 0) return false;
      await trx('webhook_deliveries')
        .where({ target_kind: 'subscription', target: id })
        .whereIn('status', [...IN_FLIGHT, 'dead'])
        .update({ status: 'cancelled', finished_at: now, lease_until: null });
      return true;
    });
  }

  /** Queues deliveries on `db`: inside a transaction that defers its writes (the pipeline's chunk), with the others before the commit. */
  async add(db: Conn, deliveries: readonly NewDelivery[], now: number): Promise<void> {
    if (deliveries.length === 0) return;
    const rows = deliveries.map((d) => ({
      target_kind: d.targetKind,
      target: d.target,
      event_id: d.eventId,
      event_type: d.eventType,
      ticket_id: d.ticketId ?? null,
      incident_id: d.incidentId ?? null,
      order_key: d.orderKey ?? null,
      payload: d.payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    }));
    const deferred = DeferredWrites.of(db);
    if (deferred) for (const row of rows) deferred.add('webhook_deliveries', row);
    else await db('webhook_deliveries').insert(rows);
  }

  /** Claims due deliveries, each the first undelivered one of its target and order key. */
  async claim(workerId: string, limit: number, leaseMs: number, now: number): Promise<ClaimedDelivery[]> {
    const lockClause = dialectOf(this.db) === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const result = await this.db.raw(
      `UPDATE webhook_deliveries SET status = 'processing', claimed_by = ?, lease_until = ?, attempts = attempts + 1
        WHERE id IN (
          SELECT d.id FROM webhook_deliveries d
           WHERE ((d.status = 'pending' AND d.next_attempt_at <= ?) OR (d.status = 'processing' AND d.lease_until < ?))
             AND (d.order_key IS NULL OR NOT EXISTS (
               SELECT 1 FROM webhook_deliveries e
                WHERE e.target = d.target AND e.order_key = d.order_key AND e.id < d.id AND e.status IN ('pending', 'processing')))
           ORDER BY d.id LIMIT ? ${lockClause})
        RETURNING id, target_kind, target, event_id, event_type, ticket_id, order_key, payload, attempts, created_at`,
      [workerId, now + leaseMs, now, now, limit],
    );
    const rows: DbRow[] = Array.isArray(result) ? result : result.rows;
    return rows
      .map((r) => ({
        id: Number(r.id),
        targetKind: r.target_kind,
        target: r.target,
        eventId: r.event_id,
        eventType: r.event_type,
        ticketId: r.ticket_id == null ? null : Number(r.ticket_id),
        orderKey: r.order_key ?? null,
        payload: r.payload,
        attempts: Number(r.attempts),
        createdAt: Number(r.created_at),
      }))
      .sort((a, b) => a.id - b.id);
  }

  /** The delivery is done (delivered, or given up: dead / cancelled); the attempt goes in its history. */
  async finish(
    d: Pick<ClaimedDelivery, 'id' | 'target' | 'orderKey'>,
    workerId: string,
    status: 'delivered' | 'dead' | 'cancelled',
    result: AttemptResult | undefined,
    now: number,
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('webhook_deliveries')
        .where({ id: d.id, claimed_by: workerId })
        .update({
          status,
          finished_at: now,
          lease_until: null,
          ...(result ? { last_error: result.error?.slice(0, 2000) ?? null, last_status_code: result.statusCode ?? null } : {}),
        });
      if (result) await this.recordAttempt(trx, d.id, result, now);
      // The next delivery of this ticket was held back behind this one: it is due now.
      if (d.orderKey) await this.releaseFollowers(trx, d, now);
    });
  }

  /** A failed attempt to try again at `nextAttemptAt`; the deliveries waiting behind it wait that long too. */
  async retryLater(
    d: Pick<ClaimedDelivery, 'id' | 'target' | 'orderKey'>,
    workerId: string,
    result: AttemptResult,
    nextAttemptAt: number,
    now: number,
  ): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('webhook_deliveries')
        .where({ id: d.id, claimed_by: workerId })
        .update({
          status: 'pending',
          next_attempt_at: nextAttemptAt,
          lease_until: null,
          last_error: result.error?.slice(0, 2000) ?? null,
          last_status_code: result.statusCode ?? null,
        });
      await this.recordAttempt(trx, d.id, result, now);
      // Not due before the one they wait for: a claim need not look at them on every poll while a receiver is down.
      if (d.orderKey)
        await trx('webhook_deliveries')
          .where({ target: d.target, order_key: d.orderKey, status: 'pending', attempts: 0 })
          .where('id', '>', d.id)
          .where('next_attempt_at', '<', nextAttemptAt)
          .update({ next_attempt_at: nextAttemptAt });
    });
  }

  /** Hands claimed deliveries back unsent (a robot's rate limit): due at `until`, the claim not counted as an attempt. */
  async postpone(ids: readonly number[], workerId: string, until: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db('webhook_deliveries')
      .whereIn('id', ids)
      .where({ claimed_by: workerId, status: 'processing' })
      .update({ status: 'pending', next_attempt_at: until, lease_until: null, attempts: this.db.raw('attempts - 1') });
  }

  /** Robot alerts that went out inside one summary (`headId`): delivered with it. */
  async collapse(headId: number, memberIds: readonly number[], workerId: string, now: number): Promise<void> {
    if (memberIds.length === 0) return;
    await this.db('webhook_deliveries')
      .whereIn('id', memberIds)
      .where({ claimed_by: workerId })
      .update({ status: 'delivered', collapsed_into: headId, finished_at: now, lease_until: null, last_error: null });
  }

  /** When each post to a robot since `since` went out (summaries count once), oldest first: its rate limit. */
  async postedSince(robot: string, since: number): Promise<number[]> {
    const rows = await this.db('webhook_deliveries')
      .where({ target_kind: 'robot', target: robot, status: 'delivered' })
      .whereNull('collapsed_into')
      .where('finished_at', '>=', since)
      .orderBy('finished_at')
      .select('finished_at');
    return rows.map((r: DbRow) => Number(r.finished_at));
  }

  /** A target's deliveries, newest first; `beforeId` pages. */
  async list(f: { targetKind: DeliveryTargetKind; target?: string; status?: DeliveryStatus; limit: number; beforeId?: number }): Promise<DeliveryView[]> {
    const q = this.db('webhook_deliveries').where({ target_kind: f.targetKind }).orderBy('id', 'desc').limit(f.limit);
    if (f.target !== undefined) q.where({ target: f.target });
    if (f.status) q.where({ status: f.status });
    if (f.beforeId) q.where('id', '<', f.beforeId);
    return (await q).map(toView);
  }

  async get(id: number): Promise<(DeliveryView & { payload: string; history: AttemptView[] }) | undefined> {
    const r = await this.db('webhook_deliveries').where({ id }).first();
    if (!r) return undefined;
    const attempts = await this.db('webhook_attempts').where({ delivery_id: id }).orderBy('id');
    return {
      ...toView(r),
      payload: r.payload,
      history: attempts.map((a: DbRow) => ({
        attempt: Number(a.attempt),
        at: Number(a.at),
        statusCode: a.status_code == null ? null : Number(a.status_code),
        error: a.error ?? null,
        durationMs: Number(a.duration_ms),
      })),
    };
  }

  /** Counts by status for each target of a kind. */
  async counts(targetKind: DeliveryTargetKind): Promise<Map<string, Partial<Record<DeliveryStatus, number>>>> {
    const rows = await this.db('webhook_deliveries')
      .where({ target_kind: targetKind })
      .select('target', 'status')
      .count({ n: '*' })
      .groupBy('target', 'status');
    const out = new Map<string, Partial<Record<DeliveryStatus, number>>>();
    for (const r of rows as DbRow[]) {
      const c = out.get(r.target) ?? {};
      c[r.status as DeliveryStatus] = Number(r.n);
      out.set(r.target, c);
    }
    return out;
  }

  /**
   * Sends a delivery again (a dead letter, or one the receiver lost): pending at once with a fresh attempt budget,
   * the same event id and body. Not while it is still pending or in flight.
   */
  async redeliver(id: number, now: number): Promise<boolean> {
    const n = await this.db('webhook_deliveries')
      .where({ id })
      .whereIn('status', ['delivered', 'dead'])
      .whereNull('collapsed_into')
      .update({ status: 'pending', attempts: 0, next_attempt_at: now, finished_at: null, claimed_by: null, lease_until: null });
    return n > 0;
  }

  /** Every dead letter of one target back to pending; returns how many. */
  async redeliverDead(targetKind: DeliveryTargetKind, target: string, now: number): Promise<number> {
    return this.db('webhook_deliveries')
      .where({ target_kind: targetKind, target, status: 'dead' })
      .update({ status: 'pending', attempts: 0, next_attempt_at: now, finished_at: null, claimed_by: null, lease_until: null });
  }

  /** Deletes delivered and cancelled deliveries that finished before `before`, with their attempts (dead letters stay). */
  async purge(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = (
        await this.db('webhook_deliveries').whereIn('status', ['delivered', 'cancelled']).where('finished_at', '<', before).select('id').limit(500)
      ).map((r: DbRow) => Number(r.id));
      if (ids.length === 0) return total;
      await this.db.transaction(async (trx) => {
        await trx('webhook_attempts').whereIn('delivery_id', ids).delete();
        await trx('webhook_deliveries').whereIn('id', ids).delete();
      });
      total += ids.length;
    }
  }

  private async recordAttempt(trx: Knex.Transaction, deliveryId: number, r: AttemptResult, now: number): Promise<void> {
    await trx('webhook_attempts').insert({
      delivery_id: deliveryId,
      attempt: r.attempt,
      at: now,
      status_code: r.statusCode ?? null,
      error: r.error?.slice(0, 2000) ?? null,
      duration_ms: Math.max(0, Math.round(r.durationMs)),
    });
  }

  private async releaseFollowers(trx: Knex.Transaction, d: Pick<ClaimedDelivery, 'id' | 'target' | 'orderKey'>, now: number): Promise<void> {
    await trx('webhook_deliveries')
      .where({ target: d.target, order_key: d.orderKey, status: 'pending', attempts: 0 })
      .where('id', '>', d.id)
      .where('next_attempt_at', '>', now)
      .update({ next_attempt_at: now });
  }
}
