import { hiddenEverywhere } from '../shared';

/**
 * Append-only proof of one consent event (GDPR Art. 7(1)). Never updated; deleted only by
 * the retention purge or an erasure request.
 */
export const consentRecordSchema = {
  kind: 'collectionType',
  collectionName: 'privacy_centre_consent_records',
  info: {
    singularName: 'consent-record',
    pluralName: 'consent-records',
    displayName: 'Consent record',
    description: 'Append-only proof of a consent event.',
  },
  options: { draftAndPublish: false },
  pluginOptions: { ...hiddenEverywhere },
  attributes: {
    consentId: { type: 'string', required: true, maxLength: 64 },
    kind: { type: 'enumeration', enum: ['cookie', 'newsletter', 'policy'], required: true },
    action: {
      type: 'enumeration',
      enum: ['given', 'updated', 'withdrawn', 'confirmed', 'expired'],
      required: true,
    },
    // category key -> granted
    state: { type: 'json' },
    policySlug: { type: 'string', maxLength: 64 },
    policyVersion: { type: 'integer' },
    policyHash: { type: 'string', maxLength: 64 },
    declarationRevision: { type: 'integer' },
    declarationHash: { type: 'string', maxLength: 64 },
    // Pseudonymous: an HMAC of the e-mail address or a visitor id, never the raw value.
    subjectRef: { type: 'string', maxLength: 64 },
    // Truncated (IPv4 /24, IPv6 /48 by default): the raw address is never stored.
    ipPrefix: { type: 'string', maxLength: 64 },
    userAgent: { type: 'string', maxLength: 512 },
    sourceUrl: { type: 'string', maxLength: 2048 },
    language: { type: 'string', maxLength: 16 },
    givenAt: { type: 'datetime', required: true },
    expiresAt: { type: 'datetime' },
    signature: { type: 'string', maxLength: 128 },
  },
  indexes: [
    { name: 'privacy_centre_consent_records_consent_id', columns: ['consent_id'], type: 'unique' },
    { name: 'privacy_centre_consent_records_given_at', columns: ['given_at'] },
    { name: 'privacy_centre_consent_records_subject', columns: ['subject_ref'] },
    { name: 'privacy_centre_consent_records_expires_at', columns: ['expires_at'] },
  ],
} as const;

export default consentRecordSchema;
