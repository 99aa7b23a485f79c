import fc from 'fast-check';
import { ConsentInputError, parseConsentInput, SUBJECT_ID_PATTERN, CONSENT_ID_PATTERN } from '../../server/src/consent/input';
import { CATEGORY_KEY_PATTERN } from '../../server/src/cookies/validation';

const runs = { numRuns: Number(process.env.FC_RUNS || 400) };

/** The problems parseConsentInput lists for a body it refuses (fails the test if it accepts it). */
function problemsOf(body: unknown): string[] {
  try {
    parseConsentInput(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ConsentInputError);
    const problems = (error as ConsentInputError).problems;
    expect((error as Error).message).toBe(problems.join('; '));
    expect(problems.length).toBeGreaterThan(0);
    return problems;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

const SUBJECT = '5b3c9a74-2f1e-4d8a-9c3b-0e7f6a5d4c3b'; // cookieconsent's consentId is a UUID
const CONSENT_ID = 'Xq1Zb9_-Ab3Cd4Ef5Gh6Ij'; // 22 base64url characters
const plugin = (extra: Record<string, unknown> = {}) => ({ state: { necessary: true, analytics: false }, ...extra });
const cc = (extra: Record<string, unknown> = {}) => ({
  consentId: SUBJECT,
  revision: 2,
  acceptType: 'custom',
  acceptedCategories: ['necessary', 'analytics'],
  rejectedCategories: ['marketing'],
  languageCode: 'en',
  consentTimestamp: '2026-11-23T10:00:00.000Z',
  lastConsentTimestamp: '2026-11-23T10:00:00.000Z',
  ...extra,
});

describe('parseConsentInput: the plugin shape', () => {
  it('reads a minimal decision', () => {
    expect(parseConsentInput({ state: { necessary: true, analytics: false } })).toEqual({
      via: 'plugin',
      choices: { necessary: true, analytics: false },
    });
  });

  it('reads every optional field', () => {
    expect(
      parseConsentInput({
        state: { necessary: true, 'ads_2-x': false },
        declarationRevision: 3,
        policy: { slug: 'privacy-policy', version: 4 },
        source: 'https://www.example.com/page?q=1#top',
        locale: 'pt-BR',
        subjectId: SUBJECT,
        previousConsentId: CONSENT_ID,
        requestId: 'req.1:a_b-c',
      })
    ).toEqual({
      via: 'plugin',
      choices: { necessary: true, 'ads_2-x': false },
      declarationRevision: 3,
      policy: { slug: 'privacy-policy', version: 4 },
      source: 'https://www.example.com/page?q=1#top',
      language: 'pt-BR',
      subjectId: SUBJECT,
      previousConsentId: CONSENT_ID,
      requestId: 'req.1:a_b-c',
    });
  });

  it('accepts an empty state (the server decides what is missing)', () => {
    expect(parseConsentInput({ state: {} })).toEqual({ via: 'plugin', choices: {} });
  });

  it('needs state, as an object', () => {
    for (const state of [undefined, null, [], 'necessary', 1, true, [['necessary', true]]]) {
      expect(problemsOf({ state })).toEqual(['state is required: an object of category key → true or false']);
    }
    expect(problemsOf({})).toEqual(['state is required: an object of category key → true or false']);
  });

  it('needs true or false for every category', () => {
    for (const granted of [1, 0, 'true', null, {}, []]) {
      expect(problemsOf({ state: { analytics: granted } })).toEqual(['state.analytics must be true or false']);
    }
  });

  it('refuses keys that are not category keys, quoting them', () => {
    for (const key of ['Analytics', '1st', '_ga', '-x', 'a b', 'a.b', 'ä', '', 'a'.repeat(65), '__proto__', 'a\u0000']) {
      expect(problemsOf({ state: { [key]: true } })).toEqual([`state holds ${JSON.stringify(key)}, which is not a category key`]);
    }
    // a long key is quoted, cut to 70 characters
    const long = 'A'.repeat(200);
    expect(problemsOf({ state: { [long]: true } })).toEqual([`state holds ${JSON.stringify(long).slice(0, 70)}, which is not a category key`]);
    // the longest key that is one
    expect(parseConsentInput({ state: { ['a'.repeat(64)]: true } }).choices).toEqual({ ['a'.repeat(64)]: true });
  });

  it('reads an own __proto__ key (JSON.parse makes one) as a bad key, never as a prototype', () => {
    const problems = problemsOf('{"state":{"__proto__":{"analytics":true},"ok":true}}');
    expect(problems).toEqual(['state holds "__proto__", which is not a category key']);
    expect(problemsOf('{"state":{"ok":true},"__proto__":{"x":1}}')).toEqual(['unknown field: __proto__']);
  });

  it('takes category keys that name Object.prototype members as ordinary keys', () => {
    const decision = parseConsentInput({ state: { constructor: true, tostring: false } });
    expect(decision.choices).toEqual({ constructor: true, tostring: false });
    expect(Object.getPrototypeOf(decision.choices)).toBe(Object.prototype);
  });

  it('allows at most 50 categories', () => {
    const state = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, i % 2 === 0]));
    expect(Object.keys(parseConsentInput({ state: state(50) }).choices)).toHaveLength(50);
    expect(problemsOf({ state: state(51) })).toEqual(['state names more than 50 categories']);
    // past the limit, only the first 50 are looked at: a bad 51st key is not reported
    expect(problemsOf({ state: { ...state(50), BAD: 'x' } })).toEqual(['state names more than 50 categories']);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      state: { Bad: true, analytics: 'yes' },
      declarationRevision: 0,
      locale: 'EN',
      subjectId: 'short',
      previousConsentId: 'nope',
      requestId: 'a b',
      policy: { slug: 'Privacy Policy' },
      source: 'ftp://example.com/',
      extra: 1,
    });
    expect(problems).toEqual([
      'unknown field: extra',
      'state holds "Bad", which is not a category key',
      'state.analytics must be true or false',
      'declarationRevision must be a positive whole number',
      'locale must be a locale code such as "en" or "fi"',
      'subjectId must be 8–64 letters, digits, _ or -',
      'policy must be { slug, version? } with a policy slug such as "privacy-policy"',
      'source must be an absolute http(s) URL of at most 2048 characters',
      'previousConsentId must be the consentId of an earlier receipt',
      'requestId must be 1–64 letters, digits, _, -, . or :',
    ]);
  });

  it('names unknown fields, at most five of them', () => {
    expect(problemsOf(plugin({ foo: 1 }))).toEqual(['unknown field: foo']);
    expect(problemsOf(plugin({ a: 1, b: 2 }))).toEqual(['unknown fields: a, b']);
    expect(problemsOf(plugin({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 }))).toEqual(['unknown fields: a, b, c, d, e']);
    // fields of the other shape are unknown here
    expect(problemsOf(plugin({ consentId: SUBJECT, revision: 1, languageCode: 'en' }))).toEqual([
      'unknown fields: consentId, revision, languageCode',
    ]);
    // an undefined-valued unknown key is still a key the client sent
    expect(problemsOf(plugin({ foo: undefined }))).toEqual(['unknown field: foo']);
  });

  it('checks declarationRevision: a positive whole number up to 1e9', () => {
    for (const ok of [1, 2, 1e9]) expect(parseConsentInput(plugin({ declarationRevision: ok })).declarationRevision).toBe(ok);
    for (const bad of [0, -1, 1.5, 1e9 + 1, '1', null, true, NaN, Infinity, [1]]) {
      expect(problemsOf(plugin({ declarationRevision: bad }))).toEqual(['declarationRevision must be a positive whole number']);
    }
  });

  it('checks locale', () => {
    for (const ok of ['en', 'fi', 'pt-BR', 'zh-Hans', 'fil', `en-${'x'.repeat(8)}`]) {
      expect(parseConsentInput(plugin({ locale: ok })).language).toBe(ok);
    }
    const tooLong = `en${'-abcdefgh'.repeat(4)}`; // 38 characters, each part valid
    for (const bad of ['EN', 'e', 'english', 'en_US', 'en-', '-en', 'en-abcdefghi', ' en', 'en\n', tooLong, 1, null, ['en']]) {
      expect(problemsOf(plugin({ locale: bad }))).toEqual(['locale must be a locale code such as "en" or "fi"']);
    }
  });

  it('checks subjectId: 8–64 of A-Z a-z 0-9 _ -', () => {
    for (const ok of ['abcdefgh', SUBJECT, 'A'.repeat(64), '_-_-_-_-']) expect(parseConsentInput(plugin({ subjectId: ok })).subjectId).toBe(ok);
    for (const bad of ['abcdefg', 'A'.repeat(65), 'abcd efgh', 'abcdefgh=', 'abcdefg.h', 'äbcdefgh', 12345678, null, '']) {
      expect(problemsOf(plugin({ subjectId: bad }))).toEqual(['subjectId must be 8–64 letters, digits, _ or -']);
    }
    expect(SUBJECT_ID_PATTERN.test(SUBJECT)).toBe(true);
  });

  it('checks previousConsentId: exactly 22 base64url characters', () => {
    expect(parseConsentInput(plugin({ previousConsentId: CONSENT_ID, subjectId: SUBJECT })).previousConsentId).toBe(CONSENT_ID);
    for (const bad of [CONSENT_ID.slice(1), `${CONSENT_ID}A`, `${CONSENT_ID.slice(1)}=`, `${CONSENT_ID.slice(1)}+`, null, 1, '']) {
      expect(problemsOf(plugin({ previousConsentId: bad, subjectId: SUBJECT }))).toEqual(['previousConsentId must be the consentId of an earlier receipt']);
    }
    // Only the browser continues its chain: a consentId alone would get a receipt naming its subjectId.
    expect(problemsOf(plugin({ previousConsentId: CONSENT_ID }))).toEqual([
      'previousConsentId needs the subjectId of its receipt: only the browser that holds the receipt continues it',
    ]);
    expect(CONSENT_ID_PATTERN.test(CONSENT_ID)).toBe(true);
  });

  it('checks requestId: 1–64 of A-Z a-z 0-9 _ - . :, and only with a subjectId', () => {
    for (const ok of ['1', 'a.b:c_d-e', 'x'.repeat(64)]) {
      expect(parseConsentInput(plugin({ subjectId: SUBJECT, requestId: ok })).requestId).toBe(ok);
    }
    for (const bad of ['', 'x'.repeat(65), 'a b', 'a/b', 'a#b', 7, null]) {
      expect(problemsOf(plugin({ subjectId: SUBJECT, requestId: bad }))).toEqual(['requestId must be 1–64 letters, digits, _, -, . or :']);
    }
    expect(problemsOf(plugin({ requestId: 'r1' }))).toEqual(['requestId needs a subjectId: a retry is recognised by the two together']);
    // a subjectId that is refused does not count
    expect(problemsOf(plugin({ subjectId: 'bad', requestId: 'r1' }))).toEqual([
      'subjectId must be 8–64 letters, digits, _ or -',
      'requestId needs a subjectId: a retry is recognised by the two together',
    ]);
  });

  it('checks policy: { slug, version? }', () => {
    expect(parseConsentInput(plugin({ policy: { slug: 'privacy-policy' } })).policy).toEqual({ slug: 'privacy-policy' });
    expect(parseConsentInput(plugin({ policy: { slug: 'terms', version: 7 } })).policy).toEqual({ slug: 'terms', version: 7 });
    expect(parseConsentInput(plugin({ policy: { slug: 'a'.repeat(64) } })).policy).toEqual({ slug: 'a'.repeat(64) });
    const shape = 'policy must be { slug, version? } with a policy slug such as "privacy-policy"';
    for (const bad of [
      null,
      'privacy-policy',
      ['privacy-policy'],
      {},
      { slug: 'Privacy' },
      { slug: 'privacy--policy' },
      { slug: '-privacy' },
      { slug: 'a'.repeat(65) },
      { slug: 1 },
      { slug: 'privacy-policy', locale: 'en' },
      { slug: 'privacy-policy', version: 1, hash: 'x' },
    ]) {
      expect(problemsOf(plugin({ policy: bad }))).toEqual([shape]);
    }
    for (const version of [0, -1, 1.5, '1', null, 1e9 + 1]) {
      expect(problemsOf(plugin({ policy: { slug: 'privacy-policy', version } }))).toEqual(['policy.version must be a positive whole number']);
    }
  });

  it('checks source: an absolute http(s) URL of at most 2048 characters', () => {
    for (const ok of ['http://example.com', 'https://example.com/a?b=c#d', 'HTTPS://EXAMPLE.COM/', 'http://127.0.0.1:8080/x']) {
      expect(parseConsentInput(plugin({ source: ok })).source).toBe(ok);
    }
    const base = 'https://example.com/';
    const exactly2048 = base + 'a'.repeat(2048 - base.length);
    expect(exactly2048).toHaveLength(2048);
    expect(parseConsentInput(plugin({ source: exactly2048 })).source).toBe(exactly2048);
    const message = ['source must be an absolute http(s) URL of at most 2048 characters'];
    for (const bad of [
      `${exactly2048}a`,
      '/relative/path',
      'example.com',
      'ftp://example.com/',
      'javascript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'mailto:a@example.com',
      'https://',
      '',
      1,
      null,
      { href: 'https://example.com' },
    ]) {
      expect(problemsOf(plugin({ source: bad }))).toEqual(message);
    }
  });
});

describe('parseConsentInput: the cookieconsent v3 shape', () => {
  it('reads what the README snippet sends (cookie + getUserPreferences + additions)', () => {
    const body = {
      categories: ['necessary', 'analytics'],
      revision: 2,
      data: null,
      consentTimestamp: '2026-11-23T10:00:00.000Z',
      consentId: SUBJECT,
      services: { necessary: [], analytics: [] },
      languageCode: 'fi',
      lastConsentTimestamp: '2026-11-23T10:00:00.000Z',
      expirationTime: 1795000000000,
      acceptType: 'custom',
      acceptedCategories: ['necessary', 'analytics'],
      rejectedCategories: ['marketing'],
      acceptedServices: { necessary: [], analytics: [] },
      rejectedServices: { marketing: [] },
      previousConsentId: CONSENT_ID,
      source: 'https://www.example.com/',
      policy: { slug: 'privacy-policy', version: 3 },
      requestId: 'r-1',
    };
    expect(parseConsentInput(body)).toEqual({
      via: 'cookieconsent',
      choices: { necessary: true, analytics: true, marketing: false },
      declarationRevision: 2,
      language: 'fi',
      subjectId: SUBJECT,
      previousConsentId: CONSENT_ID,
      source: 'https://www.example.com/',
      policy: { slug: 'privacy-policy', version: 3 },
      requestId: 'r-1',
    });
  });

  it('is recognised by either list alone; a missing or null list is empty', () => {
    expect(parseConsentInput({ acceptedCategories: ['necessary'] })).toEqual({ via: 'cookieconsent', choices: { necessary: true } });
    expect(parseConsentInput({ rejectedCategories: ['ads'] })).toEqual({ via: 'cookieconsent', choices: { ads: false } });
    expect(parseConsentInput({ acceptedCategories: [], rejectedCategories: null })).toEqual({ via: 'cookieconsent', choices: {} });
  });

  it('needs both lists to be lists when one is', () => {
    expect(problemsOf({ acceptedCategories: ['necessary'], rejectedCategories: 'ads' })).toEqual([
      'rejectedCategories must be a list of category keys',
    ]);
    expect(problemsOf({ acceptedCategories: { necessary: true }, rejectedCategories: [] })).toEqual([
      'acceptedCategories must be a list of category keys',
    ]);
  });

  it('without a list it is the plugin shape: cookieconsent fields are unknown there', () => {
    expect(problemsOf({ acceptedCategories: 'necessary', consentId: SUBJECT })).toEqual([
      'unknown fields: acceptedCategories, consentId',
      'state is required: an object of category key → true or false',
    ]);
  });

  it('refuses plugin-only fields and other unknown fields', () => {
    expect(problemsOf(cc({ state: { a: true }, locale: 'en', subjectId: SUBJECT, declarationRevision: 1, extra: 1 }))).toEqual([
      'unknown fields: state, locale, subjectId, declarationRevision, extra',
    ]);
  });

  it('refuses list items that are not category keys, quoting them', () => {
    for (const [item, quoted] of [
      ['Analytics', '"Analytics"'],
      [1, '1'],
      [null, 'null'],
      [true, 'true'],
      [{ key: 'a' }, '{"key":"a"}'],
      [['a'], '["a"]'],
      ['x'.repeat(100), JSON.stringify('x'.repeat(100)).slice(0, 70)],
    ] as const) {
      expect(problemsOf(cc({ acceptedCategories: [item], rejectedCategories: [] }))).toEqual([
        `acceptedCategories holds ${quoted}, which is not a category key`,
      ]);
      expect(problemsOf(cc({ acceptedCategories: [], rejectedCategories: [item] }))).toEqual([
        `rejectedCategories holds ${quoted}, which is not a category key`,
      ]);
    }
    // a hole in a sparse list (only possible for a non-JSON body) has no JSON text
    // eslint-disable-next-line no-sparse-arrays
    expect(problemsOf(cc({ acceptedCategories: [, 'a'], rejectedCategories: [] }))).toEqual([
      'acceptedCategories holds a value, which is not a category key',
    ]);
  });

  it('refuses a category both accepted and rejected; a repeat in one list is harmless', () => {
    expect(problemsOf(cc({ acceptedCategories: ['ads'], rejectedCategories: ['ads'] }))).toEqual(['ads is both accepted and rejected']);
    expect(parseConsentInput(cc({ acceptedCategories: ['ads', 'ads'], rejectedCategories: ['x', 'x'] })).choices).toEqual({ ads: true, x: false });
  });

  it('takes a category named like an Object.prototype member ("constructor") as an ordinary key', () => {
    // "constructor" matches the category key pattern, so a declaration may have it
    expect(CATEGORY_KEY_PATTERN.test('constructor')).toBe(true);
    expect(parseConsentInput({ acceptedCategories: ['constructor'], rejectedCategories: [] }).choices).toEqual({ constructor: true });
    expect(parseConsentInput({ acceptedCategories: [], rejectedCategories: ['constructor'] }).choices).toEqual({ constructor: false });
  });

  it('allows at most 50 categories per list', () => {
    const keys = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    expect(Object.keys(parseConsentInput({ acceptedCategories: keys(50), rejectedCategories: keys(50, 'r') }).choices)).toHaveLength(100);
    expect(problemsOf({ acceptedCategories: keys(51), rejectedCategories: [] })).toEqual(['acceptedCategories names more than 50 categories']);
    expect(problemsOf({ acceptedCategories: [], rejectedCategories: keys(51) })).toEqual(['rejectedCategories names more than 50 categories']);
  });

  it('checks revision, languageCode and consentId with their own messages', () => {
    for (const bad of [0, -1, 1.5, '2', null, 1e9 + 1]) {
      expect(problemsOf(cc({ revision: bad }))).toEqual(['revision must be the declaration revision, a positive whole number']);
    }
    for (const bad of ['EN', 'en_US', '', null, 1]) {
      expect(problemsOf(cc({ languageCode: bad }))).toEqual(['languageCode must be a locale code such as "en" or "fi"']);
    }
    for (const bad of ['short', 'x'.repeat(65), 'has space!', null, 12345678]) {
      expect(problemsOf(cc({ consentId: bad }))).toEqual(["consentId (cookieconsent's, the visitor's id) must be 8–64 letters, digits, _ or -"]);
    }
    const { consentId: _omit, revision: _r, languageCode: _l, ...minimal } = cc();
    expect(parseConsentInput(minimal)).toEqual({ via: 'cookieconsent', choices: { necessary: true, analytics: true, marketing: false } });
  });

  it('checks the additions as in the plugin shape; requestId needs consentId', () => {
    expect(problemsOf(cc({ policy: { slug: 'x', version: 0 } }))).toEqual(['policy.version must be a positive whole number']);
    expect(problemsOf(cc({ source: 'ftp://x/' }))).toEqual(['source must be an absolute http(s) URL of at most 2048 characters']);
    expect(problemsOf(cc({ previousConsentId: 'x' }))).toEqual(['previousConsentId must be the consentId of an earlier receipt']);
    expect(problemsOf(cc({ requestId: 'a b' }))).toEqual(['requestId must be 1–64 letters, digits, _, -, . or :']);
    const { consentId: _omit, ...anonymous } = cc();
    expect(problemsOf({ ...anonymous, requestId: 'r1' })).toEqual(['requestId needs a subjectId: a retry is recognised by the two together']);
    expect(parseConsentInput(cc({ requestId: 'r1' })).requestId).toBe('r1');
  });
});

describe('parseConsentInput: the body', () => {
  it('reads a JSON string (sendBeacon sends text/plain) like the object it encodes', () => {
    for (const body of [plugin({ locale: 'fi', subjectId: SUBJECT, requestId: 'r' }), cc({ previousConsentId: CONSENT_ID })]) {
      expect(parseConsentInput(JSON.stringify(body))).toEqual(parseConsentInput(body));
    }
    expect(parseConsentInput('  {"state":{"a":true}}\n')).toEqual({ via: 'plugin', choices: { a: true } });
  });

  it('refuses text that is not JSON', () => {
    for (const text of ['', 'state=a', '{"state":', "{'state':{}}", '{"state":{"a":true}} x']) {
      expect(problemsOf(text)).toEqual(['the body must be a JSON object (also when sent as text/plain)']);
    }
  });

  it('refuses JSON that is not an object, and values that are not plain objects', () => {
    for (const text of ['[]', '[{"state":{"a":true}}]', 'null', '1', '"{\\"state\\":{\\"a\\":true}}"', 'true']) {
      expect(problemsOf(text)).toEqual(['the body must be a JSON object']);
    }
    class Body {
      state = { a: true };
    }
    for (const value of [undefined, null, 1, true, [], [plugin()], new Body(), Object.assign(Object.create(null), plugin()), new Date(0), new Map()]) {
      expect(problemsOf(value)).toEqual(['the body must be a JSON object']);
    }
  });

  it('does not change the body it reads', () => {
    const body = cc({ policy: { slug: 'p', version: 1 } });
    const copy = JSON.parse(JSON.stringify(body));
    parseConsentInput(body);
    expect(body).toEqual(copy);
  });
});

describe('parseConsentInput: properties', () => {
  const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);
  const nearKey = fc.oneof(key, fc.string({ maxLength: 12 }), fc.constantFrom('constructor', '__proto__', 'toString', 'A', '', 'a'.repeat(65)));
  const scalar = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null));
  /** Mostly valid values, sometimes not: enough accepted bodies, and every refusal reached. */
  const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
    fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: invalid });
  const oddItem = fc.anything({ maxDepth: 1, withBoxedValues: true, withDate: true, withMap: true, withSparseArray: true, withNullPrototype: true });
  const keyList = fc.array(mostly(key, fc.oneof(nearKey, scalar, oddItem)), { maxLength: 8 });
  const subjectId = mostly(fc.stringMatching(/^[A-Za-z0-9_-]{8,64}$/), fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/), fc.string({ maxLength: 10 })));
  const requestId = mostly(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/), fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.:-]{0,70}$/), fc.string({ maxLength: 4 })));
  const revision = mostly(fc.integer({ min: 1, max: 1e9 }), fc.oneof(fc.integer({ min: -2, max: 0 }), fc.double(), fc.string({ maxLength: 3 })));
  const policy = mostly(
    fc.record({ slug: fc.constantFrom('privacy-policy', 'terms', 'a'), version: fc.integer({ min: 1, max: 9 }) }, { requiredKeys: ['slug'], noNullPrototype: true }),
    fc.oneof(fc.record({ slug: fc.constantFrom('privacy-policy', 'Bad', ''), version: fc.integer({ min: -1, max: 3 }) }, { requiredKeys: [], noNullPrototype: true }), fc.jsonValue({ maxDepth: 1 }))
  );
  const source = mostly(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('ftp://x/', 'javascript:x')));
  const locale = mostly(fc.constantFrom('en', 'fi', 'pt-BR', 'zh-Hans'), fc.constantFrom('EN', 'x', 'en_US', '', 1));
  const pluginBody = fc.record(
    {
      state: mostly(fc.dictionary(key, fc.boolean(), { maxKeys: 8, noNullPrototype: true }), fc.oneof(fc.dictionary(nearKey, fc.oneof(fc.boolean(), scalar), { maxKeys: 8, noNullPrototype: true }), fc.jsonValue({ maxDepth: 2 }))),
      declarationRevision: revision,
      locale,
      subjectId,
      requestId,
      previousConsentId: mostly(fc.stringMatching(/^[A-Za-z0-9_-]{22}$/), fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{21,23}$/), fc.string({ maxLength: 4 }))),
      policy,
      source,
    },
    { requiredKeys: ['state'], noNullPrototype: true }
  );
  const ccBody = fc.record(
    {
      acceptedCategories: keyList,
      rejectedCategories: mostly(keyList, fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 1 }))),
      consentId: mostly(fc.uuid(), subjectId),
      revision,
      languageCode: locale,
      acceptType: fc.constantFrom('all', 'necessary', 'custom'),
      consentTimestamp: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      data: fc.jsonValue({ maxDepth: 2 }),
      previousConsentId: fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      policy,
      source,
      requestId,
    },
    { requiredKeys: ['acceptedCategories'], noNullPrototype: true }
  );
  const withExtra = (body: fc.Arbitrary<Record<string, unknown>>) =>
    fc.tuple(body, fc.option(fc.tuple(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 })), { freq: 8 })).map(([b, extra]) =>
      extra ? { ...b, [extra[0]]: extra[1] } : b
    );
  const anyBody = fc.oneof(
    withExtra(pluginBody),
    withExtra(ccBody),
    fc.jsonValue({ maxDepth: 3 }),
    fc.anything({ maxDepth: 3, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true })
  );

  /** Runs parseConsentInput: the decision, or null when refused with a ConsentInputError (anything else fails). */
  const attempt = (body: unknown) => {
    try {
      return parseConsentInput(body);
    } catch (error) {
      if (!(error instanceof ConsentInputError)) throw error;
      expect(error.problems.length).toBeGreaterThan(0);
      expect(error.problems.every((p) => typeof p === 'string' && p.length > 0)).toBe(true);
      return null;
    }
  };

  it('an accepted decision holds only category keys and booleans, and the JSON text reads the same', () => {
    const accepted = { plugin: 0, cookieconsent: 0 };
    fc.assert(
      fc.property(fc.oneof(withExtra(pluginBody), withExtra(ccBody)), (body) => {
        const decision = attempt(body);
        expect(attempt(JSON.stringify(body))).toEqual(decision);
        if (!decision) return;
        accepted[decision.via] += 1;
        expect(Object.getPrototypeOf(decision.choices)).toBe(Object.prototype);
        for (const [k, granted] of Object.entries(decision.choices)) {
          expect(k).toMatch(CATEGORY_KEY_PATTERN);
          expect(typeof granted).toBe('boolean');
        }
        expect(Object.keys(decision.choices).length).toBeLessThanOrEqual(100);
        if (decision.via === 'plugin') {
          expect(decision.choices).toEqual((body as { state: unknown }).state);
        } else {
          const b = body as { acceptedCategories: string[]; rejectedCategories?: string[] | null };
          for (const k of b.acceptedCategories) expect(decision.choices[k]).toBe(true);
          for (const k of b.rejectedCategories ?? []) expect(decision.choices[k]).toBe(false);
          expect(Object.keys(decision.choices).sort()).toEqual([...new Set([...b.acceptedCategories, ...(b.rejectedCategories ?? [])])].sort());
        }
        if (decision.requestId !== undefined) expect(decision.subjectId).toMatch(SUBJECT_ID_PATTERN);
        if (decision.previousConsentId !== undefined) expect(decision.previousConsentId).toMatch(CONSENT_ID_PATTERN);
        if (decision.declarationRevision !== undefined) expect(Number.isSafeInteger(decision.declarationRevision) && decision.declarationRevision >= 1).toBe(true);
      }),
      runs
    );
    // the generators do reach accepted bodies of both shapes
    expect(accepted.plugin).toBeGreaterThan(0);
    expect(accepted.cookieconsent).toBeGreaterThan(0);
  });

  it('never throws anything but ConsentInputError, whatever the body', () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        attempt(body);
        if (body !== undefined) {
          let text: string | undefined;
          try {
            text = JSON.stringify(body);
          } catch {
            text = undefined;
          }
          if (typeof text === 'string') attempt(text);
        }
      }),
      runs
    );
    fc.assert(fc.property(fc.string(), (text) => void attempt(text)), runs);
  });
});
