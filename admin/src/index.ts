import { Shield } from '@strapi/icons';

import { READ_PERMISSIONS } from './permissions';
import { PLUGIN_ID } from './pluginId';
import { getTranslation, prefixPluginTranslations } from './utils/getTranslation';

/** Locales the plugin ships texts for; any other admin language falls back to English. */
const LOCALES = ['en', 'fi', 'et', 'de'] as const;

const loadTranslations = (locale: string): Promise<Record<string, string>> => {
  // One static import per file: the bundler splits them into chunks loaded on demand.
  switch (locale) {
    case 'fi':
      return import('./translations/fi.json').then((mod) => mod.default);
    case 'et':
      return import('./translations/et.json').then((mod) => mod.default);
    case 'de':
      return import('./translations/de.json').then((mod) => mod.default);
    case 'en':
      return import('./translations/en.json').then((mod) => mod.default);
    default:
      return Promise.resolve({});
  }
};

export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Privacy Centre' });

    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Shield,
      intlLabel: { id: getTranslation('plugin.name'), defaultMessage: 'Privacy Centre' },
      // The admin shows a menu link when the user holds ANY of its permissions: here, any
      // area's read action. Users without one never see the entry.
      permissions: READ_PERMISSIONS,
      Component: () => import('./pages/App'),
    });
  },

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        const known = (LOCALES as readonly string[]).includes(locale);
        const data = known ? await loadTranslations(locale).catch(() => ({})) : {};
        return { data: prefixPluginTranslations(data), locale };
      })
    );
  },
};
