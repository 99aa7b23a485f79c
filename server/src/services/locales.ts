import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';

export interface Locales {
  /** Every locale code configured in Strapi's i18n. */
  codes: string[];
  /** i18n's default locale: the fallback of every policy answer. */
  defaultLocale: string;
  /** When a locale was last added, changed or deleted, or the default changed (null: not since install). */
  changedAt: Date | null;
}

export const LOCALES_CHANGED_AT = 'locales-changed-at';

/**
 * Strapi's i18n locales, read on every public answer to resolve `?locale=` before the answer
 * cache is consulted; so they are kept for `cacheTtlSeconds`, and forgotten at once when a
 * locale is added, changed or deleted on this instance (register subscribes to that).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let memo: { value: Locales; until: number } | null = null;
  const ttlMs = () => (strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig).cacheTtlSeconds * 1000;

  return {
    async get(): Promise<Locales> {
      if (memo && memo.until > Date.now()) return memo.value;
      const i18n = strapi.plugin('i18n').service('locales');
      const list = (await i18n.find()) as Array<{ code: string }>;
      const changedAt = (await strapi.store({ type: 'plugin', name: 'privacy-centre' }).get({ key: LOCALES_CHANGED_AT })) as string | null;
      const value = {
        codes: list.map((l) => l.code),
        defaultLocale: ((await i18n.getDefaultLocale()) as string) || 'en',
        changedAt: changedAt ? new Date(changedAt) : null,
      };
      memo = { value, until: Date.now() + ttlMs() };
      return value;
    },

    forget() {
      memo = null;
    },

    /** Records, for every instance, that the answers resolved through i18n may have changed. */
    async changed() {
      memo = null;
      await strapi.store({ type: 'plugin', name: 'privacy-centre' }).set({ key: LOCALES_CHANGED_AT, value: new Date().toISOString() });
    },
  };
};
