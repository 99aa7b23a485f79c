/**
 * The text of a record in `locale`, else in the default locale, else in any locale it has; with
 * whether it is a fallback (the page then says the translation is missing rather than pass the
 * default language off as the one asked for).
 */
export function localised<T>(locales: Record<string, T>, locale: string, defaultLocale: string): { text: T | null; fallback: boolean } {
  if (locales[locale]) return { text: locales[locale], fallback: false };
  const code = locales[defaultLocale] ? defaultLocale : Object.keys(locales)[0];
  return code ? { text: locales[code], fallback: true } : { text: null, fallback: true };
}
