import { hiddenFromBuilder } from '../shared';

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
  pluginOptions: { ...hiddenFromBuilder },
  attributes: {
    // A name or a pattern such as `_ga_*`.
    name: { type: 'string', required: true, maxLength: 200 },
    provider: { type: 'string', maxLength: 200 },
    domain: { type: 'string', maxLength: 255 },
    category: {
      type: 'relation',
      relation: 'manyToOne',
      target: 'plugin::privacy-centre.cookie-category',
      inversedBy: 'definitions',
    },
    purpose: { type: 'text' },
    duration: { type: 'string', maxLength: 100 },
    storageType: {
      type: 'enumeration',
      enum: ['cookie', 'localStorage', 'sessionStorage', 'pixel', 'indexedDB'],
      default: 'cookie',
    },
    thirdParty: { type: 'boolean', default: false },
    service: { type: 'string', maxLength: 200 },
  },
} as const;

export default cookieDefinitionSchema;
