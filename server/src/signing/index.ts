import { createHmac, createSecretKey, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../policy/canonical';

/**
 * The two kinds of signature, each made in one place so that key handling and constant-time
 * comparison exist once (the keys themselves live in keys/keyring):
 *
 * - proofs a third party must check (receipts, policy seals, declaration revisions, newsletter
 *   events, evidence bundles): Ed25519, written `kid.signature` (base64url), checkable with the
 *   published public key alone;
 * - link tokens and keyed pseudonyms, checked only here: HMAC-SHA256, base64url. Proofs made
 *   before 0.3 are HMACs too (no `kid.`), verified with the legacy secrets.
 *
 * Both sign `privacy-centre:<purpose>\n<text>`, so a signature made for one purpose never
 * verifies for another.
 */
export type Purpose =
  | 'policy-version'
  | 'consent-receipt'
  | 'cookie-declaration'
  | 'newsletter-event'
  | 'evidence-bundle'
  | 'newsletter-confirm'
  | 'newsletter-unsubscribe'
  | 'newsletter-address'
  | 'subject-request'
  // A signed-in user's acceptance of a policy version (its receipt).
  | 'policy-acceptance'
  // The keyed pseudonym of a users-permissions user's documentId (policy acceptances, notices).
  | 'site-user'
  // A position in the admin's consent log (its keyset cursor).
  | 'consent-log-cursor';

/** Exactly the bytes a proof's signature covers. */
export const signedMessage = (purpose: Purpose, text: string) => Buffer.from(`privacy-centre:${purpose}\n${text}`, 'utf8');

/** An Ed25519 signature naming its key: `kid.signature`. */
export const signProof = (kid: string, key: KeyObject, purpose: Purpose, text: string): string =>
  `${kid}.${sign(null, signedMessage(purpose, text), key).toString('base64url')}`;

/** The kid a proof's signature names, or null when it is not an Ed25519 one (a legacy HMAC). */
export const kidOfSignature = (signature: unknown): string | null => {
  if (typeof signature !== 'string') return null;
  const dot = signature.indexOf('.');
  return dot > 0 ? signature.slice(0, dot) : null;
};

/** Whether `signature` is `kid.signature` by the public key `kid` names in `publicKeys`. */
export function verifyProof(publicKeys: ReadonlyMap<string, KeyObject>, purpose: Purpose, text: string, signature: unknown): boolean {
  if (typeof signature !== 'string' || signature.length > 128) return false;
  const dot = signature.indexOf('.');
  const key = dot > 0 ? publicKeys.get(signature.slice(0, dot)) : undefined;
  if (!key) return false;
  const given = signature.slice(dot + 1);
  const bytes = Buffer.from(given, 'base64url');
  if (bytes.length !== 64 || bytes.toString('base64url') !== given) return false;
  try {
    return verify(null, signedMessage(purpose, text), key, bytes);
  } catch {
    return false;
  }
}

/**
 * Checks a proof's signature: `(purpose, text, signature, madeAt)`. `madeAt` is when the proof was
 * made (ISO 8601), which decides whether a legacy HMAC may have signed it.
 */
export type ProofVerifier = (purpose: Purpose, text: string, signature: unknown, madeAt?: string | null) => boolean;

// Each secret imported once as a KeyObject (the keys are few: the secret and its predecessors).
const keyObjects = new Map<string, KeyObject>();
const keyObjectOf = (key: string) => {
  let object = keyObjects.get(key);
  if (!object) {
    if (keyObjects.size > 32) keyObjects.clear();
    keyObjects.set(key, (object = createSecretKey(Buffer.from(key, 'utf8'))));
  }
  return object;
};

const mac = (key: string, purpose: Purpose, text: string) =>
  createHmac('sha256', keyObjectOf(key)).update(`privacy-centre:${purpose}\n`).update(text, 'utf8').digest();

export function signText(key: string, purpose: Purpose, text: string): string {
  return mac(key, purpose, text).toString('base64url');
}

/**
 * The index in `keys` of the key that made `signature`, or -1. Each key is tried in constant
 * time (no early exit on the first differing byte).
 */
export function verifyText(keys: readonly string[], purpose: Purpose, text: string, signature: unknown): number {
  if (typeof signature !== 'string' || signature.length > 128) return -1;
  const given = Buffer.from(signature, 'base64url');
  // One spelling per signature: no padding, no stray characters that the decoder would skip.
  if (given.toString('base64url') !== signature) return -1;
  for (let i = 0; i < keys.length; i += 1) {
    const expected = mac(keys[i], purpose, text);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return i;
  }
  return -1;
}

/** Signs the canonical JSON (RFC 8785) of a value. */
export const signJson = (key: string, purpose: Purpose, value: unknown) => signText(key, purpose, canonicalJson(value));

export const verifyJson = (keys: readonly string[], purpose: Purpose, value: unknown, signature: unknown) =>
  verifyText(keys, purpose, canonicalJson(value), signature);
