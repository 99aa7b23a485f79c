import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { getSubjectOutput, initOutput, postSubjectOutput, patchSubjectOutput } from '../../server/src/contract/c15t';

/**
 * The c15t 2.x hosted-mode backend (/api/privacy-centre/c15t): GET /init from the declaration,
 * POST /subjects recorded with the same proof as POST /consents, GET and PATCH /subjects/:id,
 * the category ↔ c15t type mapping, trusted location headers only, and bad input (each answered
 * 4xx in Strapi's error shape, recording nothing). Every 2xx answer is checked against the
 * route's response schema.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
const BASE = '/api/privacy-centre/c15t';
let app: TestStrapi;
let token: string;
let subjectCounter = 0;

beforeAll(async () => {
  app = await bootStrapi({
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ regions: { countryHeaders: ['CF-IPCountry'], regionHeaders: ['X-Region'], defaultJurisdiction: 'GDPR' } }),
  });
  await ensureLocales(app, ['fi']);
  token = (await createAdmin(app)).token;
  const draft = await admin().post('/policies/drafts', { slug: 'privacy-policy', locales: sampleLocales('p') });
  await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`);
  // Finnish texts for one category, so /init?lang=fi shows the declaration's own words.
  await admin().put('/cookies/categories/statistics', { locales: { fi: { name: 'Tilastot', description: 'Kävijämäärät.' } } });
  expect((await admin().post('/cookies/publish')).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const admin = () => adminClient(app, token);
const records = () => app.strapi.db.query(RECORD);
/** A fresh c15t-shaped subject id (sub_ + base58). */
const newSubject = () => `sub_2jv6z8n4q9${'ABCDEFGHJK'[subjectCounter % 10]}${(subjectCounter++).toString(36).replace(/[0lIO]/g, 'x')}abc`;
const banner = (overrides: Record<string, unknown> = {}) => ({
  type: 'cookie_banner',
  subjectId: newSubject(),
  domain: 'site.example',
  preferences: { necessary: true, functionality: false, measurement: true, experience: false, marketing: false },
  givenAt: Date.now(),
  jurisdiction: 'GDPR',
  jurisdictionModel: 'opt-in',
  consentAction: 'custom',
  uiSource: 'banner',
  ...overrides,
});
const post = (body: unknown, headers: Record<string, string> = {}) => {
  const request = app.http().post(`${BASE}/subjects`).set('x-c15t-version', '2.2.1').set('X-Request-ID', 'b3f7c2a0-1111-4222-8333-444455556666');
  for (const [name, value] of Object.entries(headers)) request.set(name, value);
  return request.send(body as object);
};
/** A 4xx in Strapi's error shape; nothing recorded. */
async function refused(response: any, status: number, message: RegExp, before: number) {
  expect({ status: response.status, error: response.body?.error?.name, data: response.body?.data }).toMatchObject({ status, data: null });
  expect(response.body.error.message).toMatch(message);
  expect(await records().count({ where: { kind: 'cookie' } })).toBe(before);
}

describe('GET /init', () => {
  it('answers InitOutput: GDPR by default, c15t texts, branding none, the revision as policy', async () => {
    const response = await app.http().get(`${BASE}/init`).set('Accept-Language', 'en-GB,en;q=0.8');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = initOutput.parse(response.body);
    const revision = (await app.http().get('/api/privacy-centre/cookies')).body.data;
    expect(body).toMatchObject({
      jurisdiction: 'GDPR',
      location: { countryCode: null, regionCode: null },
      branding: 'none',
      translations: { language: 'en' },
      policy: { id: `privacy-centre-cookies-r${revision.revision}`, model: 'opt-in', consent: { scopeMode: 'strict' } },
      policyDecision: { fingerprint: revision.hash, matchedBy: 'default', jurisdiction: 'GDPR' },
    });
    // The four default categories stand for four c15t types; experience is none of theirs.
    expect(body.policy.consent.categories).toEqual(['necessary', 'functionality', 'measurement', 'marketing', `declaration:r${revision.revision}:${revision.hash.slice(0, 16)}`]);
    // The declaration's names over c15t's texts; c15t's own texts where the declaration has none.
    expect(body.translations.translations.consentTypes.measurement).toEqual({ title: 'Statistics', description: 'Help us understand how the site is used.' });
    expect(body.translations.translations.consentTypes.experience.title).toBe('Experience');
    expect(body.translations.translations.common.acceptAll).toBe('Accept All');
    expect(body.translations.translations.cookieBanner.title).toBeTruthy();
  });

  it('answers in the language asked (?lang, else Accept-Language), with c15t texts for the rest', async () => {
    const fi = initOutput.parse((await app.http().get(`${BASE}/init?lang=fi`)).body);
    expect(fi.translations.language).toBe('fi');
    expect(fi.translations.translations.consentTypes.measurement).toEqual({ title: 'Tilastot', description: 'Kävijämäärät.' });
    // No Finnish text for marketing in the declaration: c15t's Finnish, not the English name.
    expect(fi.translations.translations.consentTypes.marketing.title).not.toBe('Marketing');
    expect(fi.translations.translations.common.acceptAll).not.toBe('Accept All');
    const de = initOutput.parse((await app.http().get(`${BASE}/init`).set('Accept-Language', 'xx, de-AT;q=0.9, fi;q=0.5')).body);
    expect(de.translations.language).toBe('de');
    // A language nobody has: the declaration's default locale.
    const none = initOutput.parse((await app.http().get(`${BASE}/init`).set('Accept-Language', 'tlh')).body);
    expect(none.translations.language).toBe('en');
  });

  it('reads the location from the configured trusted headers only', async () => {
    const at = initOutput.parse((await app.http().get(`${BASE}/init`).set('CF-IPCountry', 'at')).body);
    expect(at).toMatchObject({ jurisdiction: 'GDPR', location: { countryCode: 'AT', regionCode: null }, policyDecision: { matchedBy: 'country' } });
    const us = initOutput.parse((await app.http().get(`${BASE}/init`).set('CF-IPCountry', 'US').set('X-Region', 'US-CA')).body);
    expect(us).toMatchObject({ jurisdiction: 'CCPA', location: { countryCode: 'US', regionCode: 'CA' }, policy: { model: 'opt-out' } });
    const qc = initOutput.parse((await app.http().get(`${BASE}/init`).set('CF-IPCountry', 'CA').set('X-Region', 'QC')).body);
    expect(qc.jurisdiction).toBe('QC_LAW25');
    // A browser's forged headers (c15t's own override names, a query) change nothing.
    const forged = initOutput.parse(
      (await app.http().get(`${BASE}/init?jurisdiction=NONE&country=US`).set('x-c15t-country', 'US').set('x-c15t-region', 'CA').set('X-Country', 'US')).body
    );
    expect(forged).toMatchObject({ jurisdiction: 'GDPR', location: { countryCode: null, regionCode: null } });
    // Junk in the trusted header is no country.
    const junk = initOutput.parse((await app.http().get(`${BASE}/init`).set('CF-IPCountry', 'XX')).body);
    expect(junk).toMatchObject({ jurisdiction: 'GDPR', location: { countryCode: null } });
  });

  it('refuses a malformed lang with a 400 in Strapi\'s shape', async () => {
    for (const lang of ['e', 'en_GB', 'x'.repeat(300), '../etc']) {
      const response = await app.http().get(`${BASE}/init`).query({ lang });
      expect({ lang, status: response.status, name: response.body.error?.name }).toEqual({ lang, status: 400, name: 'ValidationError' });
    }
    const twice = await app.http().get(`${BASE}/init?lang=en&lang=fi`);
    expect(twice.status).toBe(400);
  });
});

describe('POST /subjects', () => {
  it('records the decision with the same proof as POST /consents and answers PostSubjectOutput', async () => {
    const body = banner();
    const response = await post(body, { Referer: 'https://site.example/page', 'User-Agent': 'Mozilla/5.0 test', 'Accept-Language': 'fi-FI,fi;q=0.9' });
    expect(response.status).toBe(201);
    const output = postSubjectOutput.parse(response.body);
    expect(output).toMatchObject({
      subjectId: body.subjectId,
      domain: 'site.example',
      type: 'cookie_banner',
      uiSource: 'banner',
      appliedPreferences: { necessary: true, functionality: false, measurement: true, marketing: false },
    });
    const receipt = output.metadata.receipt as any;
    expect(receipt).toMatchObject({
      consentId: output.consentId,
      subjectId: body.subjectId,
      action: 'given',
      state: { necessary: true, preferences: false, statistics: true, marketing: false },
      gpc: { signal: false, refused: [] },
      policy: { slug: 'privacy-policy', version: 1 },
      previousConsentId: null,
    });
    expect(receipt.consentMode.analytics_storage).toBe('granted');
    const row = await records().findOne({ where: { consentId: output.consentId } });
    expect(row).toMatchObject({
      kind: 'cookie',
      via: 'c15t',
      subjectId: body.subjectId,
      ipPrefix: '127.0.0.0/24',
      userAgent: 'Mozilla/5.0 test',
      sourceUrl: 'https://site.example/page',
      language: 'fi-FI',
      requestId: `c15t:${body.givenAt}`,
    });
    // The receipt is the plugin's own: the public verification accepts it.
    const verified = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt });
    expect(verified.body.data).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
    // And the admin's consent log shows it.
    const log = await admin().get(`/consents/records/${output.consentId}`);
    expect(log.body.data).toMatchObject({ via: 'c15t', subjectId: body.subjectId });
  });

  it('takes the source from Origin when no Referer is sent, and GPC from Sec-GPC', async () => {
    const body = banner({ preferences: { necessary: true, marketing: true, measurement: true, functionality: true } });
    const response = await post(body, { Origin: 'https://shop.example', 'Sec-GPC': '1' });
    expect(response.status).toBe(201);
    const receipt = response.body.metadata.receipt;
    // Marketing is refused under GPC (the default category setting), whatever c15t sent.
    expect(receipt.gpc).toEqual({ signal: true, refused: ['marketing'], honoured: false });
    expect(receipt.state).toEqual({ necessary: true, preferences: true, statistics: true, marketing: false });
    expect(response.body.appliedPreferences.marketing).toBe(false);
    const row = await records().findOne({ where: { consentId: receipt.consentId } });
    expect(row).toMatchObject({ gpc: true, sourceUrl: 'https://shop.example' });
  });

  it('grants necessary always, and reads absent types as refused', async () => {
    const response = await post(banner({ preferences: { necessary: false } }));
    expect(response.status).toBe(201);
    expect(response.body.metadata.receipt.state).toEqual({ necessary: true, preferences: false, statistics: false, marketing: false });
  });

  it('chains a subject\'s later decisions (updated, withdrawn) and answers a retry with the first record', async () => {
    const first = banner();
    const given = await post(first);
    expect(given.status).toBe(201);
    const retry = await post(first);
    expect(retry.status).toBe(200);
    expect(retry.body.consentId).toBe(given.body.consentId);
    const all = await post({ ...first, givenAt: first.givenAt + 1000, consentAction: 'all', preferences: { necessary: true, functionality: true, measurement: true, marketing: true } });
    expect(all.status).toBe(201);
    expect(all.body.metadata.receipt).toMatchObject({ action: 'updated', previousConsentId: given.body.consentId });
    const none = await post({ ...first, givenAt: first.givenAt + 2000, consentAction: 'necessary', preferences: { necessary: true, functionality: false, measurement: false, marketing: false } });
    expect(none.body.metadata.receipt).toMatchObject({ action: 'withdrawn', previousConsentId: all.body.consentId });
    expect(await records().count({ where: { subjectId: first.subjectId } })).toBe(3);
  });

  it('refuses bad input with a 400 that names the problem, recording nothing', async () => {
    const before = await records().count({ where: { kind: 'cookie' } });
    await refused(await post(banner({ preferences: { necessary: true, statistics: true } })), 400, /unknown consent type "statistics"/, before);
    await refused(await post(banner({ preferences: { measurement: 'yes' } })), 400, /preferences\.measurement/, before);
    await refused(await post(banner({ type: 'privacy_policy' })), 400, /only cookie-banner consents/, before);
    await refused(await post(banner({ subjectId: 'user-123' })), 400, /subjectId: must be a c15t subject id/, before);
    await refused(await post(banner({ subjectId: `sub_${'a'.repeat(100)}` })), 400, /subjectId/, before);
    await refused(await post(banner({ givenAt: 'now' })), 400, /givenAt/, before);
    await refused(await post(banner({ givenAt: 1.5 })), 400, /givenAt/, before);
    await refused(await post(banner({ domain: 'exa mple.com' })), 400, /domain/, before);
    await refused(await post(banner({ domain: ' '.repeat(5000) })), 400, /domain/, before);
    await refused(await post(banner({ jurisdiction: 'MARS' })), 400, /jurisdiction/, before);
    await refused(await post(banner({ admin: true })), 400, /unknown field: admin/, before);
    await refused(await post(banner({ externalSubjectId: 'a\u0000b' })), 400, /externalSubjectId/, before);
    await refused(await post(banner({ preferences: [] })), 400, /preferences/, before);
    await refused(await post([banner()]), 400, /invalid consent/, before);
    await refused(await post({}), 400, /type/, before);
    // Deeply nested metadata: bounded by the body limit first, refused by shape otherwise.
    let nested: any = {};
    for (let i = 0; i < 2000; i += 1) nested = { a: nested };
    const deep = await post(banner({ metadata: nested }));
    expect([400, 413]).toContain(deep.status);
    expect(deep.body.data).toBeNull();
    // A huge body is refused before it is read.
    await refused(await post(banner({ metadata: { note: 'x'.repeat(20000) } })), 413, /accepts at most/, before);
    // Malformed JSON.
    const malformed = await app.http().post(`${BASE}/subjects`).set('Content-Type', 'application/json').send('{"type":');
    await refused(malformed, 400, /not well-formed/, before);
  });

  it('does not trust the jurisdiction the browser claims', async () => {
    // The browser says NONE (nothing to ask); the record follows the declaration as any other.
    const response = await post(banner({ jurisdiction: 'NONE', jurisdictionModel: 'none', preferences: { necessary: true } }));
    expect(response.status).toBe(201);
    expect(response.body.metadata.receipt.state).toEqual({ necessary: true, preferences: false, statistics: false, marketing: false });
  });

  it('counts POST /subjects in its own rate-limit scope', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    const { max } = config.rateLimit;
    config.rateLimit.max = 2;
    try {
      // The scope has counted this file's earlier posts already: the limit is passed at once.
      const limited = await post(banner());
      expect(limited.status).toBe(429);
      expect(limited.body.error.name).toBe('RateLimitError');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // /init is not limited, nor is POST /consents counted with it.
      expect((await app.http().get(`${BASE}/init`)).status).toBe(200);
      expect((await app.http().post('/api/privacy-centre/consents').send({ state: {} })).status).not.toBe(429);
    } finally {
      config.rateLimit.max = max;
    }
  });
});

describe('GET and PATCH /subjects/:id', () => {
  it('lists a subject\'s decisions, links an external id, and finds the link again', async () => {
    const body = banner();
    const given = await post(body);
    const later = await post({ ...body, givenAt: body.givenAt + 1, preferences: { necessary: true, marketing: true } });
    const read = await app.http().get(`${BASE}/subjects/${body.subjectId}`);
    expect(read.status).toBe(200);
    const subject = getSubjectOutput.parse(read.body);
    expect(subject.subject).toEqual({ id: body.subjectId, createdAt: given.body.givenAt });
    expect(subject.consents.map((c) => [c.id, c.isLatestPolicy, c.preferences.marketing])).toEqual([
      [given.body.consentId, true, false],
      [later.body.consentId, true, true],
    ]);
    expect(subject.isValid).toBe(true);
    expect((await app.http().get(`${BASE}/subjects/${body.subjectId}?type=privacy_policy`)).body.consents).toEqual([]);

    const linked = await app.http().patch(`${BASE}/subjects/${body.subjectId}`).send({ externalId: 'user_123', identityProvider: 'clerk' });
    expect(linked.status).toBe(200);
    expect(patchSubjectOutput.parse(linked.body)).toEqual({ success: true, subject: { id: body.subjectId, externalId: 'user_123' } });
    const again = await app.http().patch(`${BASE}/subjects/${body.subjectId}`).send({ externalId: 'user_456' });
    expect(again.status).toBe(200);
    expect((await app.http().get(`${BASE}/subjects/${body.subjectId}`)).body.subject.externalId).toBe('user_456');
    // A signed-in visitor's c15t sends the id with the consent: linked too.
    const signedIn = banner({ externalSubjectId: 'user_789', identityProvider: 'auth0' });
    expect((await post(signedIn)).status).toBe(201);
    expect((await app.http().get(`${BASE}/subjects/${signedIn.subjectId}`)).body.subject.externalId).toBe('user_789');
  });

  it('answers 404 for an unknown subject and 400 for a malformed id or body', async () => {
    const unknown = newSubject();
    expect((await app.http().get(`${BASE}/subjects/${unknown}`)).status).toBe(404);
    const patched = await app.http().patch(`${BASE}/subjects/${unknown}`).send({ externalId: 'user_1' });
    expect({ status: patched.status, name: patched.body.error?.name }).toEqual({ status: 404, name: 'NotFoundError' });
    expect(await app.strapi.db.query('plugin::privacy-centre.subject-link').count({ where: { subjectId: unknown } })).toBe(0);
    for (const id of ['abc', 'sub_0OIl0OIl0OIl', `sub_${'z'.repeat(61)}`]) {
      expect({ id, status: (await app.http().get(`${BASE}/subjects/${id}`)).status }).toEqual({ id, status: 400 });
    }
    const body = banner();
    await post(body);
    for (const bad of [{}, { externalId: '' }, { externalId: 42 }, { externalId: 'x'.repeat(256) }, { externalId: 'u', role: 'admin' }]) {
      const response = await app.http().patch(`${BASE}/subjects/${body.subjectId}`).send(bad);
      expect({ bad, status: response.status, name: response.body.error?.name }).toEqual({ bad, status: 400, name: 'ValidationError' });
    }
  });
});

describe('the category ↔ c15t type mapping', () => {
  it('is editable, shown in GET /cookies, and takes effect with the next revision', async () => {
    const cookies = (await app.http().get('/api/privacy-centre/cookies')).body.data;
    expect(cookies.categories.map((c: any) => [c.key, c.c15tType])).toEqual([
      ['necessary', 'necessary'],
      ['preferences', 'functionality'],
      ['statistics', 'measurement'],
      ['marketing', 'marketing'],
    ]);
    // Nothing changed by the field's existence: the categories at their defaults are not "changes".
    expect((await admin().get('/cookies')).body.data.changes.changed).toBe(false);

    expect((await admin().put('/cookies/categories/preferences', { c15tType: 'nonsense' })).status).toBe(400);
    expect((await admin().put('/cookies/categories/preferences', { c15tType: 'experience' })).status).toBe(200);
    const published = await admin().post('/cookies/publish');
    expect(published.status).toBe(200);
    const init = initOutput.parse((await app.http().get(`${BASE}/init`)).body);
    expect(init.policy.consent.categories).toEqual(['necessary', 'measurement', 'experience', 'marketing', expect.stringMatching(/^declaration:r2:/)]);
    expect(init.translations.translations.consentTypes.experience.title).toBe('Preferences');

    // The experience switch now grants preferences.
    const response = await post(banner({ preferences: { necessary: true, experience: true, functionality: false } }));
    expect(response.body.metadata.receipt.state).toMatchObject({ preferences: true });
    expect(response.body.metadata.receipt.declaration.revision).toBe(2);
    // Back to the default: null.
    expect((await admin().put('/cookies/categories/preferences', { c15tType: null })).status).toBe(200);
    expect((await admin().get('/cookies')).body.data.categories.find((c: any) => c.key === 'preferences').c15tType).toBeUndefined();
  });
});

describe("the site's user id linked by PATCH (personal data)", () => {
  const LINK = 'plugin::privacy-centre.subject-link';
  const link = async () => {
    const body = banner();
    expect((await post(body)).status).toBe(201);
    expect((await app.http().patch(`${BASE}/subjects/${body.subjectId}`).send({ externalId: 'user_erase_me' })).status).toBe(200);
    return body.subjectId;
  };

  it('goes with an erasure of the subject', async () => {
    const subjectId = await link();
    const erased = await app.strapi.plugin('privacy-centre').service('subjects').eraseRows({ emailHashes: [], subjectIds: [subjectId], consentId: null }, new Date().toISOString());
    expect(erased.subjectLinks).toBe(1);
    expect(await app.strapi.db.query(LINK).count({ where: { subjectId } })).toBe(0);
  });

  it('goes in the retention purge once its subject has no consent record left', async () => {
    const kept = await link();
    // A link whose subject's records were purged (records cannot be deleted here before their
    // time: the database refuses it), and one whose subject still has records.
    const orphan = newSubject();
    await app.strapi.db.query(LINK).create({ data: { subjectId: orphan, externalId: 'user_gone', linkedAt: new Date().toISOString() } });
    const result = await app.strapi.plugin('privacy-centre').service('retention').run();
    expect(result.subjectLinks).toBe(1);
    expect(await app.strapi.db.query(LINK).count({ where: { subjectId: orphan } })).toBe(0);
    expect(await app.strapi.db.query(LINK).count({ where: { subjectId: kept } })).toBe(1);
  });
});
