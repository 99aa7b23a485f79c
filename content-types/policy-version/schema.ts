import { SLUG_MAX_LENGTH, SLUG_PATTERN } from '../../server/src/policy/patterns';
import { hiddenFromBuilder } from '../shared';

/**
 * Set only by the plugin's publication path (the frozen-record guard refuses them anywhere
 * else), so the Content Manager neither shows them as inputs (`visible: false`) nor sends them
 * (`writable: false`).
 */
const sealed = { visible: false, writable: false, pluginOptions: { i18n: { localized: false } } } as const;

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
      regex: SLUG_PATTERN.source,
      maxLength: SLUG_MAX_LENGTH,
      pluginOptions: { i18n: { localized: false } },
    },
    title: { type: 'string', required: true, maxLength: 255, pluginOptions: { i18n: { localized: true } } },
    summary: { type: 'text', pluginOptions: { i18n: { localized: true } } },
    sections: { type: 'json', pluginOptions: { i18n: { localized: true } } },
    materialChange: { type: 'boolean', default: false, pluginOptions: { i18n: { localized: false } } },
    version: { type: 'integer', min: 1, ...sealed },
    /**
     * Instants as ISO 8601 UTC strings (`2027-01-01T00:00:00.000Z`), not `datetime`: PostgreSQL
     * and MySQL datetime columns here carry no time zone, so their drivers write and read them
     * in each server's local time (an hour is lost in a DST change, and instances in other zones
     * read other instants). A fixed-width UTC string is what was sealed, sorts in time order,
     * and reads the same everywhere.
     */
    effectiveAt: { type: 'string', maxLength: 24, ...sealed },
    releasedAt: { type: 'string', maxLength: 24, ...sealed },
    releasedBy: { type: 'string', maxLength: 255, ...sealed },
    hash: { type: 'string', maxLength: 64, ...sealed },
    /** HMAC of the hash with the plugin's secret: a hash recomputed by whoever altered the content does not match it. */
    signature: { type: 'string', maxLength: 128, ...sealed },
    /** The controller identity shown with the version, sealed into its hash at publication. */
    controller: { type: 'json', ...sealed },
    lifecycle: {
      type: 'enumeration',
      enum: ['draft', 'published', 'withdrawn'],
      default: 'draft',
      required: true,
      ...sealed,
    },
    /**
     * The slug while the row is a draft, null once published: unique per locale, so the
     * database itself keeps one draft per slug even when two requests race (MySQL has no
     * partial unique index, and NULLs never collide in a unique index).
     */
    draftKey: { type: 'string', maxLength: SLUG_MAX_LENGTH, ...sealed },
  },
  indexes: [
    { name: 'privacy_centre_policy_versions_lookup', columns: ['slug', 'lifecycle', 'effective_at'] },
    // Unique: two publications racing for the same number cannot both commit.
    { name: 'privacy_centre_policy_versions_version', columns: ['slug', 'version', 'locale'], type: 'unique' },
    { name: 'privacy_centre_policy_versions_one_draft', columns: ['draft_key', 'locale'], type: 'unique' },
  ],
} as const;

export default policyVersionSchema;
