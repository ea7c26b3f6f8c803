import { useEffect, useRef, useState } from 'preact/hooks';
import { api, query } from '../api/client.js';
import { subscribeToTickets } from '../api/live-updates.js';
import type { Page, TicketDetail, TicketSummary } from '../api/types.js';
import { ticketsPath, type InboxFilters } from './inbox-filters.js';

/** How long a new or changed row stays highlighted. */
const FRESH_MS = 6_000;
/** Changes arriving together (a burst of messages) cause one refetch. */
const DEBOUNCE_MS = 100;

export interface LiveInbox {
  items: TicketSummary[];
  nextCursor: string | null;
  loading: boolean;
  error: unknown;
  loadingMore: boolean;
  moreError: unknown;
  loadMore: () => Promise<void>;
  fresh: Set<number>;
  live: boolean;
  /** How many rows the last live refresh brought in or changed (for the screen-reader announcement). */
  lastArrivals: number;
  /** Bumped on every live change, so the queue counts can follow. */
  changes: number;
}

/**
 * The inbox's rows for these filters, kept current from the event stream: a change to a row
 * on screen refetches that ticket; anything else (a new ticket, one that may now match the
 * filters) refetches the first page and keeps the pages loaded below it.
 */
export function useLiveInbox(filters: InboxFilters, filterKey: string): LiveInbox {
  const [items, setItems] = useState<TicketSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [live, setLive] = useState(false);
  const [lastArrivals, setLastArrivals] = useState(0);
  const [changes, setChanges] = useState(0);
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const generation = useRef(0);

  const highlight = (ids: number[]) => {
    if (ids.length === 0) return;
    setLastArrivals(ids.length);
    setFresh((old) => new Set([...old, ...ids]));
    setTimeout(() => setFresh((old) => new Set([...old].filter((id) => !ids.includes(id)))), FRESH_MS);
  };

  // The first page, whenever the filters change.
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    setMoreError(undefined);
    api.get<Page<TicketSummary>>(ticketsPath(filters)).then(
      (page) => {
        if (mine !== generation.current) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (err) => {
        if (mine !== generation.current) return;
        setItems([]);
        setNextCursor(null);
        setError(err);
        setLoading(false);
      },
    );
  }, [filterKey]);

  // Live changes.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = new Set<number>();
    const numbers = new Map<number, string>();
    let refetchFirstPage = false;
    const flush = async () => {
      timer = undefined;
      const ids = [...changed];
      changed.clear();
      const known = new Map(numbers);
      numbers.clear();
      const whole = refetchFirstPage;
      refetchFirstPage = false;
      const mine = generation.current;
      try {
        let refreshed = new Set<number>();
        if (whole) {
          const page = await api.get<Page<TicketSummary>>(ticketsPath(filters));
          if (mine !== generation.current) return;
          const before = new Map(itemsRef.current.map((t) => [t.id, t]));
          refreshed = new Set(page.items.map((t) => t.id));
          const keptBelow = itemsRef.current.slice(page.items.length).filter((t) => !refreshed.has(t.id));
          setItems([...page.items, ...keptBelow]);
          if (before.size <= page.items.length) setNextCursor(page.nextCursor);
          highlight(page.items.filter((t) => !before.has(t.id) || before.get(t.id)!.updatedAt !== t.updatedAt || ids.includes(t.id)).map((t) => t.id));
        }
        // Changed rows further down than the first page: each read again on its own.
        const rest = ids.filter((id) => !refreshed.has(id));
        if (rest.length > 0) {
          const updated = await Promise.all(rest.map((id) => rowOf(id, known.get(id))));
          if (mine !== generation.current) return;
          const byId = new Map(updated.filter((t): t is TicketSummary => Boolean(t)).map((t) => [t.id, t]));
          setItems((old) => old.map((t) => (byId.has(t.id) ? { ...t, ...byId.get(t.id)! } : t)));
          highlight([...byId.keys()]);
        }
        setChanges((n) => n + 1);
      } catch {
        // A failed live refresh is not the agent's action: the next change or a reload tries again.
      }
    };
    const unsubscribe = subscribeToTickets({
      change: (kind, change) => {
        const onScreen = itemsRef.current.some((t) => t.id === Number(change.id));
        if (kind === 'ticket.updated' && onScreen) {
          changed.add(Number(change.id));
          if (change.number) numbers.set(Number(change.id), change.number);
        } else {
          refetchFirstPage = true;
        }
        timer ??= setTimeout(flush, DEBOUNCE_MS);
      },
      reconnected: () => {
        refetchFirstPage = true;
        timer ??= setTimeout(flush, DEBOUNCE_MS);
      },
      connected: setLive,
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [filterKey]);

  const loadMore = async () => {
    if (!nextCursor) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api.get<Page<TicketSummary>>(ticketsPath(filters, nextCursor));
      if (mine !== generation.current) return;
      setItems((old) => {
        const seen = new Set(old.map((t) => t.id));
        return [...old, ...page.items.filter((t) => !seen.has(t.id))];
      });
      setNextCursor(page.nextCursor);
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  };

  return { items, nextCursor, loading, error, loadingMore, moreError, loadMore, fresh, live, lastArrivals, changes };
}

/**
 * One row as the inbox list shows it (customer name, excerpt, SLA due), found by its ticket number;
 * the ticket itself when the number is not known. A row that cannot be read keeps what it showed.
 */
async function rowOf(id: number, number: string | undefined): Promise<TicketSummary | undefined> {
  try {
    if (number) {
      const page = await api.get<Page<TicketSummary>>(`/api/v1/tickets${query({ q: number, limit: 5 })}`);
      const row = page.items.find((t) => t.id === id);
      if (row) return row;
    }
    const { messages: _m, events: _e, understanding: _u, notes: _n, ...summary } = await api.get<TicketDetail>(`/api/v1/tickets/${id}`);
    return summary;
  } catch {
    return undefined;
  }
}
