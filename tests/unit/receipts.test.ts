import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { receiptIsAuthentic, signReceipt, unsigned } from '../../server/src/consent/receipt';
import type { Receipt } from '../../server/src/consent/types';
import { CONSENT_MODE_SIGNALS } from '../../server/src/cookies/types';
import { canonicalJson } from '../../server/src/policy/canonical';
import { signJson, signText, verifyJson, verifyText } from '../../server/src/signing';

const runs = { numRuns: Number(process.env.FC_RUNS || 400) };

const KEY = 'k'.repeat(32) + '-current-secret';
const OLD = 'o'.repeat(32) + '-previous-secret';
const OTHER = 'x'.repeat(32) + '-someone-elses-secret';

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

describe('signReceipt / receiptIsAuthentic', () => {
  it('signs every field but the signature, and the receipt verifies', () => {
    const receipt = signReceipt(KEY, body());
    expect(receipt).toEqual({ ...body(), signature: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(unsigned(receipt)).toEqual(body());
    expect(receiptIsAuthentic([KEY], receipt)).toBe(true);
  });

  it('is HMAC-SHA256 (base64url) of "privacy-centre:consent-receipt\\n" + the RFC 8785 JSON of the other fields', () => {
    const receipt = signReceipt(KEY, body());
    const canonical =
      '{"action":"given","consentId":"Xq1Zb9_-Ab3Cd4Ef5Gh6Ij","consentMode":{"ad_personalization":"denied","ad_storage":"denied",' +
      '"ad_user_data":"denied","analytics_storage":"granted","functionality_storage":"denied","personalization_storage":"denied",' +
      `"security_storage":"granted"},"declaration":{"hash":"${'b'.repeat(64)}","revision":2},"expiresAt":"2027-11-23T10:00:00.000Z",` +
      '"givenAt":"2026-11-23T10:00:00.000Z","gpc":{"refused":[],"signal":false},' +
      `"policy":{"hash":"${'a'.repeat(64)}","slug":"privacy-policy","version":3},"previousConsentId":null,` +
      '"state":{"marketing":false,"necessary":true,"preferences":false,"statistics":true},"subjectId":"5b3c9a74-2f1e-4d8a-9c3b-0e7f6a5d4c3b"}';
    expect(canonicalJson(unsigned(receipt))).toBe(canonical);
    const expected = createHmac('sha256', KEY).update(`privacy-centre:consent-receipt\n${canonical}`, 'utf8').digest('base64url');
    expect(receipt.signature).toBe(expected);
  });

  it('covers the canonical JSON, not the JSON text in insertion order', () => {
    const b = body();
    const byStringify = signText(KEY, 'consent-receipt', JSON.stringify(b));
    expect(JSON.stringify(b)).not.toBe(canonicalJson(b));
    expect(receiptIsAuthentic([KEY], { ...b, signature: byStringify })).toBe(false);
  });

  it('survives a round trip through JSON text (what a browser keeps)', () => {
    const receipt = signReceipt(KEY, body());
    expect(receiptIsAuthentic([KEY], JSON.parse(JSON.stringify(receipt)))).toBe(true);
  });

  it('does not depend on key order at any depth (PostgreSQL jsonb reorders keys)', () => {
    fc.assert(
      fc.property(receiptBody, secret, fc.integer(), (b, key, seed) => {
        const receipt = signReceipt(key, b);
        const shuffled = reorder(receipt, seed) as Receipt;
        expect(receiptIsAuthentic([key], shuffled)).toBe(true);
        // and signing the reordered body gives the same signature
        expect(signReceipt(key, unsigned(shuffled)).signature).toBe(receipt.signature);
        expect(signReceipt(key, reorder(b, seed + 7) as typeof b).signature).toBe(receipt.signature);
      }),
      runs
    );
  });

  it('refuses ANY change to ANY field: values, nested values, added or removed keys, types', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(receiptBody, secret, mutation, (b, key, m) => {
        const receipt = signReceipt(key, b);
        expect(receiptIsAuthentic([key], receipt)).toBe(true);
        const changed = mutate(receipt, m);
        // a change that leaves the same JSON data is no change (e.g. nothing to remove from an empty list)
        fc.pre(canonicalJson(changed) !== canonicalJson(receipt));
        seen.add(m.kind);
        expect(receiptIsAuthentic([key], changed as Receipt)).toBe(false);
        expect(receiptIsAuthentic([key, OLD, OTHER], changed as Receipt)).toBe(false);
      }),
      { ...runs, numRuns: runs.numRuns * 3 }
    );
    expect([...seen].sort()).toEqual(['add', 'remove', 'replace', 'retype']);
  });

  it('refuses a change to each field, one by one (named cases)', () => {
    const receipt = signReceipt(KEY, body());
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
      expect([name, receiptIsAuthentic([KEY], copy)]).toEqual([name, false]);
    }
  });

  it('accepts a receipt signed with a key now among the previous keys; refuses unknown keys', () => {
    const old = signReceipt(OLD, body());
    expect(receiptIsAuthentic([KEY, OLD], old)).toBe(true);
    expect(receiptIsAuthentic([KEY, OTHER, OLD], old)).toBe(true);
    expect(receiptIsAuthentic([KEY], old)).toBe(false);
    expect(receiptIsAuthentic([OTHER], old)).toBe(false);
    expect(receiptIsAuthentic([], old)).toBe(false);
    const current = signReceipt(KEY, body());
    expect(receiptIsAuthentic([KEY, OLD], current)).toBe(true);
    expect(receiptIsAuthentic([OLD], current)).toBe(false);
    // keys are compared exactly: a prefix or a case change of the secret is another key
    expect(receiptIsAuthentic([OLD.slice(0, -1)], old)).toBe(false);
    expect(receiptIsAuthentic([OLD.toUpperCase()], old)).toBe(false);
    expect(verifyJson([KEY, OTHER, OLD], 'consent-receipt', unsigned(old), old.signature)).toBe(2);
  });

  it('verifies with whichever key of the list signed, and with no other list (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(secret, { minLength: 1, maxLength: 4 }), fc.nat(), receiptBody, secret, (keys, i, b, stranger) => {
        const index = i % keys.length;
        const receipt = signReceipt(keys[index], b);
        expect(receiptIsAuthentic(keys, receipt)).toBe(true);
        expect(verifyJson(keys, 'consent-receipt', unsigned(receipt), receipt.signature)).toBe(index);
        const others = keys.filter((_, j) => j !== index);
        expect(receiptIsAuthentic(others, receipt)).toBe(false);
        fc.pre(!keys.includes(stranger));
        expect(receiptIsAuthentic([stranger], receipt)).toBe(false);
      }),
      runs
    );
  });

  it('never takes a signature made for another purpose', () => {
    fc.assert(
      fc.property(receiptBody, secret, (b, key) => {
        const text = canonicalJson(b);
        for (const purpose of ['policy-version', 'cookie-declaration'] as const) {
          const signature = signText(key, purpose, text);
          expect(receiptIsAuthentic([key], { ...b, signature })).toBe(false);
          expect(signJson(key, purpose, b)).toBe(signature);
        }
        // and the other way round: a receipt's signature is no policy seal
        const receipt = signReceipt(key, b);
        expect(verifyJson([key], 'policy-version', b, receipt.signature)).toBe(-1);
        expect(verifyJson([key], 'cookie-declaration', b, receipt.signature)).toBe(-1);
        expect(verifyJson([key], 'consent-receipt', b, receipt.signature)).toBe(0);
      }),
      runs
    );
  });

  describe('one spelling per signature', () => {
    const receipt = signReceipt(KEY, body());
    const sig = receipt.signature;
    const bytes = Buffer.from(sig, 'base64url');
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // the last of 43 characters carries 4 bits of the hash and 2 spare bits, which must be 0
    const last = ALPHABET.indexOf(sig[42]);
    const spareBitsSet = sig.slice(0, 42) + ALPHABET[last | 1];

    it('is 43 characters of base64url without padding', () => {
      expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(bytes).toHaveLength(32);
      expect(last & 3).toBe(0);
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
      expect(receiptIsAuthentic([KEY], { ...receipt, signature: spelling })).toBe(false);
      expect(verifyText([KEY], 'consent-receipt', canonicalJson(unsigned(receipt)), spelling)).toBe(-1);
    });

    it('those spellings do decode to the same bytes (so the refusals above are about spelling)', () => {
      for (const spelling of [`${sig}=`, `${sig}==`, `${sig}!`, `${sig.slice(0, 10)}*${sig.slice(10)}`, spareBitsSet]) {
        expect(Buffer.from(spelling, 'base64url').equals(bytes)).toBe(true);
      }
      const standard = sig.replace(/-/g, '+').replace(/_/g, '/');
      if (standard !== sig) expect(Buffer.from(standard, 'base64url').equals(bytes)).toBe(true);
    });

    it('uses a signature with - or _ for the alphabet case (so it is not vacuous)', () => {
      // find a body whose signature has them, and check the standard alphabet is refused there
      for (let n = 1; n < 200; n += 1) {
        const r = signReceipt(KEY, { ...body(), declaration: { revision: n, hash: 'b'.repeat(64) } });
        if (!/[-_]/.test(r.signature)) continue;
        const standard = r.signature.replace(/-/g, '+').replace(/_/g, '/');
        expect(Buffer.from(standard, 'base64url').equals(Buffer.from(r.signature, 'base64url'))).toBe(true);
        expect(receiptIsAuthentic([KEY], { ...r, signature: standard })).toBe(false);
        expect(receiptIsAuthentic([KEY], r)).toBe(true);
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
      expect(receiptIsAuthentic([KEY], { ...receipt, signature } as unknown as Receipt)).toBe(false);
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
            expect(receiptIsAuthentic([KEY], { ...receipt, signature })).toBe(false);
          }
        ),
        { ...runs, numRuns: runs.numRuns * 2 }
      );
    });
  });

  it('never throws, whatever it is given', () => {
    for (const value of [null, undefined, 1, 'receipt', [], {}, { signature: 'x' }, Object.create(null)]) {
      expect(receiptIsAuthentic([KEY], value as unknown as Receipt)).toBe(false);
    }
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withBoxedValues: true, withNullPrototype: true, withMap: true }), (value) => {
        expect(receiptIsAuthentic([KEY], value as Receipt)).toBe(false);
      }),
      runs
    );
  });
});
