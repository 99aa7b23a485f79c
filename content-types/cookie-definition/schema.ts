import { hiddenEverywhere } from '../shared';

const shared = { pluginOptions: { i18n: { localized: false } } } as const;
const localized = { pluginOptions: { i18n: { localized: true } } } as const;

/**
 * A cookie or other storage a site uses, declared to visitors. One document per cookie; its
 * purpose and duration are i18n localisations. It names its category by key (not a relation:
 * a revision's snapshot and a consent state use keys too).
 */
export const cookieDefinitionSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_cookie_definitions',
  info: {
    singularName: 'cookie-definition',
    pluralName: 'cookie-definitions',
    displayName: 'Cookie definition',
    description: 'A cookie or other storage a site uses, declared to visitors.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere, i18n: { localized: true } },
  attributes: {
    // A name or a pattern such as `_ga_*`.
    name: { type: 'string', required: true, maxLength: 200, ...shared },
    category: { type: 'string', required: true, maxLength: 64, ...shared },
    provider: { type: 'string', maxLength: 200, ...shared },
    domain: { type: 'string', maxLength: 255, ...shared },
    storageType: {
      type: 'enumeration',
      enum: ['cookie', 'localStorage', 'sessionStorage', 'indexedDB', 'pixel'],
      default: 'cookie',
      ...shared,
    },
    thirdParty: { type: 'boolean', default: false, ...shared },
    service: { type: 'string', maxLength: 200, ...shared },
    position: { type: 'integer', default: 0, ...shared },
    purpose: { type: 'text', ...localized },
    duration: { type: 'string', maxLength: 100, ...localized },
  },
  indexes: [{ name: 'privacy_centre_cookie_definitions_category', columns: ['category'] }],
} as const;

export default cookieDefinitionSchema;
