import * as React from 'react';

/**
 * The texts of a category or cookie being edited, per locale, and the one language shown. A
 * language whose fields are all empty is not a translation: it is left out of a new record,
 * and removed (null) from one that had it.
 */
export function useLocaleTexts<T extends { [K in keyof T]: string }>(initial: Record<string, T>, empty: T, startLocale: string) {
  const [texts, setTexts] = React.useState<Record<string, T>>(initial);
  const [locale, setLocale] = React.useState(startLocale);
  const current = texts[locale] ?? empty;
  const setCurrent = (patch: Partial<T>) => setTexts((all) => ({ ...all, [locale]: { ...(all[locale] ?? empty), ...patch } }));
  const isFilled = (text: T | undefined) => Boolean(text && (Object.values(text) as string[]).some((value) => value.trim() !== ''));
  const present = Object.keys(texts).filter((code) => isFilled(texts[code]));

  /** What the server takes: filled translations, and null for each one the record had that was emptied. */
  const payload = (had: string[]) => {
    const result: Record<string, T | null> = {};
    for (const [code, text] of Object.entries(texts)) {
      if (isFilled(text)) result[code] = Object.fromEntries((Object.entries(text) as Array<[string, string]>).map(([k, v]) => [k, v.trim()])) as T;
    }
    for (const code of had) if (!(code in result)) result[code] = null;
    return result;
  };

  return { texts, locale, setLocale, current, setCurrent, present, payload };
}
