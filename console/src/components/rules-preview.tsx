import type { PreviewJob } from '../api/types.js';
import { useT } from '../i18n/language.js';

const FIELDS = ['queue', 'priority', 'severity', 'category', 'slaPolicy'] as const;

/** The replay of a candidate: progress while it runs, then how many tickets would change in each field, with samples. */
export function RulesPreview({ job }: { job: PreviewJob }) {
  const { t, term, lang } = useT();
  const r = job.report;
  const count = (n: number) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
  return (
    <section class="rules-preview" aria-labelledby="rules-preview-title">
      <h2 id="rules-preview-title">{t('rulesPreviewTitle', { days: job.days })}</h2>
      {!job.finished && (
        <p class="preview-progress">
          <progress max={Math.max(job.total, 1)} value={job.done} aria-label={t('rulesPreviewProgress')} />{' '}
          <span>
            {job.total === 0
              ? t('rulesPreviewStarting')
              : t('rulesPreviewCount', { done: count(job.done), total: count(job.total), percent: Math.floor((100 * job.done) / job.total) })}
          </span>
        </p>
      )}
      {job.error && (
        <p class="error" role="alert">
          {job.error}
        </p>
      )}
      {r && (
        <>
          <p role="status">
            {t('rulesPreviewSummary', { scanned: count(r.scanned), changed: count(r.changed), seconds: (r.elapsedMs / 1000).toFixed(1) })}{' '}
            {r.reclassified !== undefined && (
              <span class="muted">
                {r.reclassified === 0 ? t('rulesPreviewReused') : t('rulesPreviewReclassified', { reclassified: count(r.reclassified) })}
              </span>
            )}
          </p>
          <table class="preview-counts">
            <caption class="visually-hidden">{t('rulesPreviewTitle', { days: job.days })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rulesPreviewField')}</th>
                <th scope="col">{t('rulesPreviewChanged')}</th>
                <th scope="col">{t('rulesPreviewSamples')}</th>
              </tr>
            </thead>
            <tbody>
              {FIELDS.map((f) => (
                <tr key={f}>
                  <th scope="row">{term('field', f)}</th>
                  <td>{r.counts[f] ?? 0}</td>
                  <td>
                    <ul class="samples">
                      {(r.samples[f] ?? []).map((s, i) => (
                        <li key={i}>
                          <code>{s.ticket}</code> {String(s.before ?? '—')} → <strong>{String(s.after ?? '—')}</strong>
                          {s.rules.length > 0 && <span class="muted"> ({s.rules.map((x) => x.ruleId).join(', ')})</span>}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
