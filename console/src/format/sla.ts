import type { TicketSummary } from '../api/types.js';

/** "Due soon" is the last hour before the due time, as the inbox's `sla=due_soon` filter counts it (storage/inbox.store.ts). */
export const DUE_SOON_MS = 60 * 60_000;

export interface SlaView {
  dueAt: string | null;
  state: 'breached' | 'due_soon' | 'ok' | 'none';
}

const CLOSED = new Set(['resolved', 'closed']);

/**
 * The clock an agent should watch. The inbox list gives it (`slaDueAt`: the next pending target);
 * a ticket read on its own has both due times: first response until someone answered, then resolution.
 */
export function slaOf(t: TicketSummary, now = Date.now()): SlaView {
  const due = t.slaDueAt !== undefined ? t.slaDueAt : t.firstRespondedAt == null && t.firstResponseDueAt ? t.firstResponseDueAt : t.resolutionDueAt;
  if (CLOSED.has(t.status) || !due) return { dueAt: due ?? null, state: 'none' };
  const left = new Date(due).getTime() - now;
  if (t.slaBreached || left <= 0) return { dueAt: due, state: 'breached' };
  return { dueAt: due, state: left <= DUE_SOON_MS ? 'due_soon' : 'ok' };
}
