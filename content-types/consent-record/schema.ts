import { hiddenEverywhere } from '../shared';

/**
 * Append-only proof of one consent event (GDPR Art. 7(1)): who (pseudonymous), when, what they
 * were shown, how, and what they chose. Written only by the plugin (cookie consents in batches,
 * see services/consent-writer); never updated; deleted only by the retention purge or an erasure.
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
      enum: ['given', 'updated', 'withdrawn', 'confirmed', 'expired', 'requested'],
      required: true,
    },
    // The random id the visitor's browser keeps (cookie consents): it links a visitor's decisions.
    subjectId: { type: 'string', maxLength: 64 },
    // Pseudonymous: an HMAC of an e-mail address (newsletter events), never the address.
    subjectRef: { type: 'string', maxLength: 64 },
    previousConsentId: { type: 'string', maxLength: 64 },
    // The subjectId, on the first record of a chain whose subject id the browser chose (c15t),
    // else null: unique, so that two first saves of one subject at the same moment cannot start
    // two chains (the loser continues the winner's record instead).
    chainRoot: { type: 'string', maxLength: 64 },
    // A client's retry key, unique per subjectId, and a digest of what it sent with it.
    requestId: { type: 'string', maxLength: 64 },
    requestHash: { type: 'string', maxLength: 64 },
    // category key -> granted
    state: { type: 'json' },
    consentMode: { type: 'json' },
    gpc: { type: 'boolean', default: false },
    // The categories a Global Privacy Control signal refused.
    gpcRefused: { type: 'json' },
    // The granted and refused category keys as `,a,b,` ('_' written '.'), for the log's filters.
    grantedList: { type: 'text' },
    refusedList: { type: 'text' },
    policySlug: { type: 'string', maxLength: 64 },
    policyVersion: { type: 'integer' },
    policyHash: { type: 'string', maxLength: 64 },
    declarationRevision: { type: 'integer' },
    declarationHash: { type: 'string', maxLength: 64 },
    // The jurisdiction the request was resolved to (server/src/regions) and its model, signed in
    // the receipt; null on records from before regions (and on newsletter and policy events).
    jurisdiction: { type: 'string', maxLength: 16 },
    jurisdictionModel: { type: 'string', maxLength: 16 },
    // Truncated (IPv4 /24, IPv6 /48 by default): the raw address is never stored.
    ipPrefix: { type: 'string', maxLength: 64 },
    userAgent: { type: 'string', maxLength: 255 },
    sourceUrl: { type: 'text' },
    language: { type: 'string', maxLength: 35 },
    // How the frontend sent it: the plugin's own shape, cookieconsent v3's or c15t's; or the
    // "Do Not Sell or Share" page's opt-out.
    via: { type: 'enumeration', enum: ['plugin', 'cookieconsent', 'c15t', 'newsletter', 'admin', 'do-not-sell'] },
    // ISO 8601 UTC strings, signed in the receipt: datetime columns would drift with each
    // server's time zone (see policy-version).
    givenAt: { type: 'string', required: true, maxLength: 24 },
    expiresAt: { type: 'string', maxLength: 24 },
    signature: { type: 'string', maxLength: 128 },
    // A policy acceptance's (user, slug, version) as one digest, unique: accepting the same version
    // twice at once (two tabs, two instances) leaves one record; null on every other record.
    acceptanceKey: { type: 'string', maxLength: 64 },
    // Anything an event needs besides (newsletter evidence: the message as sent, …).
    evidence: { type: 'json' },
  },
  indexes: [
    { name: 'privacy_centre_consent_records_consent_id', columns: ['consent_id'], type: 'unique' },
    // Also serves lookups by subject_id alone (its leading column): a second index on it would
    // only make every insert dearer.
    { name: 'privacy_centre_consent_records_request', columns: ['subject_id', 'request_id'], type: 'unique' },
    // The consent log's order and keyset (kind = cookie, newest first, ties by id), its time
    // range, and every other list of one kind by time (acceptances, newsletter events). It
    // replaced an index on given_at alone, which left the kind to be read from each row.
    { name: 'privacy_centre_consent_records_log', columns: ['kind', 'given_at', 'id'] },
    // The log filtered by action (a withdrawn decision is rare: without it, a page of them would
    // read every record of the time range).
    { name: 'privacy_centre_consent_records_log_action', columns: ['kind', 'action', 'given_at', 'id'] },
    { name: 'privacy_centre_consent_records_subject_ref', columns: ['subject_ref'] },
    // A consent is continued (updated or withdrawn) once: a chain never forks, whatever races.
    { name: 'privacy_centre_consent_records_previous', columns: ['previous_consent_id'], type: 'unique' },
    // A c15t subject's decisions form one chain: one first record per subjectId (NULLs repeat freely).
    { name: 'privacy_centre_consent_records_chain_root', columns: ['chain_root'], type: 'unique' },
    // The retention purge's batches: a range of expired cookie consents, read and deleted on the
    // index alone. On expires_at alone, SQLite chose the kind index instead and sorted the table
    // for every batch (bench/consent-scale-pg.js: 2,185 rows/s, recording blocked meanwhile).
    { name: 'privacy_centre_consent_records_expiry', columns: ['kind', 'expires_at'] },
    { name: 'privacy_centre_consent_records_acceptance', columns: ['acceptance_key'], type: 'unique' },
  ],
} as const;

export default consentRecordSchema;
