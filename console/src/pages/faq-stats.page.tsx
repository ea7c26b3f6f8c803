import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { Done, ErrorMessage } from '../components/error-message.js';
import { useAction } from '../hooks/use-action.js';
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

interface FaqEntry {
  id: string;
  questions: { zh: string | null; en: string | null };
}

/** One unanswered question, and the one-click way to teach it to an FAQ entry (through the rules workbench). */
function UnansweredRow({ question, count, entries, index }: { question: string; count: number; entries: FaqEntry[]; index: number }) {
  const { t, lang } = useT();
  const [entry, setEntry] = useState('');
  const add = useAction(async () => {
    if (!entry) throw new Error(t('faqPickEntry'));
    const r = await api.post<{ version: number }>(`/api/v1/faq/entries/${encodeURIComponent(entry)}/paraphrases`, { text: question });
    return t('faqAdded', { entry, version: r.version });
  });
  const id = `faq-entry-${index}`;
  return (
    <tr>
      <td>{question}</td>
      <td>{count}</td>
      <td>
        <label for={id} class="visually-hidden">
          {t('faqAddTo', { question })}
        </label>
        <select id={id} value={entry} onChange={(e) => setEntry(e.currentTarget.value)} disabled={Boolean(add.done)}>
          <option value="">{t('faqChooseEntry')}</option>
          {entries.map((e) => (
            <option key={e.id} value={e.id}>
              {e.id} — {(lang === 'zh' ? (e.questions.zh ?? e.questions.en) : (e.questions.en ?? e.questions.zh)) ?? ''}
            </option>
          ))}
        </select>{' '}
        {!add.done && (
          <button type="button" class="secondary" disabled={add.busy} onClick={() => void add.run()}>
            {t('faqAddButton')}
          </button>
        )}
        <ErrorMessage error={add.error} />
        <Done text={add.done} />
      </td>
    </tr>
  );
}

const percent = (r: number | null) => (r == null ? '' : ` (${Math.round(r * 100)} %)`);

/**
 * How the FAQ bot does (GET /api/v1/faq/stats, leads and admins only). An agent who opens it
 * by its address gets the server's refusal in words, not a blank page.
 */
export function FaqStatsPage() {
  const { t } = useT();
  const stats = useResource(() => api.get<FaqStats>('/api/v1/faq/stats'), 'faq-stats');
  const entries = useResource(() => api.get<{ items: FaqEntry[] }>('/api/v1/faq/entries'), 'faq-entries');
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
                <th scope="col">{t('faqTeach')}</th>
              </tr>
            </thead>
            <tbody>
              {s.topUnanswered.map((u, i) => (
                <UnansweredRow key={u.question} question={u.question} count={u.count} entries={entries.data?.items ?? []} index={i} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
