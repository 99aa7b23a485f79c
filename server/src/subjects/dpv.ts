// Consent records as ISO/IEC TS 27560 records, expressed with the W3C Data Privacy Vocabulary
// (DPV) in JSON-LD: one `dpv:ConsentRecord` per record, with its notice (the policy version and
// declaration revision shown), purposes (the categories or the list), status and times. Pure.
//
// The context is inline (no remote fetch), so the document expands the same offline, today and
// in ten years.

type Row = Record<string, any>;

export const DPV_CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  dct: 'http://purl.org/dc/terms/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
} as const;

/** The DPV consent status of a record's action (for a purpose granted, or refused). */
export function consentStatus(action: string, granted: boolean): string {
  if (action === 'withdrawn') return 'dpv:ConsentWithdrawn';
  if (action === 'requested') return 'dpv:ConsentRequested';
  if (action === 'expired') return 'dpv:ConsentExpired';
  return granted ? 'dpv:ConsentGiven' : 'dpv:ConsentRefused';
}

const time = (value: unknown) => (typeof value === 'string' && value ? { '@value': value, '@type': 'xsd:dateTime' } : undefined);
const urn = (...parts: Array<string | number>) => `urn:privacy-centre:${parts.map((p) => encodeURIComponent(String(p))).join(':')}`;

/**
 * One consent record (a row of `privacy_centre_consent_records`, camelCase) as a 27560 record.
 * Each purpose carries its own status: a cookie consent grants some categories and refuses others.
 */
export function consentRecordNode(row: Row, controller: { name?: string; url?: string } = {}): Record<string, unknown> {
  const state: Record<string, boolean> = row.state && typeof row.state === 'object' ? row.state : {};
  const purposes = Object.entries(state).map(([key, granted]) => ({
    '@id': urn(row.kind, 'purpose', key),
    '@type': 'dpv:Purpose',
    'rdfs:label': key,
    'dpv:hasConsentStatus': { '@id': consentStatus(row.action, Boolean(granted)) },
  }));
  const notices: Record<string, unknown>[] = [];
  if (row.policySlug && row.policyVersion !== null && row.policyVersion !== undefined) {
    notices.push({
      '@id': urn('policy', row.policySlug, row.policyVersion),
      '@type': 'dpv:PrivacyNotice',
      'dct:identifier': `${row.policySlug} version ${row.policyVersion}`,
      ...(row.policyHash ? { 'dct:hasVersion': `sha256:${row.policyHash}` } : {}),
    });
  }
  if (row.declarationRevision !== null && row.declarationRevision !== undefined) {
    notices.push({
      '@id': urn('cookie-declaration', row.declarationRevision),
      '@type': 'dpv:Notice',
      'dct:identifier': `cookie declaration revision ${row.declarationRevision}`,
      ...(row.declarationHash ? { 'dct:hasVersion': `sha256:${row.declarationHash}` } : {}),
    });
  }
  const granted = Object.values(state).some(Boolean);
  const node: Record<string, unknown> = {
    '@id': urn('consent', row.consentId),
    '@type': 'dpv:ConsentRecord',
    'dct:identifier': row.consentId,
    'dct:created': time(row.givenAt),
    'dpv:hasConsentStatus': { '@id': consentStatus(row.action, granted) },
    'dpv:isIndicatedAtTime': time(row.givenAt),
    'dpv:hasIndicationMethod': row.via ? `${row.kind} consent via ${row.via}` : undefined,
    'dpv:hasDataSubject': row.subjectId
      ? { '@id': urn('subject', row.subjectId), '@type': 'dpv:DataSubject' }
      : row.subjectRef
        ? { '@id': urn('subject-ref', row.subjectRef), '@type': 'dpv:DataSubject' }
        : undefined,
    'dpv:hasDataController': controller.name
      ? { '@type': 'dpv:DataController', 'rdfs:label': controller.name, ...(controller.url ? { 'dct:source': controller.url } : {}) }
      : undefined,
    'dpv:hasPurpose': purposes.length ? purposes : undefined,
    'dpv:hasNotice': notices.length ? notices : undefined,
    'dct:valid': time(row.expiresAt),
    'dct:replaces': row.previousConsentId ? { '@id': urn('consent', row.previousConsentId) } : undefined,
  };
  return Object.fromEntries(Object.entries(node).filter(([, value]) => value !== undefined));
}

/** A JSON-LD document of consent records. */
export function consentRecordsDocument(rows: Row[], controller?: { name?: string; url?: string }) {
  return { '@context': DPV_CONTEXT, '@graph': rows.map((row) => consentRecordNode(row, controller)) };
}
