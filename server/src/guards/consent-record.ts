import { consentRecordSchema } from '../../../content-types/consent-record/schema';
import type { Dialect, FrozenRowsRule } from '../db/frozen-rows';
import { KEPT_EVIDENCE, KEPT_MESSAGE } from '../subjects/erasure';
import type { FrozenRecordRule } from './frozen-records';

type Column = (name: string) => string;

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
    'declarationHash', 'jurisdiction', 'jurisdictionModel', 'ipPrefix', 'userAgent', 'sourceUrl', 'language', 'via', 'givenAt', 'expiresAt', 'signature', 'evidence',
    'acceptanceKey',
  ],
  isEmptySealedValue: (_field, value) => value === null || value === undefined,
  isFrozen: () => true,
  editable: { id: { $null: true } },
  fields: ['consentId'],
  frozenMessage: (row) => `Consent record ${row.consentId ?? ''} is proof of consent: it is never changed or deleted`,
  sealedFieldsMessage: () => 'Consent records are written only by the plugin',
};

/** What an erasure (services/subjects.ts eraseRows) blanks: the personal details around the proof. */
const ERASED_TO_NULL = ['ip_prefix', 'user_agent', 'source_url'];

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Every column of a consent record is evidence, kept for good: the schema's attributes (so one
 * added later is frozen too) and Strapi's own columns, but for the admin-user links Strapi may
 * clear when an admin is deleted (the plugin never sets them).
 */
export const CONSENT_RECORD_COLUMNS = [
  'id', 'document_id', 'locale', 'created_at', 'updated_at', 'published_at',
  ...Object.keys(consentRecordSchema.attributes).map(snakeCase),
];

/**
 * An erasure's evidence: the same values as before under KEPT_EVIDENCE and of the sent message's
 * id and hash, nothing else, stamped with `erasedAt` (kept once set), written by the statement
 * that blanks the record's personal details. Anything else would be a rewrite of the proof.
 */
const erasedEvidenceOnly = (old: Column, next: Column, sql: Dialect) => {
  const value = (row: Column, path: string[]) => sql.jsonValue(row('evidence'), path);
  const same = (path: string[]) => `NOT (${sql.distinct(value(old, path), value(next, path))})`;
  const message = [
    sql.jsonIsObject(old('evidence'), ['message']),
    sql.jsonObjectWithin(next('evidence'), ['message'], KEPT_MESSAGE),
    ...KEPT_MESSAGE.map((key) => same(['message', key])),
  ].join(' AND ');
  return [
    ...ERASED_TO_NULL.map((c) => `${next(c)} IS NULL`),
    sql.jsonObjectWithin(next('evidence'), [], [...KEPT_EVIDENCE, 'message']),
    `${value(next, ['erasedAt'])} IS NOT NULL`,
    `(${value(old, ['erasedAt'])} IS NULL OR ${same(['erasedAt'])})`,
    ...KEPT_EVIDENCE.filter((key) => key !== 'erasedAt').map((key) => same([key])),
    `(${value(next, ['message'])} IS NULL OR (${message}))`,
  ].join(' AND ');
};

/**
 * What the database keeps for good in a consent record: every column (who, what, when, how, and
 * the evidence of a double opt-in), but for what an erasure does: the IP prefix, user agent and
 * source may become NULL, and the evidence its erased form. Only what the retention purge
 * deletes may be deleted (a cookie consent `consentRecordDays` after it expired, less a day of
 * slack for clocks), so neither a SQL console nor `strapi import` / `strapi transfer` (which
 * delete every row with Strapi's lifecycles off) wipes the proof.
 */
export const consentRecordRows = (consentRecordDays: number): FrozenRowsRule => ({
  table: 'privacy_centre_consent_records',
  name: 'privacy_centre_consent_records_frozen',
  frozen: () => '1 = 1',
  complete: (row) => `${row('consent_id')} IS NOT NULL AND ${row('given_at')} IS NOT NULL`,
  columns: CONSENT_RECORD_COLUMNS,
  transitions: [
    ...ERASED_TO_NULL.map((column) => ({ column, allowed: (_old: Column, next: Column) => `${next(column)} IS NULL` })),
    { column: 'evidence', allowed: erasedEvidenceOnly },
  ],
  deletable: (old, daysAgo) =>
    `${old('kind')} IS NOT NULL AND ${old('kind')} = 'cookie' AND ${old('expires_at')} IS NOT NULL ` +
    `AND ${old('expires_at')} < ${daysAgo(consentRecordDays - 1)}`,
  message: 'privacy-centre: a consent record is proof of consent: never changed, deleted only by the retention purge',
});
