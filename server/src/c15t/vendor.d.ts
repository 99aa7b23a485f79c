// @c15t/translations ships its types under an `exports` subpath, which this project's
// moduleResolution (node10) cannot see: the one export used, as it is.
declare module '@c15t/translations/all' {
  export const baseTranslations: Record<string, Record<string, unknown>> & { en: Record<string, unknown> };
}
