import { query } from '../api/client.js';

/** The filters every insight view takes, kept in the hash (`#/insights?from=2026-11-01&queue=logistics`). */
export interface InsightFilters {
  from: string;
  to: string;
  channel: string;
  category: string;
  queue: string;
  severity: string;
}

const KEYS: Array<keyof InsightFilters> = ['from', 'to', 'channel', 'category', 'queue', 'severity'];

export function insightFiltersFrom(params: URLSearchParams): InsightFilters {
  return Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as InsightFilters;
}

/** The API path of a view (`volume`, or a path of its own such as `/api/v1/csat/stats`) with the filters and extra parameters, empty ones left out. */
export function insightPath(view: string, f: Partial<InsightFilters>, extra: Record<string, string> = {}): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) params[k] = v;
  return `${view.startsWith('/') ? view : `/api/v1/insights/${view}`}${query(params)}`;
}
