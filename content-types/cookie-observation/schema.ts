import { hiddenEverywhere } from '../shared';

/**
 * What cookie discovery keeps: counters, never a visit. One row per (UTC day, name, storage,
 * phase, refused), written by services/discovery.ts as upserts that add to `count`. Nothing
 * personal: no IP, user agent, value or subject id. The row whose name is '' and storage
 * `overflow` counts, per day, the names past `discovery.maxNamesPerDay` (a flood).
 * `key` is the hash of the other key columns: one short unique index whatever the database's
 * collation (MySQL's default would merge `_GA` into `_ga`). Purged after `discovery.retentionDays`.
 */
export const cookieObservationSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_cookie_observations',
  info: {
    singularName: 'cookie-observation',
    pluralName: 'cookie-observations',
    displayName: 'Cookie observation',
    description: 'Daily counters of the cookie and storage names browsers report.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    key: { type: 'string', required: true, maxLength: 64 },
    // UTC day, YYYY-MM-DD
    day: { type: 'string', required: true, maxLength: 10 },
    name: { type: 'string', maxLength: 128 },
    storage: { type: 'string', required: true, maxLength: 16 },
    // before-consent | after-consent
    phase: { type: 'string', required: true, maxLength: 16 },
    // The name's declared category was refused by the visitor at that moment.
    refused: { type: 'boolean', default: false },
    count: { type: 'integer', required: true, default: 0 },
    // ISO 8601 UTC, compared as text
    firstSeenAt: { type: 'string', maxLength: 24 },
    lastSeenAt: { type: 'string', maxLength: 24 },
    // At most 5 distinct page paths where the name was seen.
    paths: { type: 'json' },
  },
  indexes: [
    { name: 'privacy_centre_cookie_observations_key', columns: ['key'], type: 'unique' },
    { name: 'privacy_centre_cookie_observations_day', columns: ['day'] },
  ],
} as const;

export default cookieObservationSchema;
