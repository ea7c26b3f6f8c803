import { ApiError } from '../api/client.js';
import { useT } from '../i18n/language.js';

/** Turns any failure into words for the agent: the server's own message, or "the gateway could not be reached". */
export function describeError(error: unknown, t: ReturnType<typeof useT>['t']): string {
  if (error instanceof ApiError) return error.status === 0 ? t('networkError') : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The answer of a failed action, shown next to it (role=alert so a screen reader says it at once). */
export function ErrorMessage({ error, id }: { error: unknown; id?: string }) {
  const { t } = useT();
  if (!error) return null;
  return (
    <p class="error" role="alert" id={id}>
      <strong>{t('errorPrefix')}</strong> {describeError(error, t)}
    </p>
  );
}

/** A quiet confirmation after an action that worked. */
export function Done({ text }: { text?: string | null }) {
  if (!text) return null;
  return (
    <p class="done" role="status">
      {text}
    </p>
  );
}
