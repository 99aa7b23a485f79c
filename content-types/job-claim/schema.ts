import { hiddenEverywhere } from '../shared';

/**
 * Who runs a plugin job now. Jobs run on every instance (Strapi's cron does not coordinate
 * them): an instance takes a job by moving `claimedUntil` forward with a conditional update,
 * which exactly one instance wins.
 */
export const jobClaimSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_job_claims',
  info: {
    singularName: 'job-claim',
    pluralName: 'job-claims',
    displayName: 'Job claim',
    description: 'Which instance runs a plugin job.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    job: { type: 'string', required: true, maxLength: 64 },
    // ISO 8601 UTC
    claimedUntil: { type: 'string', maxLength: 24 },
    claimedBy: { type: 'string', maxLength: 100 },
    lastRunAt: { type: 'string', maxLength: 24 },
    lastResult: { type: 'json' },
  },
  indexes: [{ name: 'privacy_centre_job_claims_job', columns: ['job'], type: 'unique' }],
} as const;

export default jobClaimSchema;
