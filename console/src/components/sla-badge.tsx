import type { TicketSummary } from '../api/types.js';
import { compactTime, relative } from '../format/time.js';
import { slaOf } from '../format/sla.js';
import { useT } from '../i18n/language.js';

/** The SLA due time with a breached / due-soon badge (words, not colour alone). */
export function SlaDue({ ticket, now }: { ticket: TicketSummary; now: number }) {
  const { t, lang } = useT();
  const sla = slaOf(ticket, now);
  if (!sla.dueAt) return <span class="muted">{t('nobody')}</span>;
  return (
    <span class={`sla sla-${sla.state}`}>
      <time dateTime={sla.dueAt} title={relative(sla.dueAt, lang, now)}>
        {compactTime(sla.dueAt, lang, now)}
      </time>
      {sla.state === 'breached' && <span class="badge badge-breached">{t('breached')}</span>}
      {sla.state === 'due_soon' && <span class="badge badge-due-soon">{t('dueSoon')}</span>}
    </span>
  );
}
