import { query } from '../api/client.js';

/** The inbox filters, kept in the hash (`#/inbox?queue=quality&sla=breached`) so a reload or a shared link keeps them. */
export interface InboxFilters {
  /** 'open' (the default: every status still needing work), 'any', or one status. */
  status: string;
  queue: string;
  category: string;
  severity: string;
  channel: string;
  /** '', 'me', 'none'. */
  assignee: string;
  /** '', 'due_soon', 'breached'. */
  sla: string;
  /** '', 'unreachable' (no reply could reach the customer). */
  reach: string;
  q: string;
  /** 'sla_due' (default) or 'updated'. */
  sort: string;
}

export const OPEN_STATUSES = 'new,open,pending_customer,reopened';

const KEYS: Array<keyof InboxFilters> = ['status', 'queue', 'category', 'severity', 'channel', 'assignee', 'sla', 'reach', 'q', 'sort'];

export function filtersFrom(params: URLSearchParams): InboxFilters {
  const f = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as InboxFilters;
  f.status ||= 'open';
  f.sort ||= 'sla_due';
  return f;
}

/** The hash for these filters, leaving defaults out. */
export function inboxHash(f: InboxFilters): string {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = f[k];
    if (!v || (k === 'status' && v === 'open') || (k === 'sort' && v === 'sla_due')) continue;
    p.set(k, v);
  }
  const s = p.toString();
  return `/inbox${s ? `?${s}` : ''}`;
}

/** GET /api/v1/tickets with these filters. */
export function ticketsPath(f: InboxFilters, cursor?: string | null, limit = 50): string {
  return `/api/v1/tickets${query({
    status: f.status === 'any' ? undefined : f.status === 'open' ? OPEN_STATUSES : f.status,
    queue: f.queue,
    category: f.category,
    severity: f.severity,
    channel: f.channel,
    assignee: f.assignee,
    sla: f.sla,
    reach: f.reach,
    q: f.q.trim(),
    sort: f.sort,
    cursor,
    limit,
  })}`;
}

export function hasFilters(f: InboxFilters): boolean {
  return inboxHash({ ...f, sort: 'sla_due' }) !== '/inbox';
}
