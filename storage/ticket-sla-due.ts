/**
 * The one due time an inbox sorts and filters by: when the ticket's next pending SLA target falls due.
 *
 * Kept in its own column (`tickets.sla_due_at`) because the clock itself is JSON (gateway/sla/ticket-sla.ts),
 * which no index can serve. The store writes it whenever it writes the clock, so the two never disagree.
 */

/** The fields of the stored clock this needs (structural, so storage does not import the SLA logic). */
export interface SlaClockFields {
  firstResponseDueAt?: number | null;
  resolutionDueAt?: number | null;
  firstRespondedAt?: number;
  resolvedAt?: number;
  pausedAt?: number;
}

/**
 * Null when nothing is pending: resolved, or paused while waiting on the customer (the due times
 * move when the clock resumes, so showing them would mislead). Otherwise the earliest target not
 * yet met: the first response while nobody has answered, then the resolution.
 */
export function pendingSlaDueAt(clock: SlaClockFields | null | undefined): number | null {
  if (!clock || clock.pausedAt != null || clock.resolvedAt != null) return null;
  const due = [clock.resolutionDueAt];
  if (clock.firstRespondedAt == null) due.push(clock.firstResponseDueAt);
  const times = due.filter((t): t is number => typeof t === 'number' && Number.isFinite(t));
  return times.length > 0 ? Math.min(...times) : null;
}
