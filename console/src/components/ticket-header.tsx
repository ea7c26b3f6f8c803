import type { TicketDetail } from '../api/types.js';
import { dateTime, relative } from '../format/time.js';
import { DUE_SOON_MS } from '../format/sla.js';
import { useT } from '../i18n/language.js';

function SlaClock({ label, due, done, now }: { label: string; due: string | null; done?: string | null; now: number }) {
  const { t, lang } = useT();
  if (done) {
    return (
      <div class="clock">
        <dt>{t('slaResponded')}</dt>
        <dd>{dateTime(done, lang)}</dd>
      </div>
    );
  }
  if (!due) return null;
  const left = new Date(due).getTime() - now;
  const late = left <= 0;
  return (
    <div class={`clock ${late ? 'clock-late' : ''}`}>
      <dt>{label}</dt>
      <dd>
        <time dateTime={due}>{dateTime(due, lang)}</time> <span class="muted">({relative(due, lang, now)})</span>
        {late && <span class="badge badge-breached">{t('breached')}</span>}
        {!late && left <= DUE_SOON_MS && <span class="badge badge-due-soon">{t('dueSoon')}</span>}
      </dd>
    </div>
  );
}

/** Number, subject, the fields an agent scans first, and the SLA clocks. */
export function TicketHeader({ ticket, now, nav }: { ticket: TicketDetail; now: number; nav?: preact.ComponentChildren }) {
  const { t, term } = useT();
  const closed = ticket.status === 'resolved' || ticket.status === 'closed';
  const fact = (label: string, value: preact.ComponentChildren, cls = '') => (
    <div class={`fact ${cls}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <header class="ticket-header">
      <div class="ticket-header-top">
        <h1>
          <span class="ticket-number">{ticket.number}</span> <span class="ticket-subject">{ticket.subject || t('noSubject')}</span>
        </h1>
        {nav}
      </div>
      <div class="ticket-facts">
        <dl class="facts">
          {fact(t('fieldStatus'), <span class={`status status-${ticket.status}`}>{term('status', ticket.status)}</span>)}
          {fact(t('fieldPriority'), <span class={`priority priority-${ticket.priority}`}>{term('priority', ticket.priority)}</span>)}
          {fact(t('fieldQueue'), ticket.queue)}
          {fact(t('fieldAssignee'), ticket.assignee ?? <span class="muted">{t('unassigned')}</span>)}
          {fact(t('fieldCategory'), `${ticket.category ?? '—'}${ticket.subcategory ? ` · ${ticket.subcategory}` : ''}`)}
          {fact(t('fieldSeverity'), ticket.severity ? <span class={`severity severity-${ticket.severity}`}>{term('severity', ticket.severity)}</span> : '—')}
          {fact(t('fieldChannels'), ticket.channels.map((c) => term('channel', c)).join(', '))}
        </dl>
        <dl class="facts clocks">
          {closed ? (
            <div class="clock">
              <dt>{t('slaNone')}</dt>
              <dd>{term('status', ticket.status)}</dd>
            </div>
          ) : (
            <>
              <SlaClock label={t('slaFirstResponse')} due={ticket.firstResponseDueAt} done={ticket.firstRespondedAt} now={now} />
              <SlaClock label={t('slaResolution')} due={ticket.resolutionDueAt} now={now} />
            </>
          )}
        </dl>
      </div>
    </header>
  );
}
