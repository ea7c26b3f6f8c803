import { useEffect, useState } from 'preact/hooks';
import { CHANNELS, TICKET_STATUSES } from '../api/types.js';
import { useT } from '../i18n/language.js';
import { hasFilters, inboxHash, type InboxFilters } from '../inbox/inbox-filters.js';
import { navigate } from '../routing/hash-route.js';

/**
 * The filters above the ticket table. A choice in a list applies at once; the search and
 * category boxes apply with Enter or the search button.
 */
export function InboxFilterBar({ filters, categories }: { filters: InboxFilters; categories: string[] }) {
  const { t, term } = useT();
  const [q, setQ] = useState(filters.q);
  const [category, setCategory] = useState(filters.category);
  useEffect(() => {
    setQ(filters.q);
    setCategory(filters.category);
  }, [filters.q, filters.category]);

  const apply = (change: Partial<InboxFilters>) => navigate(inboxHash({ ...filters, ...change }));
  const select = (id: string, label: string, key: keyof InboxFilters, options: Array<[string, string]>) => (
    <div class="filter">
      <label for={id}>{label}</label>
      <select id={id} value={filters[key]} onChange={(e) => apply({ [key]: e.currentTarget.value })}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section class="filters" aria-label={t('filters')}>
      <form
        role="search"
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ q, category: category.trim().toUpperCase() });
        }}
      >
        <label for="inbox-search" class="visually-hidden">
          {t('search')}
        </label>
        <input id="inbox-search" type="search" value={q} placeholder={t('searchPlaceholder')} onInput={(e) => setQ(e.currentTarget.value)} />
        <div class="filter filter-narrow">
          <label for="filter-category">{t('filterCategory')}</label>
          <input
            id="filter-category"
            list="filter-category-codes"
            value={category}
            size={6}
            onInput={(e) => setCategory(e.currentTarget.value)}
            onChange={(e) => apply({ q, category: e.currentTarget.value.trim().toUpperCase() })}
          />
          <datalist id="filter-category-codes">
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </div>
        <button type="submit">{t('searchButton')}</button>
      </form>
      <div class="filter-row">
        {select('filter-status', t('filterStatus'), 'status', [
          ['open', t('filterStatusOpen')],
          ['any', t('filterAny')],
          ...TICKET_STATUSES.map((s): [string, string] => [s, term('status', s)]),
        ])}
        {select('filter-severity', t('filterSeverity'), 'severity', [
          ['', t('filterAny')],
          ...['1', '2', '3', '4'].map((s): [string, string] => [s, term('severity', s)]),
        ])}
        {select('filter-channel', t('filterChannel'), 'channel', [['', t('filterAny')], ...CHANNELS.map((c): [string, string] => [c, term('channel', c)])])}
        {select('filter-assignee', t('filterAssignee'), 'assignee', [
          ['', t('filterAny')],
          ['me', t('assignedToMe')],
          ['none', t('unassigned')],
        ])}
        {select('filter-sla', t('filterSla'), 'sla', [
          ['', t('filterAny')],
          ['due_soon', t('slaDueSoon')],
          ['breached', t('slaBreached')],
        ])}
        {select('filter-reach', t('filterReach'), 'reach', [
          ['', t('filterAny')],
          ['unreachable', t('reachUnreachable')],
        ])}
        {select('filter-sort', t('sortBy'), 'sort', [
          ['sla_due', t('sortSla')],
          ['updated', t('sortUpdated')],
        ])}
        {hasFilters(filters) && (
          <button type="button" class="link-button" onClick={() => navigate('/inbox')}>
            {t('clearFilters')}
          </button>
        )}
      </div>
    </section>
  );
}
