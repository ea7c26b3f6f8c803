import { useMemo } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { QueueCount } from '../api/types.js';
import { EChart } from '../components/echart.js';
import { ErrorMessage } from '../components/error-message.js';
import { backlogOption, heatmapOption, slaOption, volumeOption, type HeatRow, type VolumeRow } from '../insights/insight-charts.js';
import { insightFiltersFrom, insightPath, type InsightFilters } from '../insights/insight-query.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import { navigate, type Route } from '../routing/hash-route.js';

const DAY_MS = 86_400_000;
const CHANNELS = ['email', 'sms', 'voice', 'webchat', 'webform', 'wechat', 'api'];

interface Period {
  from: string;
  to: string;
  timeZone: string;
}
interface SlaRow {
  key: string;
  tickets: number;
  firstResponse: { met: number; breached: number; pending: number; rate: number | null };
  resolution: { met: number; breached: number; pending: number; rate: number | null };
}
interface Breach {
  id: number;
  number: string;
  queue: string;
  assignee: string | null;
  severity: number | null;
  status: string;
  dueAt: string;
  overdueMinutes: number;
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10} %`);

function Section({ id, title, csv, children }: { id: string; title: string; csv: string; children: preact.ComponentChildren }) {
  const { t } = useT();
  return (
    <section class="card insight" aria-labelledby={`${id}-title`}>
      <div class="insight-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <a href={csv} download class="csv-link">
          {t('insightsCsv')}
        </a>
      </div>
      {children}
    </section>
  );
}

/**
 * Insights for leads: volume by channel over time, the category heat map (the early warning
 * view), SLA compliance by queue, backlog by age, the breach list with who holds each ticket, and
 * load per agent. One set of filters for every view, kept in the address; every view exports CSV.
 */
export function InsightsPage({ route }: { route: Route }) {
  const { t, term, lang } = useT();
  const f = insightFiltersFrom(route.params);
  const key = JSON.stringify(f);
  const volumeBy = route.params.get('by') === 'category' ? 'category' : 'channel';
  const heatCols = route.params.get('cols') === 'weekday' ? 'weekday' : 'hour';
  const slaBy = (['queue', 'severity', 'tier'] as const).find((b) => b === route.params.get('slaBy')) ?? 'queue';

  const volume = useResource(() => api.get<Period & { items: VolumeRow[] }>(insightPath('volume', f, { by: volumeBy })), `${key}${volumeBy}`);
  const heat = useResource(() => api.get<Period & { items: HeatRow[] }>(insightPath('heatmap', f, { cols: heatCols })), `${key}${heatCols}`);
  const sla = useResource(() => api.get<Period & { items: SlaRow[] }>(insightPath('sla', f, { by: slaBy })), `${key}${slaBy}`);
  const backlog = useResource(
    () => api.get<{ ages: string[]; items: Array<{ queue: string; age: string; count: number }> }>(insightPath('backlog', { queue: f.queue })),
    `backlog${f.queue}`,
  );
  const breaches = useResource(() => api.get<{ items: Breach[] }>(insightPath('breaches', { queue: f.queue }, { limit: '50' })), `breaches${f.queue}`);
  const agents = useResource(
    () => api.get<{ items: Array<{ assignee: string; open: number; assigned: number; resolved: number }> }>(insightPath('agents', f)),
    `agents${key}`,
  );
  const queues = useResource(() => api.get<{ items: QueueCount[] }>('/api/v1/queues'), 'queues');
  const csat = useResource(
    () =>
      api.get<{ lowScore: number; items: Array<{ key: string; answers: number; average: number; scores: number[]; low: number }> }>(
        insightPath('/api/v1/csat/stats', f),
      ),
    `csat${key}`,
  );

  const setParam = (changes: Record<string, string>) => {
    const next = new URLSearchParams(route.params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    navigate(`/insights${next.toString() ? `?${next}` : ''}`, { replace: true });
  };
  const day = (at: string, tz: string) =>
    new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: tz, month: 'short', day: 'numeric' }).format(new Date(at));

  const volumeChart = useMemo(() => {
    const v = volume.data;
    if (!v) return undefined;
    const axis: string[] = [];
    for (let at = Date.parse(v.from); at < Date.parse(v.to); at += DAY_MS) axis.push(new Date(at).toISOString());
    return volumeOption(
      v.items,
      axis,
      (k) => (volumeBy === 'channel' ? term('channel', k) : k),
      (at) => day(at, v.timeZone),
    );
  }, [volume.data, lang]);
  const heatCols24 = heatCols === 'hour' ? Array.from({ length: 24 }, (_, h) => String(h)) : t('insightsWeekdays').split(',');
  const heatChart = useMemo(() => heat.data && heatmapOption(heat.data.items, heatCols24, (c) => c), [heat.data, lang]);
  const slaChart = useMemo(
    () =>
      sla.data &&
      slaOption(sla.data.items, { firstResponse: t('insightsFirstResponse'), resolution: t('insightsResolution') }, (k) =>
        slaBy === 'severity' ? term('severity', k) : k,
      ),
    [sla.data, lang],
  );
  const backlogChart = useMemo(() => backlog.data && backlogOption(backlog.data.items, backlog.data.ages), [backlog.data]);

  const forbidden = volume.error instanceof ApiError && volume.error.status === 403;
  if (forbidden) {
    return (
      <section class="card">
        <h1>{t('insightsTitle')}</h1>
        <p class="error" role="alert">
          {t('forbiddenPage', { message: (volume.error as ApiError).message })}
        </p>
      </section>
    );
  }

  const filter = (name: keyof InsightFilters, label: string, options: Array<[string, string]>) => (
    <div class="insight-filter">
      <label for={`insight-${name}`}>{label}</label>
      <select id={`insight-${name}`} value={f[name]} onChange={(e) => setParam({ [name]: e.currentTarget.value })}>
        <option value="">{t('insightsAll')}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div class="insights-page">
      <section class="card" aria-labelledby="insights-title">
        <h1 id="insights-title">{t('insightsTitle')}</h1>
        <form class="insight-filters" onSubmit={(e) => e.preventDefault()}>
          <div class="insight-filter">
            <label for="insight-from">{t('insightsFrom')}</label>
            <input id="insight-from" type="date" value={f.from} onChange={(e) => setParam({ from: e.currentTarget.value })} />
          </div>
          <div class="insight-filter">
            <label for="insight-to">{t('insightsTo')}</label>
            <input id="insight-to" type="date" value={f.to} onChange={(e) => setParam({ to: e.currentTarget.value })} />
          </div>
          {filter(
            'channel',
            t('fieldChannel'),
            CHANNELS.map((c) => [c, term('channel', c)]),
          )}
          {filter(
            'queue',
            t('fieldQueue'),
            (queues.data?.items ?? []).map((q) => [q.queue, q.name ?? q.queue]),
          )}
          {filter(
            'severity',
            t('fieldSeverity'),
            ['1', '2', '3', '4'].map((s) => [s, term('severity', s)]),
          )}
          <div class="insight-filter">
            <label for="insight-category">{t('fieldCategory')}</label>
            <input id="insight-category" value={f.category} size={6} onChange={(e) => setParam({ category: e.currentTarget.value.trim().toUpperCase() })} />
          </div>
        </form>
        {volume.data && (
          <p class="muted">
            {t('insightsPeriod', {
              from: day(volume.data.from, volume.data.timeZone),
              to: day(new Date(Date.parse(volume.data.to) - DAY_MS).toISOString(), volume.data.timeZone),
              tz: volume.data.timeZone,
            })}
          </p>
        )}
      </section>

      <Section
        id="volume"
        title={t(volumeBy === 'channel' ? 'insightsVolumeChannel' : 'insightsVolumeCategory')}
        csv={insightPath('volume', f, { by: volumeBy, format: 'csv' })}
      >
        <div class="segmented" role="group" aria-label={t('insightsGroupBy')}>
          <button type="button" aria-pressed={volumeBy === 'channel'} onClick={() => setParam({ by: '' })}>
            {t('insightsByChannel')}
          </button>
          <button type="button" aria-pressed={volumeBy === 'category'} onClick={() => setParam({ by: 'category' })}>
            {t('insightsByCategory')}
          </button>
        </div>
        <ErrorMessage error={volume.error} />
        {volumeChart && (
          <EChart
            option={volumeChart.option}
            values={volumeChart.values}
            label={t(volumeBy === 'channel' ? 'insightsVolumeChannel' : 'insightsVolumeCategory')}
          />
        )}
      </Section>

      <Section
        id="heatmap"
        title={t(heatCols === 'hour' ? 'insightsHeatHour' : 'insightsHeatWeekday')}
        csv={insightPath('heatmap', f, { cols: heatCols, format: 'csv' })}
      >
        <div class="segmented" role="group" aria-label={t('insightsGroupBy')}>
          <button type="button" aria-pressed={heatCols === 'hour'} onClick={() => setParam({ cols: '' })}>
            {t('insightsByHour')}
          </button>
          <button type="button" aria-pressed={heatCols === 'weekday'} onClick={() => setParam({ cols: 'weekday' })}>
            {t('insightsByWeekday')}
          </button>
        </div>
        <ErrorMessage error={heat.error} />
        {heatChart && (
          <EChart
            option={heatChart.option}
            values={heatChart.values}
            label={t(heatCols === 'hour' ? 'insightsHeatHour' : 'insightsHeatWeekday')}
            height={Math.max(200, 60 + 36 * new Set(heat.data!.items.map((r) => r.category)).size)}
          />
        )}
      </Section>

      <Section id="sla" title={t('insightsSla')} csv={insightPath('sla', f, { by: slaBy, format: 'csv' })}>
        <div class="segmented" role="group" aria-label={t('insightsGroupBy')}>
          {(['queue', 'severity', 'tier'] as const).map((b) => (
            <button key={b} type="button" aria-pressed={slaBy === b} onClick={() => setParam({ slaBy: b === 'queue' ? '' : b })}>
              {t(`insightsBy_${b}` as 'insightsBy_queue')}
            </button>
          ))}
        </div>
        <ErrorMessage error={sla.error} />
        {slaChart && <EChart option={slaChart.option} values={slaChart.values} label={t('insightsSla')} height={240} />}
        {sla.data && (
          <table class="insight-table">
            <thead>
              <tr>
                <th scope="col">{t(`insightsBy_${slaBy}` as 'insightsBy_queue')}</th>
                <th scope="col">{t('insightsTickets')}</th>
                <th scope="col">{t('insightsFirstResponse')}</th>
                <th scope="col">{t('insightsResolution')}</th>
              </tr>
            </thead>
            <tbody>
              {sla.data.items.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{slaBy === 'severity' ? term('severity', r.key) : r.key}</th>
                  <td>{r.tickets}</td>
                  <td>
                    {t('insightsSlaCell', {
                      rate: pct(r.firstResponse.rate),
                      met: r.firstResponse.met,
                      breached: r.firstResponse.breached,
                      pending: r.firstResponse.pending,
                    })}
                  </td>
                  <td>
                    {t('insightsSlaCell', {
                      rate: pct(r.resolution.rate),
                      met: r.resolution.met,
                      breached: r.resolution.breached,
                      pending: r.resolution.pending,
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section id="backlog" title={t('insightsBacklog')} csv={insightPath('backlog', { queue: f.queue }, { format: 'csv' })}>
        <ErrorMessage error={backlog.error} />
        {backlogChart && <EChart option={backlogChart.option} values={backlogChart.values} label={t('insightsBacklog')} height={240} />}
      </Section>

      <Section id="breaches" title={t('insightsBreaches')} csv={insightPath('breaches', { queue: f.queue }, { format: 'csv' })}>
        <ErrorMessage error={breaches.error} />
        {breaches.data && breaches.data.items.length === 0 && <p class="muted">{t('insightsNoBreaches')}</p>}
        {breaches.data && breaches.data.items.length > 0 && (
          <table class="insight-table">
            <thead>
              <tr>
                <th scope="col">{t('insightsTicket')}</th>
                <th scope="col">{t('fieldQueue')}</th>
                <th scope="col">{t('fieldAssignee')}</th>
                <th scope="col">{t('fieldSeverity')}</th>
                <th scope="col">{t('insightsOverdue')}</th>
              </tr>
            </thead>
            <tbody>
              {breaches.data.items.map((b) => (
                <tr key={b.id}>
                  <td>
                    <a href={`#/tickets/${b.id}`}>{b.number}</a>
                  </td>
                  <td>{b.queue}</td>
                  <td>{b.assignee ?? t('unassigned')}</td>
                  <td>{term('severity', b.severity)}</td>
                  <td>{t('insightsOverdueBy', { hours: Math.floor(b.overdueMinutes / 60), minutes: b.overdueMinutes % 60 })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section id="csat" title={t('insightsCsat')} csv={insightPath('/api/v1/csat/stats', f, { format: 'csv' })}>
        <ErrorMessage error={csat.error} />
        {csat.data && csat.data.items.length <= 1 && <p class="muted">{t('insightsNoCsat')}</p>}
        {csat.data && csat.data.items.length > 1 && (
          <table class="insight-table">
            <thead>
              <tr>
                <th scope="col">{t('fieldQueue')}</th>
                <th scope="col">{t('insightsCsatAnswers')}</th>
                <th scope="col">{t('insightsCsatAverage')}</th>
                <th scope="col">{t('insightsCsatScores')}</th>
                <th scope="col">{t('insightsCsatLow', { score: csat.data.lowScore })}</th>
              </tr>
            </thead>
            <tbody>
              {csat.data.items.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.key === 'all' ? t('insightsAll') : r.key}</th>
                  <td>{r.answers}</td>
                  <td>{r.average.toFixed(2)}</td>
                  <td>{r.scores.join(' · ')}</td>
                  <td>{r.low}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section id="agents" title={t('insightsAgents')} csv={insightPath('agents', f, { format: 'csv' })}>
        <ErrorMessage error={agents.error} />
        {agents.data && (
          <table class="insight-table">
            <thead>
              <tr>
                <th scope="col">{t('fieldAssignee')}</th>
                <th scope="col">{t('insightsOpenNow')}</th>
                <th scope="col">{t('insightsAssignedInRange')}</th>
                <th scope="col">{t('insightsResolvedInRange')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.data.items.map((a) => (
                <tr key={a.assignee}>
                  <th scope="row">{a.assignee}</th>
                  <td>{a.open}</td>
                  <td>{a.assigned}</td>
                  <td>{a.resolved}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}
