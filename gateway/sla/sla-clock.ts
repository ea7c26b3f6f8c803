/**
 * SLA clock for one ticket, as pure functions: due times from a policy, which warnings and
 * breaches are due at a given moment, and pausing while the ticket waits on the customer.
 *
 * No timers and no database: the SLA worker loads the ticket's SLA fields, calls
 * `evaluateSla(state, now)`, performs the actions, and stores `markSlaEvents(state, events)`.
 * Tests pass `now` explicitly, so a fake clock is just a Date.
 */
import type { CalendarConfig, SlaAction, SlaConfig, SlaPolicy } from '../../config/sla.schema.js';
import { addBusinessDuration, businessMsBetween, isOpenAt } from './business-calendar.js';

/** The two targets a policy sets. */
export type SlaTarget = 'firstResponse' | 'resolution';

/** Due and warning times of one ticket (store them on the ticket). */
export interface SlaDueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  /** When the warning threshold (80% by default) of each target is reached. */
  firstResponseWarnAt: Date;
  resolutionWarnAt: Date;
}

/** A moment as stored: a Date, an ISO string, or nothing. */
type Moment = Date | string | number | null | undefined;

/** The SLA fields of a ticket, as the SLA worker reads and writes them. */
export interface TicketSlaState {
  firstResponseDueAt: Moment;
  resolutionDueAt: Moment;
  /** Without a stored warning time no warning fires for that target (the breach still does). */
  firstResponseWarnAt?: Moment;
  resolutionWarnAt?: Moment;
  /** Set while the ticket waits on the customer; the clock is stopped. */
  pausedAt?: Moment;
  /** Business time spent paused so far (ms), for reports. */
  pausedTotalMs: number;
  firstRespondedAt?: Moment;
  resolvedAt?: Moment;
  warnedFirstResponse?: boolean;
  warnedResolution?: boolean;
  breachedFirstResponse?: boolean;
  breachedResolution?: boolean;
}

/** Something the SLA worker must act on now. */
export interface SlaEvent {
  kind: 'warning' | 'breach';
  target: SlaTarget;
  /** The threshold that was crossed (warning time or due time). */
  at: Date;
}

function ms(m: Moment): number | undefined {
  if (m === null || m === undefined || m === '') return undefined;
  const n = m instanceof Date ? m.getTime() : typeof m === 'number' ? m : Date.parse(m);
  return Number.isNaN(n) ? undefined : n;
}

/**
 * Due and warning times for a ticket opened at `openedAt` under `policy` on `calendar`.
 * The warning comes after `warningAt` (default 0.8) of the target's *business* time, so a
 * 4 h target opened Friday 17:00 warns Monday at 11:12, not over the weekend.
 */
export function computeDueTimes(
  policy: Pick<SlaPolicy, 'firstResponse' | 'resolution' | 'warningAt'>,
  calendar: CalendarConfig,
  openedAt: Date,
  opts: { warningAt?: number } = {},
): SlaDueTimes {
  const fraction = policy.warningAt ?? opts.warningAt ?? 0.8;
  const firstResponseDueAt = addBusinessDuration(openedAt, policy.firstResponse, calendar);
  const resolutionDueAt = addBusinessDuration(openedAt, policy.resolution, calendar);
  const warnAt = (due: Date) => addBusinessDuration(openedAt, Math.floor(businessMsBetween(openedAt, due, calendar) * fraction), calendar);
  return {
    firstResponseDueAt,
    resolutionDueAt,
    firstResponseWarnAt: warnAt(firstResponseDueAt),
    resolutionWarnAt: warnAt(resolutionDueAt),
  };
}

/**
 * Warnings and breaches due at `now` that have not been raised yet. Nothing fires while the
 * clock is paused, for a target already met (first response sent; resolved ends both), or
 * twice for the same threshold. A breach found late (worker was down) is reported alone,
 * without the warning it overtook.
 */
export function evaluateSla(state: TicketSlaState, now: Date): SlaEvent[] {
  if (ms(state.pausedAt) !== undefined || ms(state.resolvedAt) !== undefined) return [];
  const t = now.getTime();
  const out: SlaEvent[] = [];
  const check = (target: SlaTarget, met: boolean, due: Moment, warn: Moment, warned?: boolean, breached?: boolean) => {
    if (met) return;
    const dueMs = ms(due);
    const warnMs = ms(warn);
    if (dueMs !== undefined && t >= dueMs) {
      if (!breached) out.push({ kind: 'breach', target, at: new Date(dueMs) });
    } else if (warnMs !== undefined && t >= warnMs && !warned) {
      out.push({ kind: 'warning', target, at: new Date(warnMs) });
    }
  };
  check(
    'firstResponse',
    ms(state.firstRespondedAt) !== undefined,
    state.firstResponseDueAt,
    state.firstResponseWarnAt,
    state.warnedFirstResponse,
    state.breachedFirstResponse,
  );
  check('resolution', false, state.resolutionDueAt, state.resolutionWarnAt, state.warnedResolution, state.breachedResolution);
  return out;
}

/** The state with the flags for `events` set, so the next evaluation does not repeat them. */
export function markSlaEvents<S extends TicketSlaState>(state: S, events: readonly SlaEvent[]): S {
  const next = { ...state };
  for (const e of events) {
    const key = `${e.kind === 'warning' ? 'warned' : 'breached'}${e.target === 'firstResponse' ? 'FirstResponse' : 'Resolution'}` as const;
    next[key] = true;
    // A breach implies the warning: a late worker must not send a warning after the breach.
    if (e.kind === 'breach') next[e.target === 'firstResponse' ? 'warnedFirstResponse' : 'warnedResolution'] = true;
  }
  return next;
}

/** Stops the clock (ticket now waits on the customer). No-op if already paused or resolved. */
export function pauseSla<S extends TicketSlaState>(state: S, at: Date): S {
  if (ms(state.pausedAt) !== undefined || ms(state.resolvedAt) !== undefined) return state;
  return { ...state, pausedAt: at };
}

/**
 * Restarts the clock: every target not yet met moves out by the business time spent paused
 * (a pause over a weekend costs nothing), and `pausedTotalMs` grows by it.
 */
export function resumeSla<S extends TicketSlaState>(state: S, at: Date, calendar: CalendarConfig): S {
  const pausedAt = ms(state.pausedAt);
  if (pausedAt === undefined) return state;
  const paused = businessMsBetween(pausedAt, at, calendar);
  const shift = (m: Moment): Moment => {
    const v = ms(m);
    return v === undefined || paused === 0 ? m : addBusinessDuration(new Date(v), paused, calendar);
  };
  const firstMet = ms(state.firstRespondedAt) !== undefined;
  return {
    ...state,
    pausedAt: undefined,
    pausedTotalMs: (state.pausedTotalMs ?? 0) + paused,
    firstResponseDueAt: firstMet ? state.firstResponseDueAt : shift(state.firstResponseDueAt),
    firstResponseWarnAt: firstMet ? state.firstResponseWarnAt : shift(state.firstResponseWarnAt),
    resolutionDueAt: shift(state.resolutionDueAt),
    resolutionWarnAt: shift(state.resolutionWarnAt),
  };
}

/** The policy a ticket gets, and why. */
export interface ResolvedSlaPolicy {
  name: string;
  policy: SlaPolicy;
  calendar: CalendarConfig;
  /** 'rule' = a routing rule (or routing defaults) named it; 'matrix' = sla.yaml severity × tier. */
  source: 'rule' | 'matrix';
}

/**
 * Picks the SLA policy: the one routing chose (`RouteDecision.slaPolicy`) if any, otherwise
 * `matrix[severity][tier]`, falling back to the severity's `default`. Severity outside 1–4 is
 * clamped. Throws on a name that is not in sla.yaml (the cross-file check prevents that at load).
 */
export function resolveSlaPolicy(sla: SlaConfig, input: { routed?: string; severity: number; tier: string }): ResolvedSlaPolicy {
  let name: string;
  let source: ResolvedSlaPolicy['source'];
  if (input.routed) {
    name = input.routed;
    source = 'rule';
  } else {
    const sev = String(Math.min(4, Math.max(1, Math.round(input.severity) || 3))) as '1' | '2' | '3' | '4';
    const row = sla.matrix[sev];
    name = row[input.tier] ?? row['default']!;
    source = 'matrix';
  }
  const policy = sla.policies[name];
  if (!policy) throw new Error(`unknown SLA policy "${name}" (sla.yaml defines: ${Object.keys(sla.policies).join(', ')})`);
  return { name, policy, calendar: sla.calendars[policy.calendar]!, source };
}

/** A fresh SLA state for a ticket opened at `openedAt`: resolve the policy and compute due times. */
export function startSla(
  sla: SlaConfig,
  input: { routed?: string; severity: number; tier: string },
  openedAt: Date,
): TicketSlaState & SlaDueTimes & { policy: string; source: ResolvedSlaPolicy['source'] } {
  const r = resolveSlaPolicy(sla, input);
  return {
    policy: r.name,
    source: r.source,
    ...computeDueTimes(r.policy, r.calendar, openedAt, { warningAt: sla.warningAt }),
    pausedTotalMs: 0,
  };
}

/** What to do for an event under a policy: the policy's own actions, else sla.yaml's `actions`. */
export function slaActionsFor(sla: SlaConfig, policyName: string, event: Pick<SlaEvent, 'kind' | 'target'>): SlaAction | undefined {
  const policy = sla.policies[policyName];
  const own = event.target === 'firstResponse' ? policy?.firstResponseActions : policy?.resolutionActions;
  const actions = own ?? sla.actions[event.target];
  return actions?.[event.kind];
}

/**
 * The `isBusinessHours` fact for the routing engine: `calendar` names a calendar in sla.yaml
 * (undefined → `defaultCalendar`). An unknown name throws; the cross-file check catches it at load.
 */
export function businessHoursFn(sla: SlaConfig): (calendar: string | undefined, at: Date) => boolean {
  return (calendar, at) => {
    const name = calendar ?? sla.defaultCalendar;
    const cal = sla.calendars[name];
    if (!cal) throw new Error(`unknown calendar "${name}" (sla.yaml defines: ${Object.keys(sla.calendars).join(', ')})`);
    return isOpenAt(cal, at);
  };
}
