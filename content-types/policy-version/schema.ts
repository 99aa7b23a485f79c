import { hiddenFromBuilder } from '../shared';

/**
 * One version of one policy document (slug), one row per locale (Strapi's i18n localisation:
 * all locales of a version are one Strapi document, so they publish together).
 *
 * `publishedAt` is reserved by Strapi (it exists even with draft-and-publish off), so the
 * moment of our publication is stored as `releasedAt` / `releasedBy` and served under the
 * public names `publishedAt` / `publishedBy` (see README, "Names").
 */
export const policyVersionSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_policy_versions',
  info: {
    singularName: 'policy-version',
    pluralName: 'policy-versions',
    displayName: 'Policy version',
    description: 'A version of a policy document; frozen once published.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenFromBuilder, i18n: { localized: true } },
  attributes: {
    slug: {
      type: 'string',
      required: true,
      regex: '^[a-z0-9]+(?:-[a-z0-9]+)*$',
      maxLength: 64,
      pluginOptions: { i18n: { localized: false } },
    },
    version: { type: 'integer', min: 1, pluginOptions: { i18n: { localized: false } } },
    title: { type: 'string', required: true, maxLength: 300, pluginOptions: { i18n: { localized: true } } },
    summary: { type: 'text', pluginOptions: { i18n: { localized: true } } },
    sections: { type: 'json', pluginOptions: { i18n: { localized: true } } },
    materialChange: { type: 'boolean', default: false, pluginOptions: { i18n: { localized: false } } },
    effectiveAt: { type: 'datetime', pluginOptions: { i18n: { localized: false } } },
    releasedAt: { type: 'datetime', pluginOptions: { i18n: { localized: false } } },
    releasedBy: { type: 'string', maxLength: 255, pluginOptions: { i18n: { localized: false } } },
    hash: { type: 'string', maxLength: 64, pluginOptions: { i18n: { localized: false } } },
    lifecycle: {
      type: 'enumeration',
      enum: ['draft', 'published', 'withdrawn'],
      default: 'draft',
      required: true,
      pluginOptions: { i18n: { localized: false } },
    },
  },
  indexes: [
    { name: 'privacy_centre_policy_versions_lookup', columns: ['slug', 'lifecycle', 'effective_at'] },
    // Unique: two publications racing for the same number cannot both commit.
    { name: 'privacy_centre_policy_versions_version', columns: ['slug', 'version', 'locale'], type: 'unique' },
  ],
} as const;

export default policyVersionSchema;
