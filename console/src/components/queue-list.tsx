import type { QueueCount } from '../api/types.js';
import { useT } from '../i18n/language.js';
import { inboxHash, type InboxFilters } from '../inbox/inbox-filters.js';
import { ErrorMessage } from './error-message.js';

/** The queues with their counts (GET /api/v1/queues); choosing one filters the inbox. */
export function QueueList({ queues, error, filters }: { queues?: QueueCount[]; error: unknown; filters: InboxFilters }) {
  const { t } = useT();
  const link = (queue: string) => `#${inboxHash({ ...filters, queue })}`;
  return (
    <nav class="queue-list" aria-labelledby="queues-title">
      <h2 id="queues-title">{t('queues')}</h2>
      <ErrorMessage error={error} />
      <ul>
        <li>
          <a href={link('')} aria-current={filters.queue === '' ? 'true' : undefined}>
            <span class="queue-name">{t('allQueues')}</span>
          </a>
        </li>
        {(queues ?? []).map((q) => (
          <li key={q.queue}>
            <a href={link(q.queue)} aria-current={filters.queue === q.queue ? 'true' : undefined}>
              <span class="queue-name">{q.name || q.queue}</span>
              <span class="queue-counts">
                <span class="count" title={t('queueOpen', { n: q.open })}>
                  <span aria-hidden="true">{q.open}</span>
                  <span class="visually-hidden">{t('queueOpen', { n: q.open })}</span>
                </span>
                {q.unassigned > 0 && <span class="count count-unassigned">{t('queueUnassigned', { n: q.unassigned })}</span>}
                {q.dueSoon > 0 && <span class="count count-due-soon">{t('queueDueSoon', { n: q.dueSoon })}</span>}
                {q.breached > 0 && <span class="count count-breached">{t('queueBreached', { n: q.breached })}</span>}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
