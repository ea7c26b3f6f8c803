import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { ConfigCheck, ConfigFileView, ConfigInfo, ConfigVersionView, PreviewJob } from '../api/types.js';
import { Done, ErrorMessage } from '../components/error-message.js';
import { RulesEditor } from '../components/rules-editor.js';
import { RulesHistory } from '../components/rules-history.js';
import { RulesPreview } from '../components/rules-preview.js';
import { dateTime } from '../format/time.js';
import { useAction } from '../hooks/use-action.js';
import { useResource } from '../hooks/use-resource.js';
import { useT } from '../i18n/language.js';
import type { Route } from '../routing/hash-route.js';

const FILES = ['routing.yaml', 'categories.yaml', 'faq.yaml', 'sla.yaml', 'canned-replies.yaml'] as const;
/** Check the text this long after the last keystroke. */
const CHECK_AFTER_MS = 400;
const PREVIEW_POLL_MS = 300;

/**
 * The rules workbench (leads and admins): edit a config file with a check as you type (the same
 * messages as check-config, each linking to its line), see what the edit would change on recent
 * tickets, apply it with a reason, and roll back to any version. The active config version and
 * the last refused edit of the directory are shown above.
 */
export function RulesPage({ route }: { route: Route }) {
  const { t, lang } = useT();
  const file = (FILES as readonly string[]).includes(route.params.get('file') ?? '') ? route.params.get('file')! : FILES[0];
  const info = useResource(() => api.get<ConfigInfo>('/api/v1/config'), 'config-info');
  const current = useResource(() => api.get<ConfigFileView>(`/api/v1/config/files/${file}`), file);
  const versions = useResource(() => api.get<{ items: ConfigVersionView[] }>(`/api/v1/config/files/${file}/versions`), `versions-${file}`);
  const [draft, setDraft] = useState('');
  const [check, setCheck] = useState<ConfigCheck | undefined>(undefined);
  const [checking, setChecking] = useState(false);
  const [reason, setReason] = useState('');
  const [days, setDays] = useState(30);
  const [job, setJob] = useState<PreviewJob | undefined>(undefined);
  const checkTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // A newly loaded file (another tab, or after apply / roll back) replaces the draft.
  useEffect(() => {
    if (current.data) {
      setDraft(current.data.content);
      setCheck(undefined);
      setJob(undefined);
    }
  }, [current.data?.sha256, file]);

  const onInput = (text: string) => {
    setDraft(text);
    setJob(undefined);
    clearTimeout(checkTimer.current);
    setChecking(true);
    checkTimer.current = setTimeout(() => {
      api.post<ConfigCheck>(`/api/v1/config/files/${file}/check`, { content: text }).then(
        (r) => (setCheck(r), setChecking(false)),
        (err) => (setCheck({ ok: false, problems: [{ file, field: '', reason: err instanceof Error ? err.message : String(err) }] }), setChecking(false)),
      );
    }, CHECK_AFTER_MS);
  };
  useEffect(() => () => clearTimeout(checkTimer.current), []);

  const changed = current.data !== undefined && draft !== current.data.content;
  const valid = changed && !checking && check?.ok === true;

  const preview = useAction(async () => {
    let next = await api.post<PreviewJob>(`/api/v1/config/files/${file}/previews`, { content: draft, days });
    setJob(next);
    while (!next.finished) {
      await new Promise((r) => setTimeout(r, PREVIEW_POLL_MS));
      next = await api.get<PreviewJob>(`/api/v1/config/previews/${next.id}`);
      setJob(next);
    }
  });

  const afterWrite = async () => {
    setReason('');
    await Promise.all([current.reload(), versions.reload(), info.reload()]);
  };
  const apply = useAction(async () => {
    if (!reason.trim()) throw new Error(t('rulesReasonNeeded'));
    const r = await api.put<{ version: ConfigVersionView; active: string }>(`/api/v1/config/files/${file}`, {
      content: draft,
      reason: reason.trim(),
      baseSha256: current.data!.sha256,
    });
    await afterWrite();
    return t('rulesApplied', { id: r.version.id, version: r.active.slice(0, 8) });
  });
  const rollback = useAction(async (id: number) => {
    if (!confirm(t('rulesRollbackConfirm', { id, file }))) return;
    const r = await api.post<{ version: ConfigVersionView; active: string }>(`/api/v1/config/files/${file}/rollback`, {
      version: id,
      baseSha256: current.data!.sha256,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
    });
    await afterWrite();
    return t('rulesRolledBack', { id, version: r.active.slice(0, 8) });
  });

  const forbidden = current.error instanceof ApiError && current.error.status === 403;
  if (forbidden) {
    return (
      <section class="card">
        <h1>{t('rulesTitle')}</h1>
        <p class="error" role="alert">
          {t('forbiddenPage', { message: (current.error as ApiError).message })}
        </p>
      </section>
    );
  }

  return (
    <div class="rules-page">
      <section class="card" aria-labelledby="rules-title">
        <h1 id="rules-title">{t('rulesTitle')}</h1>
        {info.data && <p class="muted">{t('rulesActive', { version: info.data.version.slice(0, 8), at: dateTime(info.data.loadedAt, lang) })}</p>}
        {info.data?.lastRefused && (
          <div class="notice" role="status">
            <p>{t('rulesLastRefused', { at: dateTime(info.data.lastRefused.at, lang) })}</p>
            <ul>
              {info.data.lastRefused.problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        <nav class="file-tabs" aria-label={t('rulesFiles')}>
          {FILES.map((f) => (
            <a
              key={f}
              href={`#/rules?file=${f}`}
              aria-current={f === file ? 'page' : undefined}
              onClick={(e) => (changed && !confirm(t('rulesDiscard')) ? e.preventDefault() : undefined)}
            >
              {f}
            </a>
          ))}
        </nav>
        <ErrorMessage error={current.error} />
        {current.data && <RulesEditor file={file} value={draft} onInput={onInput} check={check} checking={checking} />}
        <div class="rules-actions">
          <label for="rules-days">{t('rulesDays')}</label>
          <input
            id="rules-days"
            type="number"
            min={1}
            max={365}
            value={days}
            onInput={(e) => setDays(Math.max(1, Math.min(365, Number(e.currentTarget.value) || 30)))}
          />
          <button type="button" class="secondary" disabled={!valid || preview.busy} onClick={() => void preview.run()}>
            {t('rulesPreview')}
          </button>
          <label for="rules-reason">{t('rulesReason')}</label>
          <input id="rules-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder={t('rulesReasonHint')} />
          <button type="button" disabled={!valid || apply.busy} onClick={() => void apply.run()}>
            {t('rulesApply')}
          </button>
          {changed && (
            <button type="button" class="link-button" onClick={() => (setDraft(current.data!.content), setCheck(undefined), setJob(undefined))}>
              {t('rulesRevert')}
            </button>
          )}
        </div>
        <ErrorMessage error={preview.error} />
        <ErrorMessage error={apply.error} />
        <Done text={apply.done} />
      </section>
      {job && (
        <section class="card">
          <RulesPreview job={job} />
        </section>
      )}
      <section class="card">{versions.data && <RulesHistory versions={versions.data.items} currentSha={current.data?.sha256} rollback={rollback} />}</section>
    </div>
  );
}
