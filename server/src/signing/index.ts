import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../policy/canonical';

/**
 * Signatures made with the plugin's secret: HMAC-SHA256, base64url. One mechanism for every
 * signed thing (the seal of a published version; later consent receipts and e-mail links), so
 * that key rotation and constant-time comparison exist once.
 *
 * Every signature names its purpose, so a signature made for one purpose never verifies for
 * another. The first key signs; every key verifies (the current secret, then `previousSecrets`).
 */
export type Purpose =
  | 'policy-version'
  | 'consent-receipt'
  | 'cookie-declaration'
  | 'newsletter-confirm'
  | 'newsletter-unsubscribe'
  | 'newsletter-address'
  | 'subject-request';

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
