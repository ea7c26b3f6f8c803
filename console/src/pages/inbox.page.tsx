import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Me, QueueCount } from '../api/types.js';
import { ErrorMessage } from '../components/error-message.js';
import { InboxFilterBar } from '../components/inbox-filter-bar.js';
import { QueueList } from '../components/queue-list.js';
import { TicketTable } from '../components/ticket-table.js';
import { useNow } from '../hooks/use-now.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import { filtersFrom, inboxHash } from '../inbox/inbox-filters.js';
import { useLiveInbox } from '../inbox/live-inbox.js';
import { useShortcuts } from '../keyboard/shortcuts.js';
import { navigate, type Route } from '../routing/hash-route.js';
import { rememberInboxOrder } from '../state/inbox-order.js';

/** Queues, filters and the live ticket table; j/k move through the rows, Enter opens one. */
export function InboxPage({ route }: { me: Me; route: Route }) {
  const { t } = useT();
  const filters = useMemo(() => filtersFrom(route.params), [route.params.toString()]);
  const filterKey = inboxHash(filters);
  const inbox = useLiveInbox(filters, filterKey);
  const queues = useResource(() => api.get<{ items: QueueCount[] }>('/api/v1/queues'), 'queues');
  const now = useNow();
  const [selected, setSelected] = useState(-1);
  const table = useRef<HTMLDivElement>(null);

  // Counts follow the live changes too (a little later: one request per burst).
  useEffect(() => {
    if (inbox.changes > 0) void queues.reload();
  }, [inbox.changes]);
  useEffect(() => rememberInboxOrder(inbox.items.map((i) => i.id)), [inbox.items]);
  useEffect(() => setSelected(-1), [filterKey]);

  const categories = useMemo(() => [...new Set(inbox.items.map((i) => i.category).filter((c): c is string => Boolean(c)))].sort(), [inbox.items]);

  const move = (step: 1 | -1) => {
    if (inbox.items.length === 0) return;
    const next = Math.min(Math.max(selected + step, 0), inbox.items.length - 1);
    setSelected(next);
    const link = table.current?.querySelector<HTMLAnchorElement>(`tr[data-ticket-id="${inbox.items[next]!.id}"] a`);
    link?.focus();
    link?.scrollIntoView({ block: 'nearest' });
  };
  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    o: () => selected >= 0 && navigate(`/tickets/${inbox.items[selected]!.id}`),
  });

  return (
    <div class="inbox">
      <QueueList queues={queues.data?.items} error={queues.error} filters={filters} />
      <section class="inbox-main" aria-labelledby="inbox-title">
        <div class="inbox-heading">
          <h1 id="inbox-title">{t('inboxTitle')}</h1>
          <span class={`live ${inbox.live ? 'live-on' : 'live-off'}`} role="status">
            {inbox.live ? t('liveOn') : t('liveOff')}
          </span>
        </div>
        <InboxFilterBar filters={filters} categories={categories} />
        <p class="visually-hidden" aria-live="polite">
          {inbox.fresh.size > 0 ? t('newTicketsArrived', { n: inbox.lastArrivals }) : ''}
        </p>
        <ErrorMessage error={inbox.error} />
        {inbox.loading && inbox.items.length === 0 ? (
          <p class="loading" role="status">
            {t('loading')}
          </p>
        ) : inbox.items.length === 0 && !inbox.error ? (
          <p class="empty">{t('noTickets')}</p>
        ) : (
          <div class="table-wrap" ref={table}>
            <TicketTable items={inbox.items} selected={selected} fresh={inbox.fresh} now={now} onSelect={setSelected} />
          </div>
        )}
        {inbox.nextCursor && (
          <div class="load-more">
            <button type="button" class="secondary" onClick={inbox.loadMore} disabled={inbox.loadingMore}>
              {inbox.loadingMore ? t('loading') : t('loadMore')}
            </button>
            <ErrorMessage error={inbox.moreError} />
          </div>
        )}
      </section>
    </div>
  );
}
