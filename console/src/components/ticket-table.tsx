import type { TicketSummary } from '../api/types.js';
import { compactTime, dateTime } from '../format/time.js';
import { useT } from '../i18n/language.js';
import { navigate } from '../routing/hash-route.js';
import { SlaDue } from './sla-badge.js';

/** Who the ticket is from: the name the list gives, else the customer number. */
export function customerLabel(t: TicketSummary, tr: ReturnType<typeof useT>['t']): string {
  return t.customerName || t.customer?.name || t.customer?.displayName || tr('customerNumber', { id: t.customerId });
}

/**
 * The inbox table. The ticket number is the row's link (Tab and Enter work); a click anywhere
 * on the row opens it too. `selected` is the j/k cursor; `fresh` rows just arrived or changed.
 */
export function TicketTable({
  items,
  selected,
  fresh,
  now,
  onSelect,
}: {
  items: TicketSummary[];
  selected: number;
  fresh: Set<number>;
  now: number;
  onSelect: (index: number) => void;
}) {
  const { t, term, lang } = useT();
  return (
    <table class="tickets">
      <caption class="visually-hidden">{t('ticketsTable')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('colNumber')}</th>
          <th scope="col">{t('colSubject')}</th>
          <th scope="col">{t('colCustomer')}</th>
          <th scope="col" class="col-channel">
            {t('colChannel')}
          </th>
          <th scope="col">{t('colCategory')}</th>
          <th scope="col" class="col-severity">
            {t('colSeverity')}
          </th>
          <th scope="col" class="col-priority">
            {t('colPriority')}
          </th>
          <th scope="col">{t('colStatus')}</th>
          <th scope="col">{t('colAssignee')}</th>
          <th scope="col">{t('colSlaDue')}</th>
          <th scope="col" class="col-updated">
            {t('colUpdated')}
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((ticket, index) => {
          const classes = ['ticket-row', index === selected ? 'selected' : '', fresh.has(ticket.id) ? 'fresh' : ''].filter(Boolean).join(' ');
          const subject = ticket.subject || ticket.excerpt || t('noSubject');
          return (
            <tr
              key={ticket.id}
              class={classes}
              data-ticket-id={ticket.id}
              onClick={(e) => {
                if ((e.target as HTMLElement).closest('a')) return;
                onSelect(index);
                navigate(`/tickets/${ticket.id}`);
              }}
            >
              <td class="col-number">
                <a href={`#/tickets/${ticket.id}`} onFocus={() => onSelect(index)}>
                  {ticket.number}
                </a>
              </td>
              <td class="col-subject">
                <span class="subject">{subject}</span>
                {ticket.excerpt && ticket.subject && <span class="excerpt">{ticket.excerpt}</span>}
              </td>
              <td>{customerLabel(ticket, t)}</td>
              <td class="col-channel">
                {ticket.channels.map((c, i) => (
                  <span key={c} class="channel-name">
                    {term('channel', c)}
                    {i < ticket.channels.length - 1 ? ', ' : ''}
                  </span>
                ))}
              </td>
              <td class="nowrap">{ticket.subcategory ?? ticket.category ?? t('nobody')}</td>
              <td class="col-severity nowrap">
                {ticket.severity ? (
                  <span class={`severity severity-${ticket.severity}`} title={term('severity', ticket.severity)}>
                    <span aria-hidden="true">S{ticket.severity}</span>
                    <span class="visually-hidden">{term('severity', ticket.severity)}</span>
                  </span>
                ) : (
                  t('nobody')
                )}
              </td>
              <td class="col-priority">
                <span class={`priority priority-${ticket.priority}`}>{term('priority', ticket.priority)}</span>
              </td>
              <td>
                <span class={`status status-${ticket.status}`}>{term('status', ticket.status)}</span>
              </td>
              <td class="nowrap">{ticket.assignee ?? <span class="muted">{t('unassigned')}</span>}</td>
              <td>
                <SlaDue ticket={ticket} now={now} />
              </td>
              <td class="col-updated">
                <time dateTime={ticket.updatedAt} title={dateTime(ticket.updatedAt, lang)}>
                  {compactTime(ticket.updatedAt, lang, now)}
                </time>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
