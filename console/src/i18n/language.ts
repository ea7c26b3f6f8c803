import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { DICTIONARIES, format, type Lang, type MessageKey, type Terms } from './dictionary.js';

const STORAGE_KEY = 'gw-console:lang';

/** The remembered choice, else the first of the browser's languages we have (Chinese or English). */
export function initialLanguage(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage blocked: fall through to the browser's languages */
  }
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    if (/^zh\b/i.test(tag)) return 'zh';
    if (/^en\b/i.test(tag)) return 'en';
  }
  return 'en';
}

export function rememberLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered, still switched */
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

export interface Translator {
  lang: Lang;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  terms: Terms;
  /** A term from one of the name tables, or the raw value when the table does not know it. */
  term: (table: keyof Terms, value: string | number | null | undefined) => string;
  setLang: (lang: Lang) => void;
}

export function translator(lang: Lang, setLang: (lang: Lang) => void): Translator {
  const { messages, terms } = DICTIONARIES[lang];
  return {
    lang,
    t: (key, values) => format(messages[key], values),
    terms,
    term: (table, value) => {
      if (value === null || value === undefined || value === '') return '';
      const names = terms[table] as Record<string, string>;
      return names[String(value)] ?? String(value);
    },
    setLang,
  };
}

export const LanguageContext = createContext<Translator>(translator('en', () => {}));

export function useT(): Translator {
  return useContext(LanguageContext);
}
