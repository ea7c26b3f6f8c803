import { useState } from 'preact/hooks';
import type { ConfigVersionView } from '../api/types.js';
import { dateTime } from '../format/time.js';
import type { Action } from '../hooks/use-action.js';
import { useT } from '../i18n/language.js';
import { Done, ErrorMessage } from './error-message.js';

/** Every version applied from the console (newest first), its diff on request, and a one-step roll back to it. */
export function RulesHistory({
  versions,
  currentSha,
  rollback,
}: {
  versions: ConfigVersionView[];
  currentSha: string | undefined;
  rollback: Action<[number]>;
}) {
  const { t, lang } = useT();
  const [open, setOpen] = useState<number | undefined>(undefined);
  return (
    <section class="rules-history" aria-labelledby="rules-history-title">
      <h2 id="rules-history-title">{t('rulesHistoryTitle')}</h2>
      {versions.length === 0 && <p class="muted">{t('rulesHistoryEmpty')}</p>}
      <ol>
        {versions.map((v) => (
          <li key={v.id}>
            <div class="version-head">
              <strong>
                {t('rulesVersion', { id: v.id })} · {t(`rulesKind_${v.kind}` as 'rulesKind_apply')}
              </strong>{' '}
              <span class="muted">
                {v.actor.replace(/^(user|token|agent):/, '')} · {dateTime(new Date(v.createdAt).toISOString(), lang)}
              </span>
              {v.sha256 === currentSha ? (
                <span class="badge">{t('rulesCurrent')}</span>
              ) : (
                <button type="button" class="secondary" disabled={rollback.busy} onClick={() => void rollback.run(v.id)}>
                  {t('rulesRollback', { id: v.id })}
                </button>
              )}
            </div>
            <p class="version-reason">{v.reason}</p>
            {v.diff && (
              <button type="button" class="link-button" aria-expanded={open === v.id} onClick={() => setOpen(open === v.id ? undefined : v.id)}>
                {open === v.id ? t('rulesHideDiff') : t('rulesShowDiff')}
              </button>
            )}
            {open === v.id && <pre class="diff code">{v.diff}</pre>}
          </li>
        ))}
      </ol>
      <ErrorMessage error={rollback.error} />
      <Done text={rollback.done} />
    </section>
  );
}
