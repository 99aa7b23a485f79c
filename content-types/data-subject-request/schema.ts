import { hiddenEverywhere } from '../shared';

/**
 * The register of data-subject requests (GDPR Art. 15–21, the CCPA's opt-out of sale or sharing
 * and limit of sensitive information): what was asked, by whom, under which jurisdiction, when
 * it must be acknowledged and answered (that jurisdiction's clock: config `subjects.deadlines`),
 * how identity was verified, and what was done. Changed only through the plugin's service, which
 * audits every change. A row without `jurisdiction` is from before jurisdictions: GDPR.
 *
 * After an erasure the address goes (`email` null); `emailHash`, the keyed hash the newsletter
 * uses too, stays so the request still belongs to the same pseudonymous person.
 */
export const dataSubjectRequestSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_data_subject_requests',
  info: {
    singularName: 'data-subject-request',
    pluralName: 'data-subject-requests',
    displayName: 'Data-subject request',
    description: 'A request of access, portability, erasure, rectification, objection, opt-out of sale or sharing, or limit of sensitive information.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    type: {
      type: 'enumeration',
      enum: ['access', 'portability', 'erasure', 'rectification', 'objection', 'opt-out-sale-share', 'limit-sensitive'],
      required: true,
    },
    // A code of server/src/regions (GDPR, CCPA, …): whose clock the request runs on.
    jurisdiction: { type: 'string', maxLength: 16 },
    email: { type: 'string', maxLength: 254 },
    emailHash: { type: 'string', maxLength: 64 },
    subjectId: { type: 'string', maxLength: 64 },
    // Who registered it: an administrator, the person by the e-mailed link, or the "Do Not Sell
    // or Share" page (an opt-out, which needs no identity verification).
    origin: { type: 'enumeration', enum: ['admin', 'self-service', 'do-not-sell'], required: true, default: 'admin' },
    language: { type: 'string', maxLength: 35 },
    // ISO 8601 UTC, like the plugin's other instants.
    receivedAt: { type: 'string', required: true, maxLength: 24 },
    dueAt: { type: 'string', required: true, maxLength: 24 },
    // Where the jurisdiction asks for a confirmation of receipt (CCPA: 10 business days).
    acknowledgeBy: { type: 'string', maxLength: 24 },
    acknowledgedAt: { type: 'string', maxLength: 24 },
    extendedAt: { type: 'string', maxLength: 24 },
    // Extension steps taken (a month under GDPR, 45 days under the CCPA); null on older rows.
    extensions: { type: 'integer' },
    extensionReason: { type: 'text' },
    status: {
      type: 'enumeration',
      enum: ['received', 'verified', 'in-progress', 'completed', 'refused'],
      required: true,
      default: 'received',
    },
    refusalReason: { type: 'text' },
    verification: { type: 'string', maxLength: 255 },
    handledBy: { type: 'string', maxLength: 255 },
    awaitingApproval: { type: 'boolean', default: false },
    completedAt: { type: 'string', maxLength: 24 },
    actions: { type: 'json' },
  },
  indexes: [
    { name: 'privacy_centre_dsr_status_due', columns: ['status', 'due_at'] },
    { name: 'privacy_centre_dsr_email_hash', columns: ['email_hash'] },
    { name: 'privacy_centre_dsr_subject', columns: ['subject_id'] },
  ],
} as const;

export default dataSubjectRequestSchema;
