import { hiddenEverywhere } from '../shared';

const shared = { pluginOptions: { i18n: { localized: false } } } as const;
const localized = { pluginOptions: { i18n: { localized: true } } } as const;

/**
 * A purpose visitors consent to (necessary, preferences, statistics, marketing, or the site's
 * own). One document per category; its name and description are i18n localisations. Managed on
 * the admin's Cookies page (the Content Manager would bypass its checks), published as part of a
 * cookie-declaration revision.
 */
export const cookieCategorySchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_cookie_categories',
  info: {
    singularName: 'cookie-category',
    pluralName: 'cookie-categories',
    displayName: 'Cookie category',
    description: 'A purpose visitors consent to (necessary, preferences, statistics, marketing, …).',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere, i18n: { localized: true } },
  attributes: {
    // What frontends and consent states name the category by (cookieconsent's category name).
    key: { type: 'string', required: true, regex: '^[a-z][a-z0-9_-]{0,63}$', maxLength: 64, ...shared },
    name: { type: 'string', required: true, maxLength: 200, ...localized },
    description: { type: 'text', ...localized },
    // A required category (necessary cookies) is always granted and can never be refused.
    required: { type: 'boolean', default: false, ...shared },
    position: { type: 'integer', default: 0, ...shared },
    // Google Consent Mode v2 signals this category grants (a list of signal names).
    consentMode: { type: 'json', ...shared },
    // Whether a Global Privacy Control signal (Sec-GPC: 1) refuses it.
    refusedUnderGpc: { type: 'boolean', default: false, ...shared },
    // The c15t consent type this category stands for (c15t's backend routes); empty: the default
    // for its key (server/src/c15t/consent-types.ts).
    c15tType: { type: 'enumeration', enum: ['necessary', 'functionality', 'measurement', 'experience', 'marketing'], ...shared },
    // Whether the category sells or shares personal information under the US opt-out laws
    // ("Do Not Sell or Share"): an opt-out, or GPC in an opt-out jurisdiction, refuses it. Empty:
    // the default, true for the categories of c15t type marketing (server/src/regions).
    saleShare: { type: 'boolean', ...shared },
  },
  indexes: [{ name: 'privacy_centre_cookie_categories_key', columns: ['key', 'locale'], type: 'unique' }],
} as const;

export default cookieCategorySchema;
