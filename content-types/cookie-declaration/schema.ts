import { hiddenEverywhere } from '../shared';

/**
 * A published revision of the cookie declaration: every category and cookie in every locale,
 * frozen at publication like a policy version (sealed by `hash` and `signature`; the guard and
 * the database refuse any change). A newer revision makes consents to older ones stale.
 */
export const cookieDeclarationSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_cookie_declarations',
  info: {
    singularName: 'cookie-declaration',
    pluralName: 'cookie-declarations',
    displayName: 'Cookie declaration',
    description: 'A published revision of the cookie declaration; frozen.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    revision: { type: 'integer', required: true, min: 1 },
    snapshot: { type: 'json', required: true },
    // SHA-256 of the canonical JSON of {revision, publishedAt, snapshot}.
    hash: { type: 'string', required: true, maxLength: 64 },
    // HMAC of the hash with the plugin's secret.
    signature: { type: 'string', maxLength: 128 },
    // ISO 8601 UTC, as policy versions store their instants (see policy-version).
    releasedAt: { type: 'string', required: true, maxLength: 24 },
    releasedBy: { type: 'string', maxLength: 255 },
  },
  indexes: [{ name: 'privacy_centre_cookie_declarations_revision', columns: ['revision'], type: 'unique' }],
} as const;

export default cookieDeclarationSchema;
