import { hiddenEverywhere } from '../shared';

/**
 * The register of data-subject requests (GDPR Art. 15–21): what was asked, by whom, when it is
 * due (Art. 12(3): one month, extendable by two more with a reason), how identity was verified,
 * and what was done. Changed only through the plugin's service, which audits every change.
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
    description: 'A request of access, portability, erasure, rectification or objection.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    type: { type: 'enumeration', enum: ['access', 'portability', 'erasure', 'rectification', 'objection'], required: true },
    email: { type: 'string', maxLength: 254 },
    emailHash: { type: 'string', maxLength: 64 },
    subjectId: { type: 'string', maxLength: 64 },
    origin: { type: 'enumeration', enum: ['admin', 'self-service'], required: true, default: 'admin' },
    language: { type: 'string', maxLength: 35 },
    // ISO 8601 UTC, like the plugin's other instants.
    receivedAt: { type: 'string', required: true, maxLength: 24 },
    dueAt: { type: 'string', required: true, maxLength: 24 },
    extendedAt: { type: 'string', maxLength: 24 },
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
