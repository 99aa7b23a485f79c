import { PLUGIN_ID } from '../pluginId';

/**
 * Every message id of the plugin lives under `privacy-centre.` so it cannot clash with Strapi's
 * own ids or another plugin's. The JSON files hold the keys without the prefix; registerTrads
 * adds it (see prefixPluginTranslations).
 */
export const getTranslation = (id: string) => `${PLUGIN_ID}.${id}`;

/** A message descriptor for formatMessage: the plugin's id plus the English text as fallback. */
export const t = (id: string, defaultMessage: string) => ({ id: getTranslation(id), defaultMessage });

export const prefixPluginTranslations = (messages: Record<string, string>) =>
  Object.fromEntries(Object.entries(messages).map(([key, value]) => [getTranslation(key), value]));
