import type { FrozenRowsRule } from '../db/frozen-rows';
import type { FrozenRecordRule } from './frozen-records';

export const CONSENT_UID = 'plugin::privacy-centre.consent-record';

/**
 * Consent records are append-only proof: the plugin writes them itself (below Strapi's
 * lifecycles, in batches), and nothing else creates, changes or deletes one through Strapi. The
 * retention purge and an erasure run in the sealing context.
 */
export const consentRecordRule: FrozenRecordRule = {
  uid: CONSENT_UID,
  sealedFields: [
    'consentId', 'kind', 'action', 'subjectId', 'subjectRef', 'previousConsentId', 'requestId', 'requestHash', 'state', 'grantedList', 'refusedList',
    'consentMode', 'gpc', 'gpcRefused', 'policySlug', 'policyVersion', 'policyHash', 'declarationRevision',
    'declarationHash', 'ipPrefix', 'userAgent', 'sourceUrl', 'language', 'via', 'givenAt', 'expiresAt', 'signature', 'evidence',
  ],
  isEmptySealedValue: (_field, value) => value === null || value === undefined,
  isFrozen: () => true,
  editable: { id: { $null: true } },
  fields: ['consentId'],
  frozenMessage: (row) => `Consent record ${row.consentId ?? ''} is proof of consent: it is never changed or deleted`,
  sealedFieldsMessage: () => 'Consent records are written only by the plugin',
};

/**
 * What the database keeps for good in a consent record: the decision and its seal. The personal
 * details around it (IP prefix, user agent, source, language, evidence) may still be erased.
 * Only what the retention purge deletes may be deleted (a cookie consent `consentRecordDays`
 * after it expired, less a day of slack for clocks), so neither a SQL console nor `strapi import`
 * / `strapi transfer` (which delete every row with Strapi's lifecycles off) wipes the proof.
 */
export const consentRecordRows = (consentRecordDays: number): FrozenRowsRule => ({
  table: 'privacy_centre_consent_records',
  name: 'privacy_centre_consent_records_frozen',
  frozen: () => '1 = 1',
  complete: (row) => `${row('consent_id')} IS NOT NULL AND ${row('given_at')} IS NOT NULL`,
  columns: [
    'document_id', 'consent_id', 'kind', 'action', 'subject_id', 'previous_consent_id', 'request_id', 'request_hash',
    'state', 'granted_list', 'refused_list', 'consent_mode', 'gpc', 'gpc_refused', 'policy_slug', 'policy_version', 'policy_hash', 'declaration_revision',
    'declaration_hash', 'via', 'given_at', 'expires_at', 'signature',
  ],
  deletable: (old, daysAgo) =>
    `${old('kind')} IS NOT NULL AND ${old('kind')} = 'cookie' AND ${old('expires_at')} IS NOT NULL ` +
    `AND ${old('expires_at')} < ${daysAgo(consentRecordDays - 1)}`,
  message: 'privacy-centre: a consent record is proof of consent: never changed, deleted only by the retention purge',
});
