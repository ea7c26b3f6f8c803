import type { SlaConfig } from '../../config/sla.schema.js';
import { pauseSla, resolveSlaPolicy, resumeSla, startSla, type TicketSlaState } from './sla-clock.js';

/** The SLA clock as stored on a ticket: times in epoch ms, plus the policy that set them. */
export interface StoredSla {
  policy: string;
  source: 'rule' | 'matrix';
  firstResponseDueAt: number;
  resolutionDueAt: number;
  firstResponseWarnAt?: number;
  resolutionWarnAt?: number;
  pausedAt?: number;
  pausedTotalMs: number;
  firstRespondedAt?: number;
  resolvedAt?: number;
  warnedFirstResponse?: boolean;
  warnedResolution?: boolean;
  breachedFirstResponse?: boolean;
  breachedResolution?: boolean;
}

const toMs = (v: unknown): number | undefined => (v == null ? undefined : v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(String(v)));

/** Normalizes a clock state (Dates from the SLA functions) to what we store. */
export function toStored(state: TicketSlaState & { policy: string; source?: 'rule' | 'matrix' }): StoredSla {
  const out: StoredSla = {
    policy: state.policy,
    source: state.source ?? 'matrix',
    firstResponseDueAt: toMs(state.firstResponseDueAt)!,
    resolutionDueAt: toMs(state.resolutionDueAt)!,
    pausedTotalMs: state.pausedTotalMs ?? 0,
  };
  for (const key of ['firstResponseWarnAt', 'resolutionWarnAt', 'pausedAt', 'firstRespondedAt', 'resolvedAt'] as const) {
    const v = toMs(state[key]);
    if (v !== undefined && !Number.isNaN(v)) out[key] = v;
  }
  for (const key of ['warnedFirstResponse', 'warnedResolution', 'breachedFirstResponse', 'breachedResolution'] as const) {
    if (state[key]) out[key] = true;
  }
  return out;
}

/** When the SLA worker must next look at the ticket: the earliest pending warning or due time. */
export function nextCheckAt(s: StoredSla): number | null {
  if (s.pausedAt !== undefined) return null;
  const times: number[] = [];
  if (s.firstRespondedAt === undefined && s.resolvedAt === undefined) {
    if (!s.warnedFirstResponse && s.firstResponseWarnAt !== undefined) times.push(s.firstResponseWarnAt);
    if (!s.breachedFirstResponse) times.push(s.firstResponseDueAt);
  }
  if (s.resolvedAt === undefined) {
    if (!s.warnedResolution && s.resolutionWarnAt !== undefined) times.push(s.resolutionWarnAt);
    if (!s.breachedResolution) times.push(s.resolutionDueAt);
  }
  return times.length ? Math.min(...times) : null;
}

/** Starts the clock for a new ticket. */
export function openSla(sla: SlaConfig, input: { routed?: string; severity: number; tier: string }, openedAt: number): StoredSla {
  return toStored(startSla(sla, input, new Date(openedAt)));
}

/** Stops the clock while the ticket waits on the customer. */
export function pauseStored(s: StoredSla, at: number): StoredSla {
  return s.pausedAt !== undefined ? s : toStored(pauseSla(s, new Date(at)));
}

/** Restarts the clock: due times move out by the business time spent paused. */
export function resumeStored(sla: SlaConfig, s: StoredSla, at: number): StoredSla {
  if (s.pausedAt === undefined) return s;
  const policy = sla.policies[s.policy] ? resolveSlaPolicy(sla, { routed: s.policy, severity: 3, tier: 'standard' }) : undefined;
  if (!policy) return { ...s, pausedAt: undefined };
  return toStored({ ...resumeSla(s, new Date(at), policy.calendar), policy: s.policy, source: s.source });
}
