import { isLead } from '../api/roles.js';
import type { Me } from '../api/types.js';
import { useT } from '../i18n/language.js';
import type { Route } from '../routing/hash-route.js';

/** The bar on every page: sections, who is signed in, the language switch, shortcuts, sign-out. */
export function ConsoleHeader({ me, route, onSignOut, onHelp }: { me?: Me; route: Route; onSignOut: () => void; onHelp: () => void }) {
  const { t, term, lang, setLang } = useT();
  const other = lang === 'zh' ? 'en' : 'zh';
  const current = (path: string) => (route.path === path || (path === '/inbox' && route.path.startsWith('/tickets')) ? 'page' : undefined);
  return (
    <header class="console-header">
      <span class="brand">{t('appName')}</span>
      {me && (
        <nav aria-label={t('mainNav')} class="main-nav">
          <a href="#/inbox" aria-current={current('/inbox')}>
            {t('navInbox')}
          </a>
          <a href="#/incidents" aria-current={current('/incidents')}>
            {t('navIncidents')}
          </a>
          {isLead(me) && (
            <a href="#/faq-stats" aria-current={current('/faq-stats')}>
              {t('navFaqStats')}
            </a>
          )}
          {isLead(me) && (
            <a href="#/insights" aria-current={current('/insights')}>
              {t('navInsights')}
            </a>
          )}
          {isLead(me) && (
            <a href="#/rules" aria-current={current('/rules')}>
              {t('navRules')}
            </a>
          )}
        </nav>
      )}
      <div class="header-tools">
        {me && <span class="who">{t('signedInAs', { name: me.displayName || me.name, role: term('role', me.role) })}</span>}
        <button type="button" class="link-button" onClick={() => setLang(other)}>
          <span class="visually-hidden">{t('switchLanguageLabel')} </span>
          <span lang={other === 'zh' ? 'zh-CN' : 'en'}>{t('switchLanguage')}</span>
        </button>
        {me && (
          <>
            <button type="button" class="link-button" aria-label={t('shortcutsButton')} title={t('shortcutsButton')} onClick={onHelp}>
              ?
            </button>
            <button type="button" class="secondary" onClick={onSignOut}>
              {t('signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}
