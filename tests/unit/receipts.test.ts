import { createHash, createHmac, createPrivateKey, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { newsletterEventIsAuthentic, newsletterEventProof, receiptIsAuthentic, signReceipt, unsigned, type NewsletterEventFields } from '../../server/src/consent/receipt';
import type { Receipt } from '../../server/src/consent/types';
import { CONSENT_MODE_SIGNALS } from '../../server/src/cookies/types';
import { kidOf } from '../../server/src/keys/keyring';
import { canonicalJson } from '../../server/src/policy/canonical';
import { signJson, signProof, signText, verifyJson, verifyProof, verifyText, type ProofVerifier, type Purpose } from '../../server/src/signing';

const runs = { numRuns: Number(process.env.FC_RUNS || 400) };

const KEY = 'k'.repeat(32) + '-current-secret';
const OLD = 'o'.repeat(32) + '-previous-secret';
const OTHER = 'x'.repeat(32) + '-someone-elses-secret';

// ---- test keys: an Ed25519 key pair derived from each key string (seed = SHA-256 of it) -----

interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const testKeys = new Map<string, TestKey>();
const keyOf = (name: string): TestKey => {
  let key = testKeys.get(name);
  if (!key) {
    const seed = createHash('sha256').update(name, 'utf8').digest();
    const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey(privateKey);
    key = { kid: kidOf(publicKey.export({ format: 'jwk' }).x as string), privateKey, publicKey };
    testKeys.set(name, key);
  }
  return key;
};
/** What the service's `sign` does for receipts: `kid.signature` with the key named `name`. */
const signerOf = (name: string, purpose: Purpose = 'consent-receipt') => (text: string) => signProof(keyOf(name).kid, keyOf(name).privateKey, purpose, text);
/** A verifier knowing the public keys of `names` (what `GET /keys` publishes). */
const publicKeysOf = (names: readonly string[]) => new Map(names.map((name) => [keyOf(name).kid, keyOf(name).publicKey]));
const verifierOf = (names: readonly string[]): ProofVerifier => {
  const publicKeys = publicKeysOf(names);
  return (purpose, text, signature) => verifyProof(publicKeys, purpose, text, signature);
};
const sign = (name: string, b: Omit<Receipt, 'signature'>) => signReceipt(signerOf(name), b);
const authentic = (names: readonly string[], receipt: Receipt) => receiptIsAuthentic(verifierOf(names), receipt);
const SIGNATURE = /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{86}$/;

const body = (): Omit<Receipt, 'signature'> => ({
  consentId: 'Xq1Zb9_-Ab3Cd4Ef5Gh6Ij',
  subjectId: '5b3c9a74-2f1e-4d8a-9c3b-0e7f6a5d4c3b',
  action: 'given',
  state: { necessary: true, preferences: false, statistics: true, marketing: false },
  consentMode: {
    ad_storage: 'denied',
    ad_user_data: 'denied',
    ad_personalization: 'denied',
    analytics_storage: 'granted',
    functionality_storage: 'denied',
    personalization_storage: 'denied',
    security_storage: 'granted',
  },
  gpc: { signal: false, refused: [] },
  givenAt: '2026-11-23T10:00:00.000Z',
  expiresAt: '2027-11-23T10:00:00.000Z',
  previousConsentId: null,
  policy: { slug: 'privacy-policy', version: 3, hash: 'a'.repeat(64) },
  declaration: { revision: 2, hash: 'b'.repeat(64) },
});

// ---- arbitraries --------------------------------------------------------------------------

const categoryKey = fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/);
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const receiptBody: fc.Arbitrary<Omit<Receipt, 'signature'>> = fc.record(
  {
    consentId: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    subjectId: fc.oneof(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/)),
    action: fc.constantFrom('given' as const, 'updated' as const, 'withdrawn' as const),
    state: fc.dictionary(categoryKey, fc.boolean(), { minKeys: 1, maxKeys: 6, noNullPrototype: true }),
    consentMode: fc.record(
      Object.fromEntries(CONSENT_MODE_SIGNALS.map((s) => [s, fc.constantFrom('granted' as const, 'denied' as const)])) as {
        [K in (typeof CONSENT_MODE_SIGNALS)[number]]: fc.Arbitrary<'granted' | 'denied'>;
      },
      { noNullPrototype: true }
    ),
    gpc: fc.record({ signal: fc.boolean(), refused: fc.uniqueArray(categoryKey, { maxLength: 3 }) }, { noNullPrototype: true }),
    givenAt: instant,
    expiresAt: instant,
    previousConsentId: fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), { nil: null }),
    policy: fc.option(
      fc.record({ slug: fc.constantFrom('privacy-policy', 'terms'), version: fc.integer({ min: 1, max: 1e9 }), hash: hex64 }, { noNullPrototype: true }),
      { nil: null }
    ),
    declaration: fc.record({ revision: fc.integer({ min: 1, max: 1e9 }), hash: hex64 }, { noNullPrototype: true }),
  },
  { noNullPrototype: true }
);
const secret = fc.string({ minLength: 32, maxLength: 64 });

// ---- mutations: any change at any place of the JSON ---------------------------------------

type Path = Array<string | number>;
type Json = unknown;

/** Every place in a JSON value: the root ([]) and each object property and array item, at any depth. */
function pathsOf(value: Json, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...at, i])));
  else if (value && typeof value === 'object') for (const k of Object.keys(value)) out.push(...pathsOf((value as Record<string, Json>)[k], [...at, k]));
  return out;
}

const get = (value: Json, path: Path): Json => path.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], value);

const setOwn = (target: Record<string, Json>, key: string, value: Json) =>
  // defineProperty: a key such as "__proto__" must become a key, not a prototype
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** The same data with another type: true → "true", 3 → "3", "x" → ["x"], null → 0, {} → [], … */
function retype(value: Json, choice: number): Json {
  const options: Json[] = (() => {
    if (typeof value === 'boolean') return [String(value), Number(value), [value], { value }, null, !value];
    if (typeof value === 'number') return [String(value), [value], value === 0 ? false : true, null, value + 1, -value - 1];
    if (typeof value === 'string') {
      const asNumber = Number(value);
      return [[value], { value }, value === '' ? 0 : Number.isFinite(asNumber) ? asNumber : value.length, null, `${value} `, value.toUpperCase() === value ? `${value}x` : value.toUpperCase()];
    }
    if (value === null) return [0, '', false, 'null', {}, []];
    if (Array.isArray(value)) return [Object.fromEntries(value.map((v, i) => [String(i), v])), null, value.length ? value.slice(1) : [null], [...value].reverse().concat([0])];
    const obj = value as Record<string, Json>;
    return [Object.values(obj), null, Object.keys(obj), JSON.stringify(obj)];
  })();
  return options[choice % options.length];
}

type Mutation =
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'retype'; at: number; choice: number }
  | { kind: 'add'; at: number; key: string; value: Json }
  | { kind: 'remove'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), choice: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    at: fc.nat(),
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('signature', '__proto__', 'hash', 'necessary', 'version', 'extra')),
    value: fc.jsonValue({ maxDepth: 1 }),
  }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() })
);

/** A copy of `receipt` with one mutation applied (a place is picked among all places of the JSON). */
function mutate(receipt: Receipt, m: Mutation): Json {
  const copy = structuredClone(receipt) as Json;
  const all = pathsOf(copy);
  if (m.kind === 'add') {
    // into an object or an array: the root, state, gpc, gpc.refused, policy, …
    const containers = all.filter((p) => { const v = get(copy, p); return v !== null && typeof v === 'object'; });
    const target = get(copy, containers[m.at % containers.length]);
    if (Array.isArray(target)) target.splice(m.key.length % (target.length + 1), 0, m.value);
    else setOwn(target as Record<string, Json>, m.key, m.value);
    return copy;
  }
  const places = all.filter((p) => p.length > 0); // the root itself stays an object
  const path = places[m.at % places.length];
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (m.kind === 'remove') {
    if (Array.isArray(parent)) parent.splice(last as number, 1);
    else delete parent[last];
  } else {
    const next = m.kind === 'replace' ? m.value : retype(parent[last], m.choice);
    if (Array.isArray(parent)) parent[last as number] = next;
    else setOwn(parent, last as string, next);
  }
  return copy;
}

/** Own keys of every object in a new, shuffled (seeded) insertion order, at every depth. */
function reorder(value: Json, seed: number): Json {
  if (Array.isArray(value)) return value.map((v) => reorder(v, seed));
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    let s = seed >>> 0 || 1;
    for (let i = keys.length - 1; i > 0; i -= 1) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const j = s % (i + 1);
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    const out: Record<string, Json> = {};
    for (const k of keys) setOwn(out, k, reorder((value as Record<string, Json>)[k], seed + 1));
    return out;
  }
  return value;
}

// ---- tests --------------------------------------------------------------------------------

describe('signReceipt / receiptIsAuthentic (Ed25519, `kid.signature`)', () => {
  it('signs every field but the signature, and the receipt verifies', () => {
    const receipt = sign(KEY, body());
    expect(receipt).toEqual({ ...body(), signature: expect.stringMatching(SIGNATURE) });
    expect(receipt.signature.slice(0, 16)).toBe(keyOf(KEY).kid);
    expect(unsigned(receipt)).toEqual(body());
    expect(authentic([KEY], receipt)).toBe(true);
  });

  it('a third party checks it with node:crypto and the public key alone: Ed25519 over "privacy-centre:consent-receipt\\n" + the RFC 8785 JSON', () => {
    const receipt = sign(KEY, body());
    const canonical =
      '{"action":"given","consentId":"Xq1Zb9_-Ab3Cd4Ef5Gh6Ij","consentMode":{"ad_personalization":"denied","ad_storage":"denied",' +
      '"ad_user_data":"denied","analytics_storage":"granted","functionality_storage":"denied","personalization_storage":"denied",' +
      `"security_storage":"granted"},"declaration":{"hash":"${'b'.repeat(64)}","revision":2},"expiresAt":"2027-11-23T10:00:00.000Z",` +
      '"givenAt":"2026-11-23T10:00:00.000Z","gpc":{"refused":[],"signal":false},' +
      `"policy":{"hash":"${'a'.repeat(64)}","slug":"privacy-policy","version":3},"previousConsentId":null,` +
      '"state":{"marketing":false,"necessary":true,"preferences":false,"statistics":true},"subjectId":"5b3c9a74-2f1e-4d8a-9c3b-0e7f6a5d4c3b"}';
    expect(canonicalJson(unsigned(receipt))).toBe(canonical);
    const [kid, signature, ...rest] = receipt.signature.split('.');
    expect(rest).toEqual([]);
    expect(kid).toBe(keyOf(KEY).kid);
    // the published JWK is all a third party has: rebuild the key from its `x`
    const x = keyOf(KEY).publicKey.export({ format: 'jwk' }).x as string;
    const published = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    const message = Buffer.from('privacy-centre:consent-receipt\n' + canonical, 'utf8');
    expect(verifySignature(null, message, published, Buffer.from(signature, 'base64url'))).toBe(true);
    // and the check can fail: another text, another key
    expect(verifySignature(null, Buffer.from('privacy-centre:consent-receipt\n' + canonical + ' ', 'utf8'), published, Buffer.from(signature, 'base64url'))).toBe(false);
    expect(verifySignature(null, message, keyOf(OTHER).publicKey, Buffer.from(signature, 'base64url'))).toBe(false);
    // Ed25519 is deterministic: the same body under the same key gives the same signature
    expect(sign(KEY, body()).signature).toBe(receipt.signature);
  });

  it('hands the verifier the purpose, the canonical text, the signature and when the receipt was given (legacy HMACs depend on it)', () => {
    const receipt = sign(KEY, body());
    const calls: unknown[][] = [];
    const spy: ProofVerifier = (...args) => (calls.push(args), true);
    expect(receiptIsAuthentic(spy, receipt)).toBe(true);
    expect(calls).toEqual([['consent-receipt', canonicalJson(body()), receipt.signature, body().givenAt]]);
  });

  it('covers the canonical JSON, not the JSON text in insertion order', () => {
    const b = body();
    const byStringify = signerOf(KEY)(JSON.stringify(b));
    expect(JSON.stringify(b)).not.toBe(canonicalJson(b));
    expect(authentic([KEY], { ...b, signature: byStringify })).toBe(false);
  });

  it('survives a round trip through JSON text (what a browser keeps)', () => {
    const receipt = sign(KEY, body());
    expect(authentic([KEY], JSON.parse(JSON.stringify(receipt)))).toBe(true);
  });

  it('does not depend on key order at any depth (PostgreSQL jsonb reorders keys)', () => {
    fc.assert(
      fc.property(receiptBody, secret, fc.integer(), (b, key, seed) => {
        const receipt = sign(key, b);
        const shuffled = reorder(receipt, seed) as Receipt;
        expect(authentic([key], shuffled)).toBe(true);
        // and signing the reordered body gives the same signature
        expect(sign(key, unsigned(shuffled)).signature).toBe(receipt.signature);
        expect(sign(key, reorder(b, seed + 7) as typeof b).signature).toBe(receipt.signature);
      }),
      runs
    );
  });

  it('refuses ANY change to ANY field: values, nested values, added or removed keys, types', () => {
    const seen = new Set<string>();
    const every = verifierOf([KEY, OLD, OTHER]);
    fc.assert(
      fc.property(receiptBody, secret, mutation, (b, key, m) => {
        const receipt = sign(key, b);
        expect(authentic([key], receipt)).toBe(true);
        const changed = mutate(receipt, m);
        // a change that leaves the same JSON data is no change (e.g. nothing to remove from an empty list)
        fc.pre(canonicalJson(changed) !== canonicalJson(receipt));
        seen.add(m.kind);
        expect(authentic([key], changed as Receipt)).toBe(false);
        expect(receiptIsAuthentic(every, changed as Receipt)).toBe(false);
      }),
      { ...runs, numRuns: runs.numRuns * 3 }
    );
    expect([...seen].sort()).toEqual(['add', 'remove', 'replace', 'retype']);
  });

  it('refuses a change to each field, one by one (named cases)', () => {
    const receipt = sign(KEY, body());
    const cases: Array<[string, (r: any) => void]> = [
      ['consentId', (r) => (r.consentId = 'Yq1Zb9_-Ab3Cd4Ef5Gh6Ij')],
      ['subjectId', (r) => (r.subjectId = r.subjectId.toUpperCase())],
      ['action', (r) => (r.action = 'withdrawn')],
      ['state value', (r) => (r.state.marketing = true)],
      ['state value type', (r) => (r.state.marketing = 'false')],
      ['state key added', (r) => (r.state.ads = false)],
      ['state key removed', (r) => delete r.state.marketing],
      ['state key renamed', (r) => { r.state.marketin = r.state.marketing; delete r.state.marketing; }],
      ['consentMode value', (r) => (r.consentMode.ad_storage = 'granted')],
      ['consentMode key removed', (r) => delete r.consentMode.security_storage],
      ['gpc.signal', (r) => (r.gpc.signal = true)],
      ['gpc.signal type', (r) => (r.gpc.signal = 0)],
      ['gpc.refused item added', (r) => r.gpc.refused.push('marketing')],
      ['gpc.refused becomes an object', (r) => (r.gpc.refused = {})],
      ['givenAt', (r) => (r.givenAt = '2026-11-23T10:00:00.001Z')],
      ['givenAt same instant, other spelling', (r) => (r.givenAt = '2026-11-23T10:00:00Z')],
      ['expiresAt', (r) => (r.expiresAt = '2099-01-01T00:00:00.000Z')],
      ['previousConsentId set', (r) => (r.previousConsentId = 'Xq1Zb9_-Ab3Cd4Ef5Gh6Ij')],
      ['previousConsentId removed', (r) => delete r.previousConsentId],
      ['policy.version', (r) => (r.policy.version = 4)],
      ['policy.version as text', (r) => (r.policy.version = '3')],
      ['policy.hash', (r) => (r.policy.hash = 'c' + r.policy.hash.slice(1))],
      ['policy null', (r) => (r.policy = null)],
      ['policy extra key', (r) => (r.policy.locale = 'en')],
      ['declaration.revision', (r) => (r.declaration.revision = 1)],
      ['declaration.hash case', (r) => (r.declaration.hash = r.declaration.hash.toUpperCase())],
      ['declaration removed', (r) => delete r.declaration],
      ['top-level key added', (r) => (r.note = 'hello')],
      ['top-level key with null added', (r) => (r.note = null)],
      ['unicode lookalike', (r) => (r.subjectId = r.subjectId.replace('a', '\u0430'))],
      ['a number too large to be JSON', (r) => (r.declaration.revision = Number('1e400'))],
      ['a BigInt', (r) => (r.declaration.revision = BigInt(2))],
    ];
    for (const [name, change] of cases) {
      const copy = structuredClone(receipt);
      change(copy);
      expect([name, authentic([KEY], copy)]).toEqual([name, false]);
    }
  });

  it('accepts a receipt signed with a key now retired (still published); refuses keys not published', () => {
    const old = sign(OLD, body());
    expect(authentic([KEY, OLD], old)).toBe(true);
    expect(authentic([KEY, OTHER, OLD], old)).toBe(true);
    expect(authentic([KEY], old)).toBe(false);
    expect(authentic([OTHER], old)).toBe(false);
    expect(authentic([], old)).toBe(false);
    const current = sign(KEY, body());
    expect(authentic([KEY, OLD], current)).toBe(true);
    expect(authentic([OLD], current)).toBe(false);
    // a key made from a prefix or a case change of the key string is another key
    expect(authentic([OLD.slice(0, -1)], old)).toBe(false);
    expect(authentic([OLD.toUpperCase()], old)).toBe(false);
  });

  it('verifies with whichever published key signed, and with no other list (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }), fc.nat(), receiptBody, secret, (keys, i, b, stranger) => {
        const index = i % keys.length;
        const receipt = sign(keys[index], b);
        expect(authentic(keys, receipt)).toBe(true);
        expect(receipt.signature.startsWith(`${keyOf(keys[index]).kid}.`)).toBe(true);
        const others = keys.filter((_, j) => j !== index);
        expect(authentic(others, receipt)).toBe(false);
        fc.pre(!keys.includes(stranger));
        expect(authentic([stranger], receipt)).toBe(false);
      }),
      runs
    );
  });

  it('never takes a signature made for another purpose', () => {
    const publicKeys = publicKeysOf([KEY]);
    fc.assert(
      fc.property(receiptBody, (b) => {
        const text = canonicalJson(b);
        for (const purpose of ['policy-version', 'cookie-declaration', 'newsletter-event', 'evidence-bundle'] as const) {
          const signature = signerOf(KEY, purpose)(text);
          expect(verifyProof(publicKeys, purpose, text, signature)).toBe(true);
          expect(authentic([KEY], { ...b, signature })).toBe(false);
        }
        // and the other way round: a receipt's signature is no policy seal, declaration or bundle
        const receipt = sign(KEY, b);
        expect(verifyProof(publicKeys, 'policy-version', text, receipt.signature)).toBe(false);
        expect(verifyProof(publicKeys, 'cookie-declaration', text, receipt.signature)).toBe(false);
        expect(verifyProof(publicKeys, 'evidence-bundle', text, receipt.signature)).toBe(false);
        expect(verifyProof(publicKeys, 'consent-receipt', text, receipt.signature)).toBe(true);
      }),
      { ...runs, numRuns: Math.ceil(runs.numRuns / 4) }
    );
  });

  it('refuses an HMAC of the receipt (no kid) and any signature by a key that is not published', () => {
    const b = body();
    const hmac = signText(KEY, 'consent-receipt', canonicalJson(b));
    expect(authentic([KEY, OLD, OTHER], { ...b, signature: hmac })).toBe(false);
    // an HMAC-shaped value behind a published kid is no Ed25519 signature either
    expect(authentic([KEY], { ...b, signature: `${keyOf(KEY).kid}.${hmac}` })).toBe(false);
  });

  describe('the kid a signature names', () => {
    const b = body();
    const bytesBy = (name: string) => sign(name, b).signature.slice(17);

    it('refuses a valid signature naming a kid that is not published', () => {
      const stranger = sign(OTHER, b);
      expect(authentic([OTHER], stranger)).toBe(true); // valid for its own key
      expect(authentic([KEY, OLD], stranger)).toBe(false);
    });

    it('refuses a valid signature of one key put under the kid of another published key', () => {
      expect(authentic([KEY, OLD], { ...b, signature: `${keyOf(OLD).kid}.${bytesBy(KEY)}` })).toBe(false);
      expect(authentic([KEY, OLD], { ...b, signature: `${keyOf(KEY).kid}.${bytesBy(OLD)}` })).toBe(false);
      // an attacker's own key, labelled with the site's kid
      expect(authentic([KEY, OLD], { ...b, signature: `${keyOf(KEY).kid}.${bytesBy(OTHER)}` })).toBe(false);
      // and the same bytes under their own kid do verify (so the refusals are about the kid)
      expect(authentic([KEY, OLD], { ...b, signature: `${keyOf(OLD).kid}.${bytesBy(OLD)}` })).toBe(true);
    });

    it.each([
      ['another case', (kid: string) => kid.toUpperCase() === kid ? kid.toLowerCase() : kid.toUpperCase()],
      ['one character fewer', (kid: string) => kid.slice(0, -1)],
      ['one character more', (kid: string) => `${kid}A`],
      ['with a space', (kid: string) => ` ${kid}`],
      ['empty', () => ''],
      ['__proto__', () => '__proto__'],
    ])('refuses a kid written %s', (_name, change) => {
      const kid = keyOf(KEY).kid;
      expect(change(kid)).not.toBe(kid);
      expect(authentic([KEY], { ...b, signature: `${change(kid)}.${bytesBy(KEY)}` })).toBe(false);
    });
  });

  describe('one spelling per signature', () => {
    const receipt = sign(KEY, body());
    const sig = receipt.signature;
    const kid = sig.slice(0, 16);
    const b64 = sig.slice(17);
    const bytes = Buffer.from(b64, 'base64url');
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // the last of 86 characters carries 2 bits of the signature and 4 spare bits, which must be 0
    const last = ALPHABET.indexOf(b64[85]);
    const spareBitsSet = `${kid}.${b64.slice(0, 85)}${ALPHABET[last | 1]}`;
    const standard = (s: string) => s.replace(/-/g, '+').replace(/_/g, '/');

    it('is a 16-character kid, a dot, and 86 characters of base64url without padding', () => {
      expect(sig).toMatch(SIGNATURE);
      expect(sig[16]).toBe('.');
      expect(bytes).toHaveLength(64);
      expect(last & 15).toBe(0);
    });

    it.each([
      ['one = of padding', `${sig}=`],
      ['two = of padding', `${sig}==`],
      ['a trailing space', `${sig} `],
      ['a trailing newline', `${sig}\n`],
      ['a leading space', ` ${sig}`],
      ['a trailing !', `${sig}!`],
      ['a trailing .', `${sig}.`],
      ['a stray character inside', `${kid}.${b64.slice(0, 10)}*${b64.slice(10)}`],
      ['a stray = inside', `${kid}.${b64.slice(0, 20)}=${b64.slice(20)}`],
      ['a second dot inside', `${kid}.${b64.slice(0, 30)}.${b64.slice(30)}`],
      ['the standard alphabet (+ /)', `${kid}.${standard(b64)}`],
      ['the spare bits of the last character set', spareBitsSet],
    ])('refuses %s (same bytes, other spelling)', (_name, spelling) => {
      expect(spelling).not.toBe(sig);
      expect(authentic([KEY], { ...receipt, signature: spelling })).toBe(false);
      expect(verifyProof(publicKeysOf([KEY]), 'consent-receipt', canonicalJson(unsigned(receipt)), spelling)).toBe(false);
    });

    it('those spellings do decode to the same bytes (so the refusals above are about spelling)', () => {
      for (const spelling of [`${b64}=`, `${b64}==`, `${b64}!`, `${b64.slice(0, 10)}*${b64.slice(10)}`, `${b64.slice(0, 30)}.${b64.slice(30)}`, spareBitsSet.slice(17)]) {
        expect(Buffer.from(spelling, 'base64url').equals(bytes)).toBe(true);
      }
      if (standard(b64) !== b64) expect(Buffer.from(standard(b64), 'base64url').equals(bytes)).toBe(true);
    });

    it('uses a signature with - or _ for the alphabet case (so it is not vacuous)', () => {
      for (let n = 1; n < 200; n += 1) {
        const r = sign(KEY, { ...body(), declaration: { revision: n, hash: 'b'.repeat(64) } });
        const part = r.signature.slice(17);
        if (!/[-_]/.test(part)) continue;
        expect(Buffer.from(standard(part), 'base64url').equals(Buffer.from(part, 'base64url'))).toBe(true);
        expect(authentic([KEY], { ...r, signature: `${kid}.${standard(part)}` })).toBe(false);
        expect(authentic([KEY], r)).toBe(true);
        return;
      }
      throw new Error('no signature with - or _ among 200');
    });

    it.each([
      ['empty', ''],
      ['the kid alone', kid],
      ['the kid and a dot', `${kid}.`],
      ['the signature without its kid', b64],
      ['the signature after a bare dot', `.${b64}`],
      ['truncated by one character', sig.slice(0, -1)],
      ['truncated by two characters', sig.slice(0, -2)],
      ['truncated to 63 bytes', `${kid}.${bytes.subarray(0, 63).toString('base64url')}`],
      ['extended by one character', `${sig}A`],
      ['extended by one byte', `${kid}.${Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')}`],
      ['hex of the same bytes', `${kid}.${bytes.toString('hex')}`],
      ['standard base64 with padding', `${kid}.${bytes.toString('base64')}`],
      ['over 128 characters', `${sig}${'A'.repeat(26)}`],
      ['twice', `${sig}${sig}`],
      ['all zero bytes', `${kid}.${Buffer.alloc(64).toString('base64url')}`],
      ['a number', 123],
      ['null', null],
      ['a list', [sig]],
      ['a Buffer', Buffer.from(sig)],
      ['an object', { signature: sig }],
      ['missing', undefined],
    ])('refuses a signature that is %s', (_name, signature) => {
      expect(authentic([KEY], { ...receipt, signature } as unknown as Receipt)).toBe(false);
    });

    it('refuses every string but the exact signature (property)', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 130 }),
            fc.stringMatching(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_=+/-]{84,88}$/),
            fc.stringMatching(/^[A-Za-z0-9_=+/-]{84,88}$/).map((s) => `${kid}.${s}`),
            fc.tuple(fc.nat({ max: sig.length }), fc.string({ minLength: 1, maxLength: 3 })).map(([i, junk]) => sig.slice(0, i) + junk + sig.slice(i)),
            fc.tuple(fc.nat({ max: sig.length - 1 }), fc.constantFrom(...ALPHABET, '.')).map(([i, c]) => sig.slice(0, i) + c + sig.slice(i + 1)),
            fc.nat({ max: sig.length - 1 }).map((i) => sig.slice(0, i) + sig.slice(i + 1))
          ),
          (signature) => {
            fc.pre(signature !== sig);
            expect(authentic([KEY], { ...receipt, signature })).toBe(false);
          }
        ),
        { ...runs, numRuns: runs.numRuns * 2 }
      );
    });
  });

  it('never throws, whatever it is given', () => {
    const verify = verifierOf([KEY]);
    for (const value of [null, undefined, 1, 'receipt', [], {}, { signature: 'x' }, { signature: `${keyOf(KEY).kid}.x` }, Object.create(null)]) {
      expect(receiptIsAuthentic(verify, value as unknown as Receipt)).toBe(false);
    }
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withBoxedValues: true, withNullPrototype: true, withMap: true }), (value) => {
        expect(receiptIsAuthentic(verify, value as Receipt)).toBe(false);
      }),
      runs
    );
  });
});

describe('newsletter events', () => {
  const row = (): NewsletterEventFields => ({
    consentId: 'Nq1Zb9_-Ab3Cd4Ef5Gh6Ij',
    action: 'given',
    subjectRef: 'h'.repeat(43),
    subjectId: '5b3c9a74-2f1e-4d8a-9c3b-0e7f6a5d4c3b',
    state: { newsletter: true },
    policySlug: 'privacy-policy',
    policyVersion: 3,
    policyHash: 'a'.repeat(64),
    language: 'fi',
    via: 'link',
    givenAt: '2026-11-23T10:00:00.000Z',
    evidence: {
      list: 'news',
      method: 'double-opt-in',
      ipPrefix: '192.0.2.0/24',
      userAgent: 'Mozilla/5.0',
      message: { messageId: '<m1@example.org>', sha256: 'c'.repeat(64), text: 'Confirm your subscription' },
    },
  });
  const signed = (r: NewsletterEventFields, name = KEY) => ({ ...r, signature: signerOf(name, 'newsletter-event')(canonicalJson(newsletterEventProof(r))) });
  const check = (r: NewsletterEventFields & { signature: string | null }, names = [KEY], signedSince: string | null = null) =>
    newsletterEventIsAuthentic(verifierOf(names), r, signedSince);

  it('a signed event verifies with the published key, by a third party too', () => {
    const event = signed(row());
    expect(event.signature).toMatch(SIGNATURE);
    expect(check(event)).toBe(true);
    expect(check(event, [OLD])).toBe(false);
    const message = Buffer.from(`privacy-centre:newsletter-event\n${canonicalJson(newsletterEventProof(event))}`, 'utf8');
    expect(verifySignature(null, message, keyOf(KEY).publicKey, Buffer.from(event.signature.slice(17), 'base64url'))).toBe(true);
  });

  it.each<[string, (r: any) => void]>([
    ['consentId', (r) => (r.consentId = 'Xq1Zb9_-Ab3Cd4Ef5Gh6Ij')],
    ['action', (r) => (r.action = 'withdrawn')],
    ['subjectRef (who gave the double opt-in)', (r) => (r.subjectRef = 'i'.repeat(43))],
    ['subjectId', (r) => (r.subjectId = null)],
    ['state', (r) => (r.state.newsletter = false)],
    ['policy version', (r) => (r.policyVersion = 2)],
    ['policy hash', (r) => (r.policyHash = 'd'.repeat(64))],
    ['language', (r) => (r.language = 'et')],
    ['via', (r) => (r.via = 'admin')],
    ['givenAt', (r) => (r.givenAt = '2026-11-23T10:00:00.001Z')],
    ['the list', (r) => (r.evidence.list = 'offers')],
    ['the method', (r) => (r.evidence.method = 'single-opt-in')],
    ["the message's Message-ID", (r) => (r.evidence.message.messageId = '<m2@example.org>')],
    ["the message's SHA-256", (r) => (r.evidence.message.sha256 = 'e'.repeat(64))],
    ['the message removed', (r) => delete r.evidence.message],
  ])('refuses a change of %s', (_name, change) => {
    const event = signed(row());
    const copy = structuredClone(event);
    change(copy);
    expect(check(copy)).toBe(false);
  });

  it('still verifies after an erasure removed the IP prefix, user agent and message text (not covered)', () => {
    const event = signed(row());
    const erased = structuredClone(event);
    delete erased.evidence!.ipPrefix;
    delete erased.evidence!.userAgent;
    delete erased.evidence!.message.text;
    expect(check(erased)).toBe(true);
  });

  it('refuses a signature made for another purpose over the same fields', () => {
    const r = row();
    const signature = signerOf(KEY, 'consent-receipt')(canonicalJson(newsletterEventProof(r)));
    expect(check({ ...r, signature })).toBe(false);
  });

  it('an unsigned event is "unsigned" only if recorded before events were signed', () => {
    const r = { ...row(), signature: null };
    expect(check(r, [KEY], '2026-11-23T10:00:00.000Z')).toBe('unsigned');
    expect(check(r, [KEY], '2026-11-24T00:00:00.000Z')).toBe('unsigned');
    expect(check(r, [KEY], '2026-11-23T09:59:59.999Z')).toBe(false);
    expect(check(r, [KEY], null)).toBe(false);
  });

  it('hands the verifier when the event was recorded (legacy HMACs depend on it) and never throws', () => {
    const event = signed(row());
    const calls: unknown[][] = [];
    expect(newsletterEventIsAuthentic((...args) => (calls.push(args), true), event, null)).toBe(true);
    expect(calls).toEqual([['newsletter-event', canonicalJson(newsletterEventProof(event)), event.signature, event.givenAt]]);
    expect(check({ ...row(), state: { n: BigInt(1) } as any, signature: event.signature })).toBe(false);
  });
});

// Link tokens and keyed pseudonyms stay HMACs: checked only by the server, never published.
describe('HMAC primitives: signText / verifyText / signJson / verifyJson', () => {
  const text = canonicalJson(body());

  it('is HMAC-SHA256 (base64url) of "privacy-centre:<purpose>\\n" + the text', () => {
    const expected = createHmac('sha256', KEY).update(`privacy-centre:consent-receipt\n${text}`, 'utf8').digest('base64url');
    expect(signText(KEY, 'consent-receipt', text)).toBe(expected);
    expect(signJson(KEY, 'consent-receipt', body())).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signJson covers the canonical JSON, not the JSON text in insertion order', () => {
    const b = body();
    expect(verifyJson([KEY], 'consent-receipt', b, signText(KEY, 'consent-receipt', JSON.stringify(b)))).toBe(-1);
    expect(verifyJson([KEY], 'consent-receipt', reorder(b, 3), signJson(KEY, 'consent-receipt', b))).toBe(0);
  });

  it('verifyText answers the index of the key that signed, or -1', () => {
    const old = signText(OLD, 'newsletter-unsubscribe', text);
    expect(verifyText([KEY, OLD], 'newsletter-unsubscribe', text, old)).toBe(1);
    expect(verifyText([KEY, OTHER, OLD], 'newsletter-unsubscribe', text, old)).toBe(2);
    expect(verifyText([KEY], 'newsletter-unsubscribe', text, old)).toBe(-1);
    expect(verifyText([], 'newsletter-unsubscribe', text, old)).toBe(-1);
    // keys are compared exactly: a prefix or a case change of the key is another key
    expect(verifyText([OLD.slice(0, -1)], 'newsletter-unsubscribe', text, old)).toBe(-1);
    expect(verifyText([OLD.toUpperCase()], 'newsletter-unsubscribe', text, old)).toBe(-1);
    expect(verifyJson([KEY, OTHER, OLD], 'consent-receipt', body(), signJson(OLD, 'consent-receipt', body()))).toBe(2);
  });

  it('verifies with whichever key of the list signed, and with no other list (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }), fc.nat(), fc.string(), secret, (keys, i, t, stranger) => {
        const index = i % keys.length;
        const signature = signText(keys[index], 'newsletter-confirm', t);
        expect(verifyText(keys, 'newsletter-confirm', t, signature)).toBe(index);
        expect(verifyText(keys.filter((_, j) => j !== index), 'newsletter-confirm', t, signature)).toBe(-1);
        expect(verifyText(keys, 'newsletter-confirm', `${t} `, signature)).toBe(-1);
        fc.pre(!keys.includes(stranger));
        expect(verifyText([stranger], 'newsletter-confirm', t, signature)).toBe(-1);
      }),
      runs
    );
  });

  it('never takes a signature made for another purpose', () => {
    const purposes: Purpose[] = ['newsletter-confirm', 'newsletter-unsubscribe', 'newsletter-address', 'subject-request', 'consent-receipt'];
    fc.assert(
      fc.property(fc.string(), secret, (t, key) => {
        for (const made of purposes) {
          const signature = signText(key, made, t);
          for (const checked of purposes) expect(verifyText([key], checked, t, signature)).toBe(made === checked ? 0 : -1);
        }
      }),
      { ...runs, numRuns: Math.ceil(runs.numRuns / 4) }
    );
  });

  it('refuses an Ed25519 proof signature', () => {
    expect(verifyText([KEY], 'consent-receipt', text, sign(KEY, body()).signature)).toBe(-1);
  });

  describe('one spelling per signature', () => {
    // a text whose signature has - or _, so that the standard alphabet spells it otherwise
    const signed = Array.from({ length: 200 }, (_, n) => `${text}${n}`).find((t) => /[-_]/.test(signText(KEY, 'newsletter-unsubscribe', t)))!;
    const sig = signText(KEY, 'newsletter-unsubscribe', signed);
    const bytes = Buffer.from(sig, 'base64url');
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // the last of 43 characters carries 4 bits of the hash and 2 spare bits, which must be 0
    const last = ALPHABET.indexOf(sig[42]);
    const spareBitsSet = sig.slice(0, 42) + ALPHABET[last | 1];
    const verifies = (signature: unknown) => verifyText([KEY], 'newsletter-unsubscribe', signed, signature);

    it('is 43 characters of base64url without padding', () => {
      expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(bytes).toHaveLength(32);
      expect(last & 3).toBe(0);
      expect(verifies(sig)).toBe(0);
    });

    it.each([
      ['one = of padding', `${sig}=`],
      ['two = of padding', `${sig}==`],
      ['a trailing space', `${sig} `],
      ['a trailing newline', `${sig}\n`],
      ['a leading space', ` ${sig}`],
      ['a trailing !', `${sig}!`],
      ['a trailing .', `${sig}.`],
      ['a stray character inside', `${sig.slice(0, 10)}*${sig.slice(10)}`],
      ['a stray = inside', `${sig.slice(0, 20)}=${sig.slice(20)}`],
      ['the standard alphabet (+ /)', sig.replace(/-/g, '+').replace(/_/g, '/')],
      ['the spare bits of the last character set', spareBitsSet],
    ])('refuses %s (same bytes, other spelling)', (_name, spelling) => {
      expect(spelling).not.toBe(sig);
      expect(verifies(spelling)).toBe(-1);
    });

    it('those spellings do decode to the same bytes (so the refusals above are about spelling)', () => {
      for (const spelling of [`${sig}=`, `${sig}==`, `${sig}!`, `${sig.slice(0, 10)}*${sig.slice(10)}`, spareBitsSet]) {
        expect(Buffer.from(spelling, 'base64url').equals(bytes)).toBe(true);
      }
    });

    it('uses a signature with - or _ for the alphabet case (so it is not vacuous)', () => {
      for (let n = 1; n < 200; n += 1) {
        const s = signText(KEY, 'newsletter-unsubscribe', `${text}${n}`);
        if (!/[-_]/.test(s)) continue;
        const standard = s.replace(/-/g, '+').replace(/_/g, '/');
        expect(Buffer.from(standard, 'base64url').equals(Buffer.from(s, 'base64url'))).toBe(true);
        expect(verifyText([KEY], 'newsletter-unsubscribe', `${text}${n}`, standard)).toBe(-1);
        expect(verifyText([KEY], 'newsletter-unsubscribe', `${text}${n}`, s)).toBe(0);
        return;
      }
      throw new Error('no signature with - or _ among 200');
    });

    it.each([
      ['empty', ''],
      ['truncated', sig.slice(0, 42)],
      ['one more character', `${sig}A`],
      ['hex of the same bytes', bytes.toString('hex')],
      ['standard base64 with padding', bytes.toString('base64')],
      ['over 128 characters', sig + 'A'.repeat(90)],
      ['twice', sig + sig],
      ['a number', 123],
      ['null', null],
      ['a list', [sig]],
      ['a Buffer', bytes],
      ['an object', { signature: sig }],
      ['missing', undefined],
    ])('refuses a signature that is %s', (_name, signature) => {
      expect(verifies(signature)).toBe(-1);
    });

    it('refuses every string but the exact signature (property)', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 50 }),
            fc.stringMatching(/^[A-Za-z0-9_=+/-]{42,45}$/),
            fc.tuple(fc.nat({ max: 43 }), fc.string({ minLength: 1, maxLength: 3 })).map(([i, junk]) => sig.slice(0, i) + junk + sig.slice(i)),
            fc.tuple(fc.nat({ max: 42 }), fc.constantFrom(...ALPHABET)).map(([i, c]) => sig.slice(0, i) + c + sig.slice(i + 1))
          ),
          (signature) => {
            fc.pre(signature !== sig);
            expect(verifies(signature)).toBe(-1);
          }
        ),
        { ...runs, numRuns: runs.numRuns * 2 }
      );
    });
  });
});
