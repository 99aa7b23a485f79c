// Receipts: what was recorded about a consent decision, signed so that the copy a browser keeps
// can be shown to be the one recorded and unaltered, by anyone holding the published keys.
// Pure (signing/ and canonical JSON only).
import { canonicalJson } from '../policy/canonical';
import type { ProofVerifier } from '../signing';
import type { Receipt } from './types';

/** Everything a receipt's signature covers: every field but the signature. */
export const unsigned = (receipt: Receipt): Omit<Receipt, 'signature'> => {
  const { signature: _signature, ...rest } = receipt;
  return rest;
};

export const signReceipt = (sign: (text: string) => string, body: Omit<Receipt, 'signature'>): Receipt => ({
  ...body,
  signature: sign(canonicalJson(body)),
});

/** Whether a receipt's signature was made by one of the plugin's keys over exactly its other fields. */
export function receiptIsAuthentic(verify: ProofVerifier, receipt: Receipt): boolean {
  try {
    return verify('consent-receipt', canonicalJson(unsigned(receipt)), receipt.signature, receipt.givenAt);
  } catch {
    return false; // not JSON data (e.g. a number too large to be canonical)
  }
}

/** The fields of a newsletter event (a consent record of kind `newsletter`) as stored. */
export interface NewsletterEventFields {
  consentId: string;
  action: string;
  subjectRef: string | null;
  subjectId: string | null;
  state: Record<string, boolean>;
  policySlug?: string | null;
  policyVersion?: number | null;
  policyHash?: string | null;
  language: string | null;
  via: string;
  givenAt: string;
  evidence: Record<string, any> | null;
}

/**
 * What a newsletter event's signature covers: who (the address's pseudonym, the browser), what
 * (the action and list), when, under which policy, and the message's Message-ID and SHA-256.
 * Not the IP prefix, user agent, source or message text: an erasure removes those, and the
 * proof must outlive it (the message's hash still proves what was sent).
 */
export function newsletterEventProof(row: NewsletterEventFields) {
  const evidence = row.evidence ?? {};
  const message = evidence.message && typeof evidence.message === 'object' ? evidence.message : null;
  return {
    consentId: row.consentId,
    kind: 'newsletter',
    action: row.action,
    subjectRef: row.subjectRef ?? null,
    subjectId: row.subjectId ?? null,
    state: row.state,
    policy: row.policySlug ? { slug: row.policySlug, version: row.policyVersion ?? null, hash: row.policyHash ?? null } : null,
    language: row.language ?? null,
    via: row.via,
    givenAt: row.givenAt,
    list: evidence.list ?? null,
    method: evidence.method ?? null,
    message: message ? { messageId: message.messageId ?? null, sha256: message.sha256 ?? null } : null,
  };
}

/**
 * Whether a newsletter event is the one recorded: `true` when its signature verifies, `false`
 * when it does not, `'unsigned'` for an event recorded before events were signed (0.3).
 */
export function newsletterEventIsAuthentic(verify: ProofVerifier, row: NewsletterEventFields & { signature: string | null }, signedSince: string | null): boolean | 'unsigned' {
  if (!row.signature) return signedSince !== null && row.givenAt <= signedSince ? 'unsigned' : false;
  try {
    return verify('newsletter-event', canonicalJson(newsletterEventProof(row)), row.signature, row.givenAt);
  } catch {
    return false;
  }
}
