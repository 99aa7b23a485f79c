import { hiddenEverywhere } from '../shared';

/**
 * Daily counters of consent decisions, updated in the same transaction as the records they
 * count, so that the overview costs O(days), not O(records). Anonymous: kept when records are
 * purged. Metrics: `total`, `accepted-all`, `refused-all`, `chose`, `granted:<category>`,
 * `refused:<category>`.
 */
export const consentRollupSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_consent_rollups',
  info: {
    singularName: 'consent-rollup',
    pluralName: 'consent-rollups',
    displayName: 'Consent rollup',
    description: 'Daily counters of consent decisions.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    // UTC day, YYYY-MM-DD
    day: { type: 'string', required: true, maxLength: 10 },
    metric: { type: 'string', required: true, maxLength: 100 },
    count: { type: 'integer', required: true, default: 0 },
  },
  indexes: [{ name: 'privacy_centre_consent_rollups_day_metric', columns: ['day', 'metric'], type: 'unique' }],
} as const;

export default consentRollupSchema;
