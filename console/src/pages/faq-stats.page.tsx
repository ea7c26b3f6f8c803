import { api, ApiError } from '../api/client.js';
import { ErrorMessage } from '../components/error-message.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';

interface FaqStats {
  days: number;
  botAnswered: number;
  deflected: number;
  handoffs: number;
  deflectionRate: number | null;
  handoffRate: number | null;
  topUnanswered: Array<{ question: string; count: number; lastSeenAt: string }>;
}

const percent = (r: number | null) => (r == null ? '' : ` (${Math.round(r * 100)} %)`);

/**
 * How the FAQ bot does (GET /api/v1/faq/stats, leads and admins only). An agent who opens it
 * by its address gets the server's refusal in words, not a blank page.
 */
export function FaqStatsPage() {
  const { t } = useT();
  const stats = useResource(() => api.get<FaqStats>('/api/v1/faq/stats'), 'faq-stats');
  const s = stats.data;
  const forbidden = stats.error instanceof ApiError && stats.error.status === 403;
  return (
    <section class="faq-stats card" aria-labelledby="faq-stats-title">
      <h1 id="faq-stats-title">{t('faqStatsTitle', { days: s?.days ?? 30 })}</h1>
      {forbidden ? (
        <p class="error" role="alert">
          {t('forbiddenPage', { message: (stats.error as ApiError).message })}
        </p>
      ) : (
        <ErrorMessage error={stats.error} />
      )}
      {stats.loading && !s && (
        <p class="loading" role="status">
          {t('loading')}
        </p>
      )}
      {s && (
        <>
          <dl class="stats">
            <div>
              <dt>{t('faqAnsweredCount')}</dt>
              <dd>{s.botAnswered}</dd>
            </div>
            <div>
              <dt>{t('faqDeflected')}</dt>
              <dd>
                {s.deflected}
                {percent(s.deflectionRate)}
              </dd>
            </div>
            <div>
              <dt>{t('faqHandoffs')}</dt>
              <dd>
                {s.handoffs}
                {percent(s.handoffRate)}
              </dd>
            </div>
          </dl>
          <h2>{t('faqTopUnanswered')}</h2>
          <table class="tickets">
            <thead>
              <tr>
                <th scope="col">{t('faqQuestion')}</th>
                <th scope="col">{t('faqCount')}</th>
              </tr>
            </thead>
            <tbody>
              {s.topUnanswered.map((u) => (
                <tr key={u.question}>
                  <td>{u.question}</td>
                  <td>{u.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
