import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { GatewayConfig } from '../../config/loader.js';
import type { Clock } from '../../contracts/clock.js';
import type { WebhookEventType } from '../../contracts/webhook-events.js';
import type { ChangeFeed, TicketChanges } from '../../storage/change-feed.js';
import { dialectOf, type Db, type DbRow } from '../../storage/db.js';
import type { NewMessage, Ticket } from '../../storage/ticket.store.js';
import type { NewDelivery, WebhookStore } from '../../storage/webhook.store.js';
import { alertCard, type AlertContext, type AlertKind } from '../alerts/alert-card.js';
import type { Robot, WebhookTargets } from './webhook-targets.js';

type Conn = Knex | Knex.Transaction;

/** The ticket as every ticket event carries it. */
export interface EventTicket {
  id: number;
  number: string;
  status: string;
  queue: string;
  priority: string;
  assignee: string | null;
  category: string | null;
  subcategory: string | null;
  severity: number | null;
  channel: string | null;
  customerId: number;
  incidentId: number | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The ticket in the console (needs PUBLIC_BASE_URL). */
  url: string | null;
}

/** What a subscriber receives: the JSON body of every delivery. */
export interface WebhookEvent {
  /** Unique per event, the same on every retry and redelivery: de-duplicate on it. */
  id: string;
  type: WebhookEventType;
  /** When the change happened (the gateway's clock). */
  occurredAt: string;
  data: Record<string, unknown>;
}

const iso = (ms: unknown) => (ms == null ? null : new Date(Number(ms)).toISOString());

/** Ticket fields holding epoch milliseconds: shown as ISO-8601 in `changes`. */
const TIME_FIELDS = new Set(['firstResponseDueAt', 'resolutionDueAt', 'firstRespondedAt', 'resolvedAt', 'closedAt']);

/** Delivery statuses that mean a channel already took the message (a second `sent` from a receipt is no new reply). */
const ALREADY_SENT = new Set(['sent', 'delivered', 'read']);

/**
 * Turns what the stores write into events for webhook subscriptions and chat-room robots, written into
 * `webhook_deliveries` in the same transaction as the change (storage/change-feed.ts): when the change commits,
 * its deliveries do; when it rolls back, nothing is announced. Nothing is read or written for an event nobody
 * subscribed to. Each ticket event locks the ticket's row first (PostgreSQL), so a ticket's deliveries are numbered
 * in the order its changes commit: the order a receiver gets them in.
 */
export class WebhookEventFeed implements ChangeFeed {
  private readonly postgres: boolean;
  /** The SLA event a transaction just recorded per ticket: what an SLA `notify: [{ robot }]` that follows it reports. */
  private readonly slaEvents = new WeakMap<object, Map<number, { kind: 'sla.warning' | 'sla.breached'; data: Record<string, unknown> }>>();
  /** Robot alerts a transaction already queued (a robot named by sla.yaml and subscribed to the event gets one card). */
  private readonly alerted = new WeakMap<object, Set<string>>();
  private readonly hooked = new WeakSet<object>();

  constructor(
    private readonly deps: {
      db: Db;
      store: WebhookStore;
      targets: WebhookTargets;
      config: () => GatewayConfig;
      /** The delivery worker's clock: a delivery is due at once by it, whatever time the change itself carries. */
      clock: Clock;
      /** Deliveries were queued (called after their transaction commits): wake the delivery worker. */
      onQueued?: () => void;
    },
  ) {
    this.postgres = dialectOf(deps.db) === 'postgres';
  }

  async ticketEvent(db: Conn, e: { ticketId: number; actor: string; type: string; before: unknown; after: unknown }, now: number): Promise<void> {
    const after = (e.after ?? {}) as Record<string, unknown>;
    switch (e.type) {
      case 'created':
        return this.emit(db, 'ticket.created', { ticketId: e.ticketId }, now, async (ticket) => ({
          ticket,
          actor: e.actor,
          slaPolicy: after.slaPolicy ?? null,
          rules: after.rules ?? [],
        }));
      case 'csat_received':
        return this.emit(db, 'csat.received', { ticketId: e.ticketId }, now, async (ticket) => ({
          ticket,
          score: after.score,
          comment: after.comment ?? null,
          channel: after.channel ?? null,
        }));
      case 'sla_warning':
      case 'sla_breach': {
        const kind = e.type === 'sla_warning' ? 'sla.warning' : 'sla.breached';
        // `at`: when the threshold was reached (a warning's is before the due time); `dueAt`: the target's due time.
        const fields = { target: after.target, policy: after.policy ?? null, at: after.at ?? null };
        const withDue = (ticket: EventTicket) => ({ ...fields, dueAt: after.target === 'resolution' ? ticket.resolutionDueAt : ticket.firstResponseDueAt });
        let memo = this.slaEvents.get(db);
        if (!memo) this.slaEvents.set(db, (memo = new Map()));
        memo.set(e.ticketId, { kind, data: fields });
        return this.emit(db, kind, { ticketId: e.ticketId }, now, async (ticket) => ({ ticket, ...withDue(ticket) }));
      }
      case 'delivery_failed':
        return this.emit(db, 'reply.failed', { ticketId: e.ticketId }, now, async (ticket) => ({
          ticket,
          message: { id: after.messageId ?? null, channel: after.channel ?? null },
          reason: after.reason ?? after.status ?? null,
          code: after.code ?? null,
          permanent: after.permanent ?? null,
          attempts: after.attempts ?? null,
        }));
      case 'notified':
        if (typeof after.robot === 'string') return this.notifyRobot(db, e.ticketId, e.actor, after.robot);
        return;
    }
  }

  async ticketUpdated(db: Conn, before: Ticket, changes: TicketChanges, actor: string, now: number): Promise<void> {
    const shown = Object.fromEntries(
      Object.entries(changes).map(([field, c]) => [field, TIME_FIELDS.has(field) ? { before: iso(c.before), after: iso(c.after) } : c]),
    );
    await this.emit(db, 'ticket.updated', { ticketId: before.id }, now, async (ticket) => ({ ticket, changes: shown, actor }));
    if (changes.status?.after === 'resolved') await this.emit(db, 'ticket.resolved', { ticketId: before.id }, now, async (ticket) => ({ ticket, actor }));
  }

  async messageAdded(db: Conn, m: NewMessage & { id: number }): Promise<void> {
    if (m.direction === 'in') {
      await this.emit(db, 'message.received', { ticketId: m.ticketId }, m.createdAt, async (ticket) => ({
        ticket,
        message: {
          id: m.id,
          channel: m.channel,
          subject: m.subject ?? null,
          text: m.text,
          language: m.language ?? null,
          attachments: (m.attachments ?? []).map((a) => {
            const { name, contentType, size } = (a ?? {}) as { name?: unknown; contentType?: unknown; size?: unknown };
            return { name: name ?? null, contentType: contentType ?? null, size: size ?? null };
          }),
          receivedAt: iso(m.createdAt),
        },
      }));
    } else if (m.deliveryStatus === 'sent') {
      // Already delivered when written (WeChat's passive reply inside the 5 s window).
      await this.emit(db, 'reply.sent', { ticketId: m.ticketId }, m.createdAt, async (ticket) => ({
        ticket,
        message: { id: m.id, channel: m.channel, author: m.author, kind: (m.meta?.kind as string | undefined) ?? null },
      }));
    }
  }

  async deliveryStatus(db: Conn, messageId: number, status: string): Promise<void> {
    if (status !== 'sent' || !(await this.wanted(db, 'reply.sent'))) return;
    const m = await db('messages').where({ id: messageId }).first('ticket_id', 'channel', 'author', 'meta', 'delivery_status', 'direction');
    if (!m || m.direction !== 'out' || ALREADY_SENT.has(m.delivery_status)) return;
    const meta = safeJson(m.meta);
    await this.emit(db, 'reply.sent', { ticketId: Number(m.ticket_id) }, Date.now(), async (ticket) => ({
      ticket,
      message: { id: messageId, channel: m.channel, author: m.author, kind: (meta.kind as string | undefined) ?? null },
    }));
  }

  async incidentOpened(db: Conn, incident: { id: number; title: string; category: string | null; severity: number }, now: number): Promise<void> {
    await this.emit(db, 'incident.opened', { incidentId: incident.id }, now, async () => ({ incident: { ...incident, url: this.incidentUrl(incident.id) } }));
  }

  async incidentResolved(db: Conn, incidentId: number, now: number): Promise<void> {
    await this.emit(db, 'incident.resolved', { incidentId }, now, async () => {
      const r = await db('incidents').where({ id: incidentId }).first();
      return {
        incident: {
          id: incidentId,
          title: r?.title ?? '',
          category: r?.category ?? null,
          severity: Number(r?.severity ?? 0),
          ticketCount: Number(r?.ticket_count ?? 0),
          resolvedAt: iso(r?.resolved_at ?? now),
          url: this.incidentUrl(incidentId),
        },
      };
    });
  }

  /** Whether any subscription or robot takes this event type (loads the stored subscriptions on first use). */
  private async wanted(db: Conn, type: WebhookEventType): Promise<boolean> {
    await this.deps.targets.ready(db);
    return this.deps.targets.subscriptions().some((s) => s.events.includes(type)) || this.deps.targets.robots().some((r) => r.events.includes(type));
  }

  private async emit(
    db: Conn,
    type: WebhookEventType,
    scope: { ticketId?: number; incidentId?: number },
    now: number,
    build: (ticket: EventTicket) => Promise<Record<string, unknown>>,
  ): Promise<void> {
    await this.deps.targets.ready(db);
    const subscriptions = this.deps.targets.subscriptions().filter((s) => s.events.includes(type));
    const robots = this.deps.targets.robots().filter((r) => r.events.includes(type));
    if (subscriptions.length === 0 && robots.length === 0) return;
    const ticket = scope.ticketId !== undefined ? await this.ticket(db, scope.ticketId) : undefined;
    if (scope.ticketId !== undefined && !ticket) return;
    const data = await build(ticket!);
    const event: WebhookEvent = { id: randomUUID(), type, occurredAt: new Date(now).toISOString(), data };
    const body = JSON.stringify(event);
    const orderKey = scope.ticketId !== undefined ? `ticket:${scope.ticketId}` : `incident:${scope.incidentId}`;
    const common = { eventId: event.id, eventType: type, ticketId: scope.ticketId ?? null, incidentId: scope.incidentId ?? null };
    const rows: NewDelivery[] = subscriptions.map((s) => ({ ...common, targetKind: 'subscription', target: s.id, orderKey, payload: body }));
    for (const robot of robots) {
      const row = this.robotRow(db, robot, type, data, event.id, scope);
      if (row) rows.push({ ...row, eventType: type });
    }
    await this.queue(db, rows);
  }

  /** A routing rule's or an SLA action's `notify: [{ robot }]`, recorded on the ticket as a `notified` event. */
  private async notifyRobot(db: Conn, ticketId: number, actor: string, robotId: string): Promise<void> {
    const robot = this.deps.targets.robot(robotId);
    // config/loader.ts refuses a notify naming an unknown robot; a robot removed by a reload since is skipped.
    if (!robot) return;
    const ticket = await this.ticket(db, ticketId);
    if (!ticket) return;
    const sla = actor === 'sla' ? this.slaEvents.get(db)?.get(ticketId) : undefined;
    const kind: AlertKind = sla?.kind ?? (actor === 'routing' ? 'ticket.routed' : 'ticket.updated');
    const due = sla ? { dueAt: sla.data.target === 'resolution' ? ticket.resolutionDueAt : ticket.firstResponseDueAt } : {};
    const row = this.robotRow(db, robot, kind, { ticket, ...(sla?.data ?? {}), ...due }, randomUUID(), { ticketId });
    if (row) await this.queue(db, [row]);
  }

  private robotRow(
    db: Conn,
    robot: Robot,
    kind: AlertKind,
    data: Record<string, unknown>,
    eventId: string,
    scope: { ticketId?: number; incidentId?: number },
  ): NewDelivery | undefined {
    let sent = this.alerted.get(db);
    if (!sent) this.alerted.set(db, (sent = new Set()));
    const key = `${robot.id}\0${kind}\0${scope.ticketId ?? ''}\0${scope.incidentId ?? ''}`;
    if (sent.has(key)) return undefined;
    sent.add(key);
    const card = alertCard(kind, data, robot.language, this.alertContext());
    return {
      targetKind: 'robot',
      target: robot.id,
      eventId,
      eventType: kind,
      ticketId: scope.ticketId ?? null,
      incidentId: scope.incidentId ?? null,
      orderKey: null,
      payload: JSON.stringify({ card }),
    };
  }

  private async queue(db: Conn, rows: NewDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    await this.deps.store.add(db, rows, this.deps.clock.now());
    const onQueued = this.deps.onQueued;
    if (!onQueued) return;
    const trx = db as Knex.Transaction;
    if (!db.isTransaction || !trx.executionPromise) return void onQueued();
    if (this.hooked.has(trx)) return;
    this.hooked.add(trx);
    trx.executionPromise.then(
      () => onQueued(),
      () => undefined,
    );
  }

  /** The ticket's current state; on PostgreSQL its row is locked until the transaction ends (see the class comment). */
  private async ticket(db: Conn, id: number): Promise<EventTicket | undefined> {
    const q = db('tickets')
      .where({ id })
      .first(
        'id',
        'number',
        'status',
        'queue',
        'priority',
        'assignee',
        'category',
        'subcategory',
        'severity',
        'first_channel',
        'customer_id',
        'incident_id',
        'first_response_due_at',
        'resolution_due_at',
        'created_at',
        'updated_at',
      );
    if (this.postgres) q.forUpdate();
    const r: DbRow | undefined = await q;
    if (!r) return undefined;
    return {
      id: Number(r.id),
      number: r.number,
      status: r.status,
      queue: r.queue,
      priority: r.priority,
      assignee: r.assignee ?? null,
      category: r.category ?? null,
      subcategory: r.subcategory ?? null,
      severity: r.severity == null ? null : Number(r.severity),
      channel: r.first_channel ?? null,
      customerId: Number(r.customer_id),
      incidentId: r.incident_id == null ? null : Number(r.incident_id),
      firstResponseDueAt: iso(r.first_response_due_at),
      resolutionDueAt: iso(r.resolution_due_at),
      createdAt: iso(r.created_at)!,
      updatedAt: iso(r.updated_at)!,
      url: this.consoleUrl(`/tickets/${r.id}`),
    };
  }

  private alertContext(): AlertContext {
    const config = this.deps.config();
    return {
      categoryName: (code, language) => config.categories.categories.find((c) => c.code === code)?.name[language],
      timeZone: config.gateway.tickets.timeZone,
    };
  }

  private incidentUrl(id: number): string | null {
    return this.consoleUrl(`/incidents?id=${id}`);
  }

  /** A console page (hash route) under PUBLIC_BASE_URL, or null without it. */
  consoleUrl(route: string): string | null {
    const base = this.deps.config().env.PUBLIC_BASE_URL?.replace(/\/+$/, '');
    return base ? `${base}/console#${route}` : null;
  }
}

function safeJson(text: unknown): Record<string, unknown> {
  try {
    return typeof text === 'string' ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
