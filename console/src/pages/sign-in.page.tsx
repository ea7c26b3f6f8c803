import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Me } from '../api/types.js';
import { ErrorMessage } from '../components/error-message.js';
import { useT } from '../i18n/language.js';

/** Why a single sign-on came back refused (the server's words in `?sso_error=`), read once and taken off the address. */
function takeSsoError(): string | undefined {
  const params = new URLSearchParams(location.search);
  const message = params.get('sso_error');
  if (message === null) return undefined;
  params.delete('sso_error');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  return message.slice(0, 500);
}

/**
 * User name and password → POST /console/session; a wrong password or a lockout shows the
 * server's words. When the gateway has single sign-on (OIDC_ISSUER), a link leads there too.
 */
export function SignInPage({ notice, onSignedIn }: { notice?: string; onSignedIn: (me: Me) => void }) {
  const { t } = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(() => {
    const sso = takeSsoError();
    return sso === undefined ? undefined : new Error(sso);
  });
  const [sso, setSso] = useState(false);
  useEffect(() => {
    api.get<{ enabled: boolean }>('/console/sso', { expect401: true }).then(
      (r) => setSso(r.enabled === true),
      () => setSso(false),
    );
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError(new Error(t('signInNeeded')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const me = await api.post<Me>('/console/session', { username: username.trim(), password }, { expect401: true });
      setPassword('');
      onSignedIn(me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signInTitle')}</h1>
      {notice && !error && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <label for="sign-in-username">{t('username')}</label>
        <input
          id="sign-in-username"
          name="username"
          autocomplete="username"
          autoCapitalize="none"
          spellcheck={false}
          required
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
          autofocus
        />
        <label for="sign-in-password">{t('password')}</label>
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
      {sso && (
        <p class="sso">
          <a href="/console/sso/start" class="button-link">
            {t('signInSso')}
          </a>
        </p>
      )}
    </section>
  );
}
