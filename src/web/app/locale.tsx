/** The language (nl/en) and the formatters of the user's locale, for every component. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { initialLang, translate, type Key, type Lang } from '../i18n.ts';
import { localeFor, makeFormatter, type Formatter } from '../format.ts';

type LocaleValue = { lang: Lang; setLang: (l: Lang) => void; t: (key: Key, vars?: Record<string, string | number>) => string; f: Formatter };

const Ctx = createContext<LocaleValue | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try { localStorage.setItem('vorder.lang', l); } catch { /* private mode */ }
  }, []);
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  const value = useMemo<LocaleValue>(() => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars), f: makeFormatter(localeFor(lang)) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useLocale(): LocaleValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useLocale outside LocaleProvider');
  return v;
}
