import { hiddenFromBuilder } from '../shared';

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
  pluginOptions: { ...hiddenFromBuilder },
  attributes: {
    key: { type: 'string', required: true, unique: true, regex: '^[a-z][a-z0-9_-]*$', maxLength: 64 },
    name: { type: 'string', required: true, maxLength: 200 },
    description: { type: 'text' },
    // A required category (necessary cookies) is always granted and can never be refused.
    required: { type: 'boolean', default: false },
    position: { type: 'integer', default: 0 },
    definitions: {
      type: 'relation',
      relation: 'oneToMany',
      target: 'plugin::privacy-centre.cookie-definition',
      mappedBy: 'category',
    },
  },
} as const;

export default cookieCategorySchema;
