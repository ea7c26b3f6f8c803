import type { RoutingConfig } from '../../../config/routing.schema.js';
import type { SlaConfig } from '../../../config/sla.schema.js';
import { pickRoundRobin, queueAgents, route } from '../../../nlp/routing/engine.js';
import { TicketStore } from '../../../storage/ticket.store.js';
import { businessHoursFn } from '../../sla/sla-clock.js';
import type { IntakeContext, Stage } from '../context.js';

const DAY_MS = 86_400_000;

/**
 * Decides queue, priority, assignee, tags, SLA policy, auto-reply, escalation and
 * notifications for a new ticket with the rules of routing.yaml (read fresh for every
 * message, so a reloaded config applies at once).
 */
export function routeStage(deps: { routing: () => RoutingConfig; sla: () => SlaConfig; tickets?: TicketStore }): Stage {
  const tickets = deps.tickets ?? new TicketStore();
  return {
    name: 'route',
    async run(ctx, next) {
      const routing = deps.routing();
      const sla = deps.sla();
      const u = ctx.understanding;
      const known = ctx.customerId !== undefined && !ctx.customerIsNew;
      const customer = known ? await ctx.trx('customers').where({ id: ctx.customerId }).select('tier').first() : undefined;
      ctx.customerTier = (customer?.tier as string | undefined) ?? 'standard';
      // The engine asks for repeat counts synchronously; a year of this customer's ticket times is enough.
      const times = known ? await tickets.createdTimesForCustomer(ctx.trx, ctx.customerId!, ctx.now - 365 * DAY_MS) : [];
      const decision = route(routing, {
        category: u?.category ?? 'OTHER',
        subcategory: u?.subcategory,
        severity: u?.severity ?? 3,
        emotion: u?.emotion ?? 1,
        channel: ctx.message.channel,
        language: ctx.language ?? 'other',
        tier: ctx.customerTier!,
        tags: ctx.tags,
        text: ctx.normalizedText ?? ctx.message.text.toLowerCase(),
        entities: entityKinds(u?.entities),
        receivedAt: new Date(Date.parse(ctx.message.receivedAt) || ctx.now),
        incident: ctx.incidentId !== undefined,
        // "this one included": the new ticket is not stored yet.
        repeatCount: (days) => times.filter((t) => t >= ctx.now - days * DAY_MS).length + 1,
        isBusinessHours: businessHoursFn(sla),
      });
      let assignee: string | undefined;
      if (decision.assign && 'agent' in decision.assign) assignee = decision.assign.agent;
      else if (decision.assign) assignee = await roundRobin(ctx, routing, decision.assign.roundRobin, tickets);
      ctx.route = { ...decision, assignee };
      await next();
    },
  };
}

function entityKinds(entities: Record<string, unknown> | undefined): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [kind, value] of Object.entries(entities ?? {})) if (Array.isArray(value) && value.length > 0) out[kind] = value;
  return out;
}

/** Next agent of the queue with spare capacity, remembered per queue in kv_state. */
async function roundRobin(ctx: IntakeContext, routing: RoutingConfig, queue: string, tickets: TicketStore): Promise<string | undefined> {
  const agents = queueAgents(routing, queue);
  if (agents.length === 0) return undefined;
  const load = await tickets.openCountByAssignee(
    ctx.trx,
    agents.map((a) => a.id),
  );
  const key = `routing:round-robin:${queue}`;
  const last = await ctx.trx('kv_state').where({ key }).first();
  const picked = pickRoundRobin(
    agents.map((a) => ({ ...a, openTickets: load[a.id] ?? 0 })),
    last ? JSON.parse(last.value) : undefined,
  );
  if (picked) {
    await ctx
      .trx('kv_state')
      .insert({ key, value: JSON.stringify(picked), updated_at: ctx.now })
      .onConflict('key')
      .merge(['value', 'updated_at']);
  }
  return picked;
}
