import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, whenSessionLost } from './api/client.js';
import type { Me } from './api/types.js';
import { ConsoleHeader } from './components/console-header.js';
import { ErrorMessage } from './components/error-message.js';
import { ShortcutsDialog } from './components/shortcuts-dialog.js';
import type { Lang } from './i18n/dictionary.js';
import { initialLanguage, LanguageContext, rememberLanguage, translator } from './i18n/language.js';
import { useShortcuts } from './keyboard/shortcuts.js';
import { FaqStatsPage } from './pages/faq-stats.page.js';
import { InboxPage } from './pages/inbox.page.js';
import { IncidentsPage } from './pages/incidents.page.js';
import { InsightsPage } from './pages/insights.page.js';
import { RulesPage } from './pages/rules.page.js';
import { SignInPage } from './pages/sign-in.page.js';
import { TicketPage } from './pages/ticket.page.js';
import { navigate, ticketIdOf, useRoute } from './routing/hash-route.js';

/**
 * The console: who is signed in, which language, which page. Without a session every route
 * shows the sign-in form, and the route is kept, so a shared ticket link opens after sign-in.
 */
export function App() {
  const [lang, setLangState] = useState<Lang>(initialLanguage);
  const tr = useMemo(
    () =>
      translator(lang, (next) => {
        rememberLanguage(next);
        setLangState(next);
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = tr.t('appName');
  }, [lang]);

  // undefined: still asking the server who we are; null: nobody signed in.
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  // Why the sign-in form is shown again: signed out here, or the server ended the session (its words).
  const [notice, setNotice] = useState<{ kind: 'signedOut' } | { kind: 'sessionLost'; detail: string } | undefined>(undefined);
  const [bootError, setBootError] = useState<unknown>(undefined);
  const [helpOpen, setHelpOpen] = useState(false);
  const route = useRoute();

  useEffect(() => {
    whenSessionLost((detail) => {
      setCsrfToken(undefined);
      setMe(null);
      setNotice({ kind: 'sessionLost', detail });
    });
    api.get<Me>('/api/v1/me', { expect401: true }).then(
      (who) => {
        setCsrfToken(who.csrfToken);
        setMe(who);
      },
      (err) => {
        setMe(null);
        if (!(err instanceof ApiError && err.status === 401)) setBootError(err);
      },
    );
  }, []);

  useShortcuts({ '?': () => setHelpOpen(true) }, Boolean(me));

  const signedIn = (who: Me) => {
    setCsrfToken(who.csrfToken);
    setNotice(undefined);
    setBootError(undefined);
    setMe(who);
    if (!location.hash || location.hash === '#/' || location.hash.startsWith('#/sign-in')) navigate('/inbox', { replace: true });
  };

  const signOut = async () => {
    try {
      await api.del('/console/session', { expect401: true });
    } finally {
      setCsrfToken(undefined);
      setMe(null);
      setNotice({ kind: 'signedOut' });
    }
  };

  let page;
  if (me === undefined)
    page = (
      <p class="loading" role="status">
        {tr.t('loading')}
      </p>
    );
  else if (me === null)
    page = (
      <>
        <ErrorMessage error={bootError} />
        <SignInPage
          notice={notice?.kind === 'signedOut' ? tr.t('signedOut') : notice?.kind === 'sessionLost' ? `${tr.t('sessionLost')} ${notice.detail}` : undefined}
          onSignedIn={signedIn}
        />
      </>
    );
  else {
    const ticketId = ticketIdOf(route);
    if (ticketId) page = <TicketPage key={ticketId} id={ticketId} me={me} />;
    else if (route.path === '/faq-stats') page = <FaqStatsPage />;
    else if (route.path === '/rules') page = <RulesPage route={route} />;
    else if (route.path === '/insights') page = <InsightsPage route={route} />;
    else if (route.path === '/incidents') page = <IncidentsPage me={me} route={route} />;
    else page = <InboxPage me={me} route={route} />;
  }

  return (
    <LanguageContext.Provider value={tr}>
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {tr.t('skipToContent')}
      </a>
      <ConsoleHeader me={me ?? undefined} route={route} onSignOut={signOut} onHelp={() => setHelpOpen(true)} />
      <main id="main" tabIndex={-1} class={me ? 'console-main' : 'console-main console-main-narrow'}>
        {page}
      </main>
      {helpOpen && <ShortcutsDialog onClose={() => setHelpOpen(false)} />}
    </LanguageContext.Provider>
  );
}
