import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { subscribeToTickets } from '../api/live-updates.js';
import { isLead } from '../api/roles.js';
import type { Me, TicketStatus } from '../api/types.js';
import { Done, ErrorMessage } from '../components/error-message.js';
import { dateTime } from '../format/time.js';
import { useAction } from '../hooks/use-action.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import { navigate, type Route } from '../routing/hash-route.js';

interface Incident {
  id: number;
  title: string;
  category: string | null;
  severity: number;
  ticketCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  status: 'open' | 'resolved';
  resolvedAt: string | null;
}
interface IncidentDetail extends Incident {
  channels: Record<string, number>;
  customers: number;
  tickets: Array<{
    id: number;
    number: string;
    status: TicketStatus;
    channels: string[];
    customerName: string | null;
    subject: string | null;
    assignee: string | null;
  }>;
}

/** Reload after ticket changes, at most this often (a surge brings many at once). */
const RELOAD_AFTER_MS = 1_000;

/**
 * The incident board: surges the gateway found (many customers, same problem, short time), live,
 * with their member tickets, channels and customers; a lead resolves one with a message to every
 * affected customer on their own channel (POST /api/v1/incidents/:id/resolve).
 */
export function IncidentsPage({ me, route }: { me: Me; route: Route }) {
  const { t, term, lang } = useT();
  const status = route.params.get('status') === 'resolved' ? 'resolved' : 'open';
  const selected = Number(route.params.get('id')) || undefined;
  const list = useResource(() => api.get<{ items: Incident[] }>(`/api/v1/incidents?status=${status}`), status);
  const detail = useResource(() => (selected ? api.get<IncidentDetail>(`/api/v1/incidents/${selected}`) : Promise.resolve(undefined)), String(selected));
  const [notify, setNotify] = useState(true);
  const [resolveTickets, setResolveTickets] = useState(true);
  const [messageZh, setMessageZh] = useState('');
  const [messageEn, setMessageEn] = useState('');

  // Live: a surge's tickets arrive through the stream; the board follows without a reload.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void list.reload();
        void detail.reload();
      }, RELOAD_AFTER_MS);
    };
    const stop = subscribeToTickets({ change: later, reconnected: later });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [status, selected]);

  const resolve = useAction(async () => {
    if (!selected) return;
    const message = { ...(messageZh.trim() ? { zh: messageZh.trim() } : {}), ...(messageEn.trim() ? { en: messageEn.trim() } : {}) };
    const r = await api.post<Incident & { notified: number }>(`/api/v1/incidents/${selected}/resolve`, {
      notifyCustomers: notify,
      resolveTickets,
      ...(Object.keys(message).length ? { message } : {}),
    });
    await Promise.all([list.reload(), detail.reload()]);
    return t('incidentResolved', { notified: r.notified });
  });

  const open = (id: number) =>
    navigate(`/incidents?${new URLSearchParams({ ...(status === 'resolved' ? { status } : {}), id: String(id) })}`, { replace: true });
  const d = detail.data;
  return (
    <div class="incidents-page">
      <section class="card" aria-labelledby="incidents-title">
        <h1 id="incidents-title">{t('incidentsTitle')}</h1>
        <div class="segmented" role="group" aria-label={t('incidentsShow')}>
          <button type="button" aria-pressed={status === 'open'} onClick={() => navigate('/incidents', { replace: true })}>
            {t('incidentsOpen')}
          </button>
          <button type="button" aria-pressed={status === 'resolved'} onClick={() => navigate('/incidents?status=resolved', { replace: true })}>
            {t('incidentsResolvedList')}
          </button>
        </div>
        <ErrorMessage error={list.error} />
        {list.data && list.data.items.length === 0 && <p class="muted">{t(status === 'open' ? 'incidentsNoneOpen' : 'incidentsNoneResolved')}</p>}
        {list.data && list.data.items.length > 0 && (
          <table class="insight-table incidents">
            <thead>
              <tr>
                <th scope="col">{t('incidentTitle')}</th>
                <th scope="col">{t('fieldCategory')}</th>
                <th scope="col">{t('fieldSeverity')}</th>
                <th scope="col">{t('insightsTickets')}</th>
                <th scope="col">{t('incidentFirstSeen')}</th>
                <th scope="col">{t('incidentLastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.id} aria-current={i.id === selected ? 'true' : undefined}>
                  <td>
                    <a
                      href={`#/incidents?id=${i.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        open(i.id);
                      }}
                    >
                      {i.title}
                    </a>
                  </td>
                  <td>{i.category ?? '—'}</td>
                  <td>{term('severity', i.severity)}</td>
                  <td>{i.ticketCount}</td>
                  <td>{dateTime(i.firstSeenAt, lang)}</td>
                  <td>{dateTime(i.lastSeenAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {selected && (
        <section class="card" aria-labelledby="incident-detail-title">
          <ErrorMessage error={detail.error} />
          {d && (
            <>
              <h2 id="incident-detail-title">
                {t('incidentHeading', { id: d.id })} · {d.title}
              </h2>
              <p>
                {t('incidentSummary', { tickets: d.ticketCount, customers: d.customers })}{' '}
                {Object.entries(d.channels)
                  .map(([c, n]) => `${term('channel', c)} ${n}`)
                  .join(' · ')}
                {d.status === 'resolved' && d.resolvedAt && <span class="badge">{t('incidentResolvedAt', { at: dateTime(d.resolvedAt, lang) })}</span>}
              </p>
              <table class="insight-table">
                <thead>
                  <tr>
                    <th scope="col">{t('insightsTicket')}</th>
                    <th scope="col">{t('fieldStatus')}</th>
                    <th scope="col">{t('fieldChannels')}</th>
                    <th scope="col">{t('incidentCustomer')}</th>
                    <th scope="col">{t('fieldAssignee')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.tickets.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <a href={`#/tickets/${m.id}`}>{m.number}</a>
                      </td>
                      <td>{term('status', m.status)}</td>
                      <td>{m.channels.map((c) => term('channel', c)).join(', ')}</td>
                      <td>{m.customerName ?? '—'}</td>
                      <td>{m.assignee ?? t('unassigned')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.status === 'open' && isLead(me) && (
                <form
                  class="incident-resolve"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void resolve.run();
                  }}
                >
                  <h3>{t('incidentResolveTitle')}</h3>
                  <label class="check">
                    <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} />{' '}
                    {t('incidentNotify', { customers: d.customers })}
                  </label>
                  {notify && (
                    <>
                      <label for="incident-message-zh">{t('incidentMessageZh')}</label>
                      <textarea
                        id="incident-message-zh"
                        rows={2}
                        value={messageZh}
                        placeholder={t('incidentMessageDefault')}
                        onInput={(e) => setMessageZh(e.currentTarget.value)}
                      />
                      <label for="incident-message-en">{t('incidentMessageEn')}</label>
                      <textarea
                        id="incident-message-en"
                        rows={2}
                        value={messageEn}
                        placeholder={t('incidentMessageDefault')}
                        onInput={(e) => setMessageEn(e.currentTarget.value)}
                      />
                    </>
                  )}
                  <label class="check">
                    <input type="checkbox" checked={resolveTickets} onChange={(e) => setResolveTickets(e.currentTarget.checked)} />{' '}
                    {t('incidentResolveTickets')}
                  </label>
                  <button type="submit" disabled={resolve.busy}>
                    {t('incidentResolve')}
                  </button>
                </form>
              )}
              <ErrorMessage error={resolve.error} />
              <Done text={resolve.done} />
            </>
          )}
        </section>
      )}
    </div>
  );
}
