import { generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import fc from 'fast-check';
import { kidOf } from '../../server/src/keys/keyring';
import { kidOfSignature, signProof, signedMessage, verifyProof, type Purpose } from '../../server/src/signing';

const pair = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { kid: kidOf(publicKey.export({ format: 'jwk' }).x as string), publicKey, privateKey };
};
const A = pair();
const B = pair();
const published = new Map([[A.kid, A.publicKey]]);

describe('signedMessage', () => {
  it('is "privacy-centre:<purpose>\\n" + the text, in UTF-8', () => {
    expect(signedMessage('evidence-bundle', 'é{"a":1}').equals(Buffer.from('privacy-centre:evidence-bundle\né{"a":1}', 'utf8'))).toBe(true);
  });
});

describe('signProof / verifyProof', () => {
  it('signs `kid.signature`, Ed25519 over signedMessage, for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const signature = signProof(A.kid, A.privateKey, 'policy-version', text);
        expect(signature).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{86}$/);
        expect(kidOfSignature(signature)).toBe(A.kid);
        expect(verifySignature(null, signedMessage('policy-version', text), A.publicKey, Buffer.from(signature.slice(17), 'base64url'))).toBe(true);
        expect(verifyProof(published, 'policy-version', text, signature)).toBe(true);
        expect(verifyProof(published, 'policy-version', `${text}\u0000`, signature)).toBe(false);
        expect(verifyProof(published, 'cookie-declaration', text, signature)).toBe(false);
      }),
      { numRuns: 200 }
    );
  });

  it('refuses a key that is not in the map, and a signature under a kid it was not made by', () => {
    const byB = signProof(B.kid, B.privateKey, 'consent-receipt', 't');
    expect(verifyProof(published, 'consent-receipt', 't', byB)).toBe(false);
    expect(verifyProof(published, 'consent-receipt', 't', `${A.kid}.${byB.slice(17)}`)).toBe(false);
    expect(verifyProof(new Map([[B.kid, B.publicKey]]), 'consent-receipt', 't', byB)).toBe(true);
    // a map entry whose key belongs to another kid is what verifies: the caller's map is trusted
    expect(verifyProof(new Map([[A.kid, B.publicKey]]), 'consent-receipt', 't', `${A.kid}.${byB.slice(17)}`)).toBe(true);
  });

  it('never throws, whatever the signature', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true }), fc.constantFrom<Purpose>('consent-receipt', 'evidence-bundle'), (signature, purpose) => {
        expect(verifyProof(published, purpose, 'text', signature)).toBe(false);
      })
    );
  });
});

describe('kidOfSignature', () => {
  it.each<[string, unknown, string | null]>([
    ['an Ed25519 signature', `${A.kid}.${'A'.repeat(86)}`, A.kid],
    ['a legacy HMAC (base64url, no dot)', 'q'.repeat(43), null],
    ['a leading dot', `.${'A'.repeat(86)}`, null],
    ['empty', '', null],
    ['not a string', 42, null],
    ['null', null, null],
    ['undefined', undefined, null],
  ])('reads %s', (_name, signature, kid) => {
    expect(kidOfSignature(signature)).toBe(kid);
  });
});
