import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import {
  createKeyring,
  isStoredKeyring,
  jwksOf,
  kidOf,
  loadKeyring,
  openKeyring,
  publicKeyOf,
  resealKeyring,
  rotateKeyring,
  seal,
  sealedExactlyFor,
  secretId,
  unseal,
  type PrivateKeys,
  type StoredKeyring,
} from '../../server/src/keys/keyring';
import { signProof, verifyProof } from '../../server/src/signing';

const SECRET = 'the-current-secret-0123456789abcdef';
const SECOND = 'a-second-secret-0123456789abcdef0123';
const NEW = 'the-next-secret-0123456789abcdef0123';
const WRONG = 'not-the-secret-0123456789abcdef01234';
const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-06-01T00:00:00.000Z';
const T2 = '2026-09-01T00:00:00.000Z';

const opened = (stored: StoredKeyring, secrets: string[]): PrivateKeys => {
  const opening = openKeyring(stored, secrets);
  if (!opening.ok) throw new Error('the keyring did not open');
  return opening.keys;
};
/** Every secret value the keyring holds, none of which may be readable in the stored JSON. */
const secretValuesOf = (keys: PrivateKeys) => [
  keys.signing.pkcs8,
  Buffer.from(keys.signing.pkcs8, 'base64').toString('base64url'),
  Buffer.from(keys.signing.pkcs8, 'base64').subarray(-32).toString('base64url'), // the seed: JWK `d`
  Buffer.from(keys.signing.pkcs8, 'base64').subarray(-32).toString('base64'),
  Buffer.from(keys.signing.pkcs8, 'base64').subarray(-32).toString('hex'),
  ...keys.linkKeys,
  keys.pseudonymKey,
  ...keys.legacySecrets,
];

describe('createKeyring / openKeyring', () => {
  it('opens with any secret it was sealed under, and with no other', () => {
    const stored = createKeyring([SECRET, SECOND], [], T0);
    const first = openKeyring(stored, [SECRET]);
    expect(first).toMatchObject({ ok: true, openedWith: SECRET });
    expect(openKeyring(stored, [SECOND])).toMatchObject({ ok: true, openedWith: SECOND });
    expect(openKeyring(stored, [WRONG, SECOND])).toMatchObject({ ok: true, openedWith: SECOND });
    expect(openKeyring(stored, [WRONG])).toEqual({ ok: false });
    expect(openKeyring(stored, [])).toEqual({ ok: false });
    expect(openKeyring(stored, [SECRET.slice(0, -1)])).toEqual({ ok: false });
    // both copies hold the same keys
    expect(opened(stored, [SECOND])).toEqual(opened(stored, [SECRET]));
  });

  it('holds one signing key, published, that signs what its public key verifies', () => {
    const stored = createKeyring([SECRET], [], T0);
    const keys = opened(stored, [SECRET]);
    expect(stored.publicKeys).toEqual([{ kid: keys.signing.kid, x: expect.any(String), createdAt: T0, retiredAt: null }]);
    expect(keys.publicKeys).toEqual(stored.publicKeys);
    expect(keys.linkKeys).toHaveLength(1);
    const ring = loadKeyring(stored, keys);
    const signature = signProof(keys.signing.kid, ring.signingKey, 'consent-receipt', 'text');
    expect(verifyProof(ring.publicKeys, 'consent-receipt', 'text', signature)).toBe(true);
    expect(verifyProof(ring.publicKeys, 'consent-receipt', 'text!', signature)).toBe(false);
  });

  it('makes new keys each time', () => {
    const a = opened(createKeyring([SECRET], [], T0), [SECRET]);
    const b = opened(createKeyring([SECRET], [], T0), [SECRET]);
    expect(a.signing.kid).not.toBe(b.signing.kid);
    expect(a.linkKeys[0]).not.toBe(b.linkKeys[0]);
    expect(a.pseudonymKey).not.toBe(b.pseudonymKey);
  });

  it('keys the sealed copies by secretId only, and the stored JSON shows no secret and no private key', () => {
    const stored = createKeyring([SECRET, SECOND], ['legacy-secret-0123456789abcdef012345'], T0);
    expect(Object.keys(stored.sealed).sort()).toEqual([secretId(SECRET), secretId(SECOND)].sort());
    const keys = opened(stored, [SECRET]);
    const json = JSON.stringify(stored);
    for (const value of [SECRET, SECOND, ...secretValuesOf(keys)]) expect(json).not.toContain(value);
    expect(json).not.toMatch(/"d"|pkcs8|linkKeys|pseudonymKey|legacySecrets/);
    // and the private key's JWK `d` is indeed what was searched for
    const d = loadKeyring(stored, keys).signingKey.export({ format: 'jwk' }).d;
    expect(secretValuesOf(keys)).toContain(d);
  });

  it('secretId names a secret without revealing it: 16 characters, one per secret', () => {
    expect(secretId(SECRET)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(secretId(SECRET)).toBe(secretId(SECRET));
    expect(secretId(SECRET)).not.toBe(secretId(SECOND));
    expect(SECRET).not.toContain(secretId(SECRET));
  });

  it('seals with a fresh salt and IV each time', () => {
    const keys = opened(createKeyring([SECRET], [], T0), [SECRET]);
    const [a, b] = [seal(SECRET, keys), seal(SECRET, keys)];
    expect(a).not.toBe(b);
    expect(a.split('.')[0]).not.toBe(b.split('.')[0]);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(unseal(SECRET, a)).toEqual(keys);
    expect(unseal(SECRET, b)).toEqual(keys);
  });
});

describe('unseal', () => {
  const keys = opened(createKeyring([SECRET], [], T0), [SECRET]);
  const sealed = seal(SECRET, keys);
  const parts = sealed.split('.');
  const flip = (part: string, at = 0) => {
    const bytes = Buffer.from(part, 'base64url');
    bytes[at % bytes.length] ^= 1;
    return bytes.toString('base64url');
  };
  const withPart = (i: number, value: string) => parts.map((p, j) => (j === i ? value : p)).join('.');

  it('is salt.iv.tag.ciphertext', () => {
    expect(parts).toHaveLength(4);
    expect(parts.slice(0, 3).map((p) => Buffer.from(p, 'base64url').length)).toEqual([16, 12, 16]);
  });

  it.each([
    ['the salt', 0],
    ['the IV', 1],
    ['the tag', 2],
    ['the ciphertext (first byte)', 3],
  ])('returns null when one bit of %s is changed', (_name, i) => {
    expect(unseal(SECRET, withPart(i, flip(parts[i])))).toBeNull();
    expect(unseal(SECRET, withPart(i, flip(parts[i], 7)))).toBeNull();
  });

  it.each([
    ['a truncated ciphertext', withPart(3, parts[3].slice(0, -4))],
    ['an extended ciphertext', withPart(3, parts[3] + 'AAAA')],
    ['parts swapped', [parts[1], parts[0], parts[2], parts[3]].join('.')],
    ['a part missing', parts.slice(0, 3).join('.')],
    ['empty', ''],
    ['junk', 'not.a.sealed.copy'],
  ])('returns null (never throws) for %s', (_name, value) => {
    expect(unseal(SECRET, value)).toBeNull();
  });

  // GCM accepts a tag cut to 4..15 bytes unless the decipher fixes authTagLength: a copy whose tag
  // is cut to its first 4 bytes still opens (32 bits of integrity instead of 128).
  it('returns null for a tag cut to 4 bytes', () => {
    expect(unseal(SECRET, withPart(2, Buffer.from(parts[2], 'base64url').subarray(0, 4).toString('base64url')))).toBeNull();
  });

  // A sealed copy that is not a string (a damaged row) throws a TypeError instead of "did not open".
  it('openKeyring does not throw on a sealed copy that is not a string', () => {
    const stored = createKeyring([SECRET], [], T0);
    const damaged = { ...stored, sealed: { [secretId(SECRET)]: 5 as unknown as string } };
    const opensSafely = () => {
      try {
        return openKeyring(damaged, [SECRET]).ok === false;
      } catch {
        return false;
      }
    };
    // fixed either way: the shape check refuses it, or opening it answers "did not open"
    expect(!isStoredKeyring(damaged) || opensSafely()).toBe(true);
  });

  it('returns null under another secret, and a tampered copy does not open the keyring', () => {
    expect(unseal(WRONG, sealed)).toBeNull();
    const stored = createKeyring([SECRET], [], T0);
    const [id, copy] = Object.entries(stored.sealed)[0];
    const [salt, iv, tag, body] = copy.split('.');
    const tampered = { ...stored, sealed: { [id]: [salt, iv, tag, flip(body, 40)].join('.') } };
    expect(openKeyring(tampered, [SECRET])).toEqual({ ok: false });
    // a copy moved under another secret's id does not open either
    expect(openKeyring({ ...stored, sealed: { [secretId(WRONG)]: copy } }, [WRONG])).toEqual({ ok: false });
  });
});

describe('rotateKeyring', () => {
  const stored = createKeyring([SECRET], [], T0);
  const keys = opened(stored, [SECRET]);
  const rotated = rotateKeyring(stored, keys, [NEW, SECRET], T1);
  const next = rotated.keys;

  it('retires the old signing key (keeping its public key) and adds a new kid that signs', () => {
    const old = stored.publicKeys[0];
    expect(next.signing.kid).not.toBe(keys.signing.kid);
    expect(next.publicKeys).toEqual([
      { ...old, retiredAt: T1 },
      { kid: next.signing.kid, x: expect.any(String), createdAt: T1, retiredAt: null },
    ]);
    expect(rotated.stored.publicKeys).toEqual(next.publicKeys);
    // the retired private key is dropped
    expect(JSON.stringify(next)).not.toContain(keys.signing.pkcs8);
  });

  it('keeps the pseudonym key and the old link keys, the new link key first', () => {
    expect(next.pseudonymKey).toBe(keys.pseudonymKey);
    expect(next.linkKeys).toHaveLength(2);
    expect(next.linkKeys.slice(1)).toEqual(keys.linkKeys);
    expect(keys.linkKeys).not.toContain(next.linkKeys[0]);
    expect(next.legacySecrets).toEqual(keys.legacySecrets);
    expect(next.legacyUntil).toBe(keys.legacyUntil);
  });

  it('seals for exactly the given secrets', () => {
    expect(sealedExactlyFor(rotated.stored, [NEW, SECRET])).toBe(true);
    expect(opened(rotated.stored, [NEW])).toEqual(next);
    expect(opened(rotated.stored, [SECRET])).toEqual(next);
    const dropped = rotateKeyring(rotated.stored, next, [NEW], T2);
    expect(Object.keys(dropped.stored.sealed)).toEqual([secretId(NEW)]);
    expect(openKeyring(dropped.stored, [SECRET])).toEqual({ ok: false });
    expect(opened(dropped.stored, [NEW])).toEqual(dropped.keys);
  });

  it('proofs of every earlier key still verify; a key retired once keeps its first retiredAt', () => {
    const before = signProof(keys.signing.kid, loadKeyring(stored, keys).signingKey, 'policy-version', 'hash:published');
    const again = rotateKeyring(rotated.stored, next, [NEW], T2);
    const ring = loadKeyring(again.stored, again.keys);
    expect(verifyProof(ring.publicKeys, 'policy-version', 'hash:published', before)).toBe(true);
    expect(again.keys.publicKeys.map((k) => k.retiredAt)).toEqual([T1, T2, null]);
    expect(again.keys.linkKeys.slice(1)).toEqual(next.linkKeys);
    expect(again.keys.pseudonymKey).toBe(keys.pseudonymKey);
    expect(jwksOf(again.keys).keys.map((k) => k.kid)).toEqual(again.keys.publicKeys.map((k) => k.kid));
  });
});

describe('resealKeyring / sealedExactlyFor', () => {
  const stored = createKeyring([SECRET, SECOND], [], T0);
  const keys = opened(stored, [SECRET]);

  it('says whether the copies are exactly one per secret', () => {
    expect(sealedExactlyFor(stored, [SECRET, SECOND])).toBe(true);
    expect(sealedExactlyFor(stored, [SECOND, SECRET])).toBe(true);
    expect(sealedExactlyFor(stored, [SECRET])).toBe(false);
    expect(sealedExactlyFor(stored, [SECRET, SECOND, NEW])).toBe(false);
    expect(sealedExactlyFor(stored, [SECRET, NEW])).toBe(false);
    expect(sealedExactlyFor(stored, [])).toBe(false);
  });

  it('reseals the same keys under exactly the given secrets, a dropped secret opening nothing', () => {
    const resealed = resealKeyring(stored, keys, [SECOND, NEW]);
    expect(sealedExactlyFor(resealed, [SECOND, NEW])).toBe(true);
    expect(openKeyring(resealed, [SECRET])).toEqual({ ok: false });
    expect(opened(resealed, [NEW])).toEqual(keys);
    expect(opened(resealed, [SECOND])).toEqual(keys);
    expect(resealed.publicKeys).toEqual(stored.publicKeys);
    expect(opened(resealed, [NEW]).legacyUntil).toBe(keys.legacyUntil);
  });
});

describe('legacy secrets (an installation that signed with its secret before the keyring)', () => {
  it('the first becomes the pseudonym key, and legacyUntil is set', () => {
    const stored = createKeyring([SECRET], [SECRET, SECOND], T0);
    const keys = opened(stored, [SECRET]);
    expect(keys.pseudonymKey).toBe(SECRET);
    expect(keys.legacySecrets).toEqual([SECRET, SECOND]);
    expect(keys.legacyUntil).toBe(T0);
    // the link keys are new ones all the same
    expect(keys.linkKeys).toHaveLength(1);
    expect([SECRET, SECOND]).not.toContain(keys.linkKeys[0]);
  });

  it('none: a random pseudonym key, and legacyUntil null', () => {
    const stored = createKeyring([SECRET], [], T0);
    const keys = opened(stored, [SECRET]);
    expect(keys.pseudonymKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.pseudonymKey).not.toBe(SECRET);
    expect(keys.legacySecrets).toEqual([]);
    expect(keys.legacyUntil).toBeNull();
  });
});

describe('jwksOf', () => {
  const stored = createKeyring([SECRET], [], T0);
  const rotated = rotateKeyring(stored, opened(stored, [SECRET]), [SECRET], T1);
  const jwks = jwksOf(rotated.keys);

  it('lists every key ever used as an Ed25519 signing JWK, with no private part', () => {
    expect(jwks.keys).toHaveLength(2);
    for (const [i, key] of jwks.keys.entries()) {
      expect(key).toEqual({
        kty: 'OKP',
        crv: 'Ed25519',
        x: rotated.keys.publicKeys[i].x,
        kid: kidOf(key.x),
        use: 'sig',
        alg: 'EdDSA',
        createdAt: rotated.keys.publicKeys[i].createdAt,
        retiredAt: rotated.keys.publicKeys[i].retiredAt,
      });
      expect(key).not.toHaveProperty('d');
      expect(Buffer.from(key.x, 'base64url')).toHaveLength(32);
    }
    expect(jwks.keys.map((k) => k.retiredAt)).toEqual([T1, null]);
    expect(JSON.stringify(jwks)).not.toContain(rotated.keys.signing.pkcs8);
  });

  it('kid is the RFC 7638 thumbprint (SHA-256, base64url) cut to 16 characters', () => {
    for (const { x, kid } of jwks.keys) {
      const thumbprint = createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
      expect(kid).toBe(thumbprint.slice(0, 16));
    }
  });

  it('is all a third party needs to check a proof', () => {
    const ring = loadKeyring(rotated.stored, rotated.keys);
    const signature = signProof(rotated.keys.signing.kid, ring.signingKey, 'evidence-bundle', 'the bundle');
    const [kid, bytes] = signature.split('.');
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    expect(verifySignature(null, Buffer.from('privacy-centre:evidence-bundle\nthe bundle'), key, Buffer.from(bytes, 'base64url'))).toBe(true);
  });
});

describe('loadKeyring', () => {
  it('verifies with the sealed public keys, never with a key written into the readable copy', () => {
    const attacker = createKeyring([WRONG], [], T0);
    const attackerKeys = opened(attacker, [WRONG]);
    const forged = signProof(attackerKeys.signing.kid, loadKeyring(attacker, attackerKeys).signingKey, 'consent-receipt', 'forged');

    const stored = createKeyring([SECRET], [], T0);
    const tampered: StoredKeyring = { ...stored, publicKeys: [...stored.publicKeys, attacker.publicKeys[0]] };
    expect(isStoredKeyring(tampered)).toBe(true); // a well-formed entry: the shape check cannot tell
    const keys = opened(tampered, [SECRET]); // the sealed part is untouched, so it opens
    const ring = loadKeyring(tampered, keys);
    expect(ring.publicKeys.has(attackerKeys.signing.kid)).toBe(false);
    expect(verifyProof(ring.publicKeys, 'consent-receipt', 'forged', forged)).toBe(false);
    expect(jwksOf(keys).keys.map((k) => k.kid)).toEqual([stored.publicKeys[0].kid]);
    // (the forged signature does verify with the attacker's own key: the refusal is about which list is read)
    expect(verifyProof(new Map([[attackerKeys.signing.kid, publicKeyOf(attackerKeys.publicKeys[0].x)]]), 'consent-receipt', 'forged', forged)).toBe(true);
  });

  it('holds every published key and the current signing key', () => {
    const stored = createKeyring([SECRET], [], T0);
    const rotated = rotateKeyring(stored, opened(stored, [SECRET]), [SECRET], T1);
    const ring = loadKeyring(rotated.stored, rotated.keys);
    expect([...ring.publicKeys.keys()]).toEqual(rotated.keys.publicKeys.map((k) => k.kid));
    expect(ring.signingKey.type).toBe('private');
    expect(ring.signingKey.asymmetricKeyType).toBe('ed25519');
    expect(createPublicKey(ring.signingKey).export({ format: 'jwk' }).x).toBe(rotated.keys.publicKeys[1].x);
  });
});

describe('isStoredKeyring', () => {
  const stored = createKeyring([SECRET], [], T0);

  it('takes a stored keyring, also after a round trip through JSON', () => {
    expect(isStoredKeyring(stored)).toBe(true);
    expect(isStoredKeyring(JSON.parse(JSON.stringify(stored)))).toBe(true);
  });

  it.each<[string, (s: any) => unknown]>([
    ['a kid that is not the thumbprint of x', (s) => ({ ...s, publicKeys: [{ ...s.publicKeys[0], kid: 'AAAAAAAAAAAAAAAA' }] })],
    ['a kid of another key', (s) => ({ ...s, publicKeys: [{ ...s.publicKeys[0], x: createKeyring([SECRET], [], T0).publicKeys[0].x }] })],
    ['a kid in another case', (s) => ({ ...s, publicKeys: [{ ...s.publicKeys[0], kid: s.publicKeys[0].kid.toUpperCase() === s.publicKeys[0].kid ? s.publicKeys[0].kid.toLowerCase() : s.publicKeys[0].kid.toUpperCase() }] })],
    ['a key without x', (s) => ({ ...s, publicKeys: [{ kid: s.publicKeys[0].kid }] })],
    ['a null key', (s) => ({ ...s, publicKeys: [null] })],
    ['publicKeys not a list', (s) => ({ ...s, publicKeys: {} })],
    ['another format', (s) => ({ ...s, format: 'privacy-centre-keyring/2' })],
    ['no sealed copies object', (s) => ({ ...s, sealed: null })],
    ['null', () => null],
    ['a string', (s) => JSON.stringify(s)],
  ])('refuses %s', (_name, change) => {
    expect(isStoredKeyring(change(structuredClone(stored)))).toBe(false);
  });
});
