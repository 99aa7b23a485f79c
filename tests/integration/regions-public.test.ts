import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { CALIFORNIA, GERMANY, trustedHeadersConfig, withHeaders } from '../helpers/regions';
import { answers } from '../../server/src/contract/schemas';

/**
 * Regions in the public answers and the proof: the jurisdiction comes from the trusted headers
 * config names and nothing else; GET /cookies answers each model's defaults (cached per
 * jurisdiction, `Vary` on the deciding headers); POST /consents records the jurisdiction in the
 * record and the signed receipt, honours GPC as the opt-out of sale/share under opt-out, refuses
 * a claimed jurisdiction that is not the resolved one; GET /cookies/consent-mode.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
let app: TestStrapi;
let token: string;

beforeAll(async () => {
  app = await bootStrapi({
    PRIVACY_CENTRE_EXTRA_CONFIG: trustedHeadersConfig(),
  });
  token = (await createAdmin(app)).token;
  // Statistics is refused under GPC by the site's choice, but sells nothing: an opt-out law's
  // GPC must leave it alone, the configured refusal elsewhere must not.
  expect((await admin().put('/cookies/categories/statistics', { refusedUnderGpc: true })).status).toBe(200);
  expect((await admin().post('/cookies/publish')).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const admin = () => adminClient(app, token);
const cookies = (headers: Record<string, string> = {}) => withHeaders(app.http().get('/api/privacy-centre/cookies'), headers);
const consent = (body: object, headers: Record<string, string> = {}) => withHeaders(app.http().post('/api/privacy-centre/consents'), headers).send(body);
const records = () => app.strapi.db.query(RECORD);
const everyOptional = { necessary: true, preferences: true, statistics: true, marketing: true };

describe('GET /cookies per jurisdiction', () => {
  it('answers the default jurisdiction (opt-in) to a request without a trusted header', async () => {
    const response = await cookies();
    expect(response.status).toBe(200);
    const { data } = answers.cookieDeclaration.parse(response.body);
    expect(data.jurisdiction).toEqual({ code: 'GDPR', model: 'opt-in', country: null, region: null });
    expect(data.defaults).toEqual({ necessary: true, preferences: false, statistics: false, marketing: false });
    expect(data.doNotSell).toBeNull();
    expect(data.categories.find((c) => c.key === 'marketing')?.saleShare).toBe(true);
    expect(data.categories.find((c) => c.key === 'statistics')?.saleShare).toBe(false);
    const vary = String(response.headers.vary).toLowerCase();
    for (const name of ['sec-gpc', 'cf-ipcountry', 'cf-region']) expect(vary).toContain(name);
  });

  it('answers opt-out in California: every category granted, and the Do Not Sell link', async () => {
    const { data } = answers.cookieDeclaration.parse((await cookies(CALIFORNIA)).body);
    expect(data.jurisdiction).toEqual({ code: 'CCPA', model: 'opt-out', country: 'US', region: 'CA' });
    expect(data.defaults).toEqual(everyOptional);
    expect(data.gpc).toEqual({ signal: false, refused: [], honoured: false });
    expect(data.doNotSell).toEqual({
      text: 'Do Not Sell or Share My Personal Information',
      url: 'http://localhost:1337/api/privacy-centre/do-not-sell?locale=en',
    });
  });

  it('honours GPC as the opt-out of exactly the sale/share categories under opt-out, as configured elsewhere', async () => {
    const california = answers.cookieDeclaration.parse((await cookies({ ...CALIFORNIA, 'Sec-GPC': '1' })).body).data;
    expect(california.defaults).toEqual({ ...everyOptional, marketing: false });
    expect(california.gpc).toEqual({ signal: true, refused: ['marketing'], honoured: true });
    const germany = answers.cookieDeclaration.parse((await cookies({ ...GERMANY, 'Sec-GPC': '1' })).body).data;
    expect(germany.jurisdiction).toMatchObject({ code: 'GDPR', country: 'DE' });
    expect(germany.gpc).toEqual({ signal: true, refused: ['statistics', 'marketing'], honoured: false });
  });

  it('ignores headers config does not name, and the body or Accept-Language never decide', async () => {
    const forged = await cookies({ 'X-Vercel-IP-Country': 'US', 'X-Vercel-IP-Country-Region': 'CA', 'Accept-Language': 'en-US' });
    expect(forged.body.data.jurisdiction).toEqual({ code: 'GDPR', model: 'opt-in', country: null, region: null });
    // A region header without a country decides nothing; junk values are no country.
    expect((await cookies({ 'CF-Region': 'CA' })).body.data.jurisdiction.code).toBe('GDPR');
    expect((await cookies({ 'CF-IPCountry': 'XX' })).body.data.jurisdiction.country).toBeNull();
    expect((await cookies({ 'CF-IPCountry': 'U'.repeat(5000) })).body.data.jurisdiction.country).toBeNull();
  });

  it('keeps one answer per jurisdiction: alternating requests never get each other\'s, and 304 works per variant', async () => {
    const first = await cookies(CALIFORNIA);
    const second = await cookies(GERMANY);
    expect(first.headers.etag).not.toBe(second.headers.etag);
    for (let i = 0; i < 5; i += 1) {
      expect((await cookies(CALIFORNIA)).body.data.jurisdiction.code).toBe('CCPA');
      expect((await cookies(GERMANY)).body.data.jurisdiction.code).toBe('GDPR');
    }
    expect((await cookies(CALIFORNIA).set('If-None-Match', first.headers.etag)).status).toBe(304);
    expect((await cookies(GERMANY).set('If-None-Match', first.headers.etag)).status).toBe(200);
  });

  it('stays bounded by the table, not by what clients send: thousands of region values make no new entries', async () => {
    const cache = app.strapi.plugin('privacy-centre').service('answer-cache');
    await cookies({ 'CF-IPCountry': 'US', 'CF-Region': 'ZZ9' });
    const before = cache.size();
    const region = (i: number) => i.toString(36).toUpperCase().padStart(3, 'Q');
    // Over HTTP, a few hundred; then thousands through the same resolution and answer, without
    // the network (the route adds nothing to the key).
    for (let i = 0; i < 200; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => cookies({ 'CF-IPCountry': 'US', 'CF-Region': region(i + j) })));
    const regions = app.strapi.plugin('privacy-centre').service('regions');
    const declarations = app.strapi.plugin('privacy-centre').service('cookie-declarations');
    const table = await regions.table();
    for (let i = 200; i < 5000; i += 1) {
      const headers: Record<string, string> = { 'cf-ipcountry': 'US', 'cf-region': region(i) };
      await declarations.publicAnswer(undefined, { jurisdiction: await regions.resolve((name: string) => headers[name]), gpc: i % 2 === 0, table });
    }
    // The GPC variant of the US entry is the one more entry thousands of requests may make.
    expect(cache.size()).toBeLessThanOrEqual(before + 1);
    // US-NY-like regions not in the table all share the US entry (region null).
    const answer = (await cookies({ 'CF-IPCountry': 'US', 'CF-Region': 'NY' })).body.data.jurisdiction;
    expect(answer).toEqual({ code: 'GDPR', model: 'opt-in', country: 'US', region: null });
  });

  it('an edit of the table is served at once', async () => {
    const { data } = (await admin().get('/regions')).body;
    const saved = await admin().put('/regions', { ...data.table, models: { ...data.table.models, CCPA: 'opt-in' } });
    expect(saved.status).toBe(200);
    expect((await cookies(CALIFORNIA)).body.data.jurisdiction).toMatchObject({ code: 'CCPA', model: 'opt-in' });
    // The notice model: everything granted, no link; GPC refuses what the categories say.
    expect((await admin().put('/regions', { ...data.table, models: { ...data.table.models, CCPA: 'notice' } })).status).toBe(200);
    const notice = answers.cookieDeclaration.parse((await cookies(CALIFORNIA)).body).data;
    expect(notice).toMatchObject({ jurisdiction: { model: 'notice' }, defaults: everyOptional, doNotSell: null });
    const noticeGpc = answers.cookieDeclaration.parse((await cookies({ ...CALIFORNIA, 'Sec-GPC': '1' })).body).data;
    expect(noticeGpc.defaults).toEqual({ ...everyOptional, statistics: false, marketing: false });
    expect(noticeGpc.gpc.honoured).toBe(false);
    expect((await admin().delete('/regions')).status).toBe(200);
    expect((await cookies(CALIFORNIA)).body.data.jurisdiction).toMatchObject({ code: 'CCPA', model: 'opt-out' });
  });
});

describe('POST /consents per jurisdiction', () => {
  it('records the jurisdiction in the record and the signed receipt; GPC under opt-out refuses sale/share and says honoured', async () => {
    const response = await consent({ state: everyOptional }, { ...CALIFORNIA, 'Sec-GPC': '1' });
    expect(response.status).toBe(201);
    const receipt = answers.receipt.parse(response.body).data;
    expect(receipt.jurisdiction).toEqual({ code: 'CCPA', model: 'opt-out' });
    expect(receipt.gpc).toEqual({ signal: true, refused: ['marketing'], honoured: true });
    // Statistics is refused under GPC by the site's setting, but an opt-out law's GPC does not reach it.
    expect(receipt.state).toEqual({ ...everyOptional, marketing: false });
    const row = await records().findOne({ where: { consentId: receipt.consentId } });
    expect({ jurisdiction: row.jurisdiction, model: row.jurisdictionModel }).toEqual({ jurisdiction: 'CCPA', model: 'opt-out' });
    const verified = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt });
    expect(verified.body.data).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
    // A receipt whose jurisdiction was changed does not verify.
    const forged = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt: { ...receipt, jurisdiction: { code: 'NONE', model: 'notice' } } });
    expect(forged.body.data.authentic).toBe(false);
    const status = await app.http().get(`/api/privacy-centre/consents/${receipt.consentId}`);
    expect(status.body.data.receipt.jurisdiction).toEqual({ code: 'CCPA', model: 'opt-out' });
  });

  it('applies the configured GPC refusal elsewhere, not honoured as an opt-out', async () => {
    const receipt = (await consent({ state: everyOptional }, { ...GERMANY, 'Sec-GPC': '1' })).body.data;
    expect(receipt.jurisdiction).toEqual({ code: 'GDPR', model: 'opt-in' });
    expect(receipt.gpc).toEqual({ signal: true, refused: ['statistics', 'marketing'], honoured: false });
    expect(receipt.state).toEqual({ necessary: true, preferences: true, statistics: false, marketing: false });
  });

  it('refuses a claimed jurisdiction that is not the resolved one, recording nothing', async () => {
    const before = await records().count();
    const refused = await consent({ state: { marketing: true }, jurisdiction: 'GDPR' }, CALIFORNIA);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/jurisdiction GDPR is not the one this server resolved for the request \(CCPA\)/);
    const forgedHeader = await consent({ state: { marketing: true }, jurisdiction: 'CCPA' }, { 'X-Vercel-IP-Country': 'US', 'X-Vercel-IP-Country-Region': 'CA' });
    expect(forgedHeader.status).toBe(400);
    for (const jurisdiction of [12, 'ccpa', 'C'.repeat(100), ['CCPA'], { code: 'CCPA' }]) {
      const bad = await consent({ state: {}, jurisdiction }, CALIFORNIA);
      expect({ status: bad.status, message: bad.body.error?.message }).toEqual({ status: 400, message: 'jurisdiction must be a jurisdiction code such as "GDPR" or "CCPA"' });
    }
    // cookieconsent's shape takes it too.
    const cc = await consent({ acceptedCategories: ['necessary'], rejectedCategories: [], jurisdiction: 'GDPR' }, CALIFORNIA);
    expect(cc.status).toBe(400);
    expect(await records().count()).toBe(before);
    const agreed = await consent({ state: { marketing: true }, jurisdiction: 'CCPA' }, CALIFORNIA);
    expect(agreed.status).toBe(201);
    expect(agreed.body.data.jurisdiction.code).toBe('CCPA');
  });
});

describe('GET /cookies/consent-mode', () => {
  it('answers one default per jurisdiction with its areas, then the global default', async () => {
    const response = await app.http().get('/api/privacy-centre/cookies/consent-mode');
    expect(response.status).toBe(200);
    const { data } = answers.consentModeDefaults.parse(response.body);
    const byRegion = (area: string) => data.commands.find((c) => ((c[2] as any).region ?? []).includes(area))![2] as Record<string, unknown>;
    expect(byRegion('US-CA')).toMatchObject({ ad_storage: 'granted', analytics_storage: 'granted', security_storage: 'granted' });
    expect(byRegion('DE')).toMatchObject({ ad_storage: 'denied', analytics_storage: 'denied', security_storage: 'granted' });
    expect(byRegion('DE').region).toEqual(expect.arrayContaining(['AT', 'FR', 'NO']));
    const global = data.commands[data.commands.length - 1];
    expect(global.slice(0, 2)).toEqual(['consent', 'default']);
    expect(global[2]).not.toHaveProperty('region');
    expect(global[2]).toMatchObject({ ad_storage: 'denied' });
    expect(response.headers.etag).toBeTruthy();
  });

  it('answers the same as a script, and refuses another format', async () => {
    const script = await app.http().get('/api/privacy-centre/cookies/consent-mode?format=script');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const lines = script.text.split('\n').filter((line: string) => line.startsWith('gtag('));
    const json = (await app.http().get('/api/privacy-centre/cookies/consent-mode')).body.data.commands;
    expect(lines).toHaveLength(json.length);
    expect(lines[0]).toMatch(/^gtag\("consent", "default", \{/);
    for (const format of ['xml', '', 'script&format=json']) {
      const bad = await app.http().get(`/api/privacy-centre/cookies/consent-mode?format=${format}`);
      expect(bad.status).toBe(400);
    }
  });
});

describe('Do Not Sell or Share', () => {
  const page = (query = '', headers: Record<string, string> = {}) => withHeaders(app.http().get(`/api/privacy-centre/do-not-sell${query}`), headers);
  const optOut = (body: object, headers: Record<string, string> = {}) => withHeaders(app.http().post('/api/privacy-centre/do-not-sell'), headers).send(body);

  it('shows a page in the visitor\'s language with one button, and a GET changes nothing', async () => {
    const before = await records().count();
    const en = await page('?subjectId=browser-0001');
    expect(en.status).toBe(200);
    expect(en.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(en.headers['cache-control']).toBe('no-store');
    expect(en.text).toContain('<h1>Do Not Sell or Share My Personal Information</h1>');
    expect(en.text).toContain('the cookies of Marketing are turned off');
    expect(en.text).toContain('<input type="hidden" name="subjectId" value="browser-0001">');
    expect(en.text.match(/<button/g)).toHaveLength(1);
    const fi = await page('', { 'Accept-Language': 'fi-FI,fi;q=0.9', 'Sec-GPC': '1' });
    expect(fi.text).toContain('<html lang="fi">');
    expect(fi.text).toContain('Älä myy tai jaa henkilötietojani');
    expect(fi.text).toContain('Global Privacy Control');
    expect((await page('?subjectId=%3Cscript%3E')).status).toBe(400);
    expect(await records().count()).toBe(before);
  });

  it('records an opt-out that keeps the browser\'s other choices and refuses sale/share', async () => {
    const given = (await consent({ subjectId: 'browser-0002', state: { preferences: true, statistics: false, marketing: true } }, CALIFORNIA)).body.data;
    const response = await optOut({ subjectId: 'browser-0002' }, CALIFORNIA);
    expect(response.status).toBe(201);
    const { data } = answers.doNotSell.parse(response.body);
    expect(data).toMatchObject({ status: 'opted-out', requestRegistered: false });
    expect(data.receipt).toMatchObject({
      subjectId: 'browser-0002',
      previousConsentId: given.consentId,
      action: 'updated',
      state: { necessary: true, preferences: true, statistics: false, marketing: false },
      jurisdiction: { code: 'CCPA', model: 'opt-out' },
    });
    const row = await records().findOne({ where: { consentId: data.receipt.consentId } });
    expect(row.via).toBe('do-not-sell');
    // Without a subjectId: a new chain, from the jurisdiction's defaults less sale/share.
    const fresh = answers.doNotSell.parse((await optOut({}, CALIFORNIA)).body).data.receipt;
    expect(fresh).toMatchObject({ action: 'given', previousConsentId: null, state: { preferences: true, statistics: true, marketing: false } });
    const inGermany = (await optOut({}, GERMANY)).body.data.receipt;
    expect(inGermany).toMatchObject({ state: { preferences: false, statistics: false, marketing: false }, jurisdiction: { code: 'GDPR' } });
  });

  it('keeps one chain when a browser opts out several times at once', async () => {
    await consent({ subjectId: 'browser-race1', state: { preferences: true, marketing: true } }, CALIFORNIA);
    const answers_ = await Promise.all(Array.from({ length: 4 }, () => optOut({ subjectId: 'browser-race1' }, CALIFORNIA)));
    // Each continued the chain, or found the opt-out that beat it holding.
    for (const answer of answers_) expect(answer.status).toBe(201);
    for (const answer of answers_) expect(answer.body.data.receipt.state.marketing).toBe(false);
    const rows = await records().findMany({ where: { subjectId: 'browser-race1' }, orderBy: [{ id: 'asc' }] });
    // A chain: every record but the first continues exactly one earlier record, none twice.
    const previous = rows.slice(1).map((r: any) => r.previousConsentId);
    expect(new Set(previous).size).toBe(previous.length);
    expect(previous.every((id: string) => rows.some((r: any) => r.consentId === id))).toBe(true);
    expect(rows.at(-1)).toMatchObject({ via: 'do-not-sell' });
    expect(rows.at(-1).state).toMatchObject({ preferences: true, marketing: false });
  });

  it('answers the page\'s form with a page', async () => {
    const response = await app.http().post('/api/privacy-centre/do-not-sell').type('form').send({ subjectId: 'browser-0003', locale: 'de' });
    expect(response.status).toBe(200);
    expect(response.text).toContain('Widerspruch erfasst');
    const [row] = await records().findMany({ where: { subjectId: 'browser-0003' } });
    expect(row).toMatchObject({ via: 'do-not-sell', language: 'de' });
  });

  it('refuses bad input with a 400 and records nothing', async () => {
    const before = await records().count();
    for (const body of [{ subjectId: 'x' }, { email: 'not an address' }, { locale: 12 }, { subjectId: ['browser-0004'] }, { extra: true }]) {
      const bad = await optOut(body, CALIFORNIA);
      expect({ status: bad.status, name: bad.body.error?.name }).toEqual({ status: 400, name: 'ValidationError' });
    }
    const form = await app.http().post('/api/privacy-centre/do-not-sell').type('form').send({ subjectId: '<b>' });
    expect(form.status).toBe(400);
    expect(form.text).toContain('could not be read');
    expect(await records().count()).toBe(before);
  });
});

describe('Do Not Sell or Share with an e-mail address', () => {
  const REQUEST = 'plugin::privacy-centre.data-subject-request';
  const requests = () => app.strapi.db.query(REQUEST);

  it('registers one opt-out-sale-share request on the jurisdiction\'s clock, the same answer for every address', async () => {
    const first = await withHeaders(app.http().post('/api/privacy-centre/do-not-sell'), CALIFORNIA).send({ email: 'Opt.Out@Example.com', subjectId: 'browser-mail1' });
    expect(first.status).toBe(201);
    expect(first.body.data.requestRegistered).toBe(true);
    const [row] = await requests().findMany({ where: { type: 'opt-out-sale-share', origin: 'do-not-sell' } });
    expect(row).toMatchObject({ email: 'Opt.Out@example.com', subjectId: 'browser-mail1', jurisdiction: 'CCPA', status: 'received' });
    // CCPA Regulations § 7026(f): 15 business days.
    const days = (Date.parse(row.dueAt) - Date.parse(row.receivedAt)) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(19);
    expect(days).toBeLessThanOrEqual(23);
    expect(row.actions[0].what).toContain(first.body.data.receipt.consentId);
    // Again, while the first is open: noted on it, not doubled; the answer does not tell.
    const again = await withHeaders(app.http().post('/api/privacy-centre/do-not-sell'), CALIFORNIA).send({ email: 'Opt.Out@EXAMPLE.COM' });
    expect(again.body.data.requestRegistered).toBe(true);
    const rows = await requests().findMany({ where: { type: 'opt-out-sale-share', emailHash: row.emailHash } });
    expect(rows).toHaveLength(1);
    expect(rows[0].actions.at(-1).what).toMatch(/^asked again/);
    // The retention job that closes unconfirmed self-service requests leaves it alone.
    await app.strapi.plugin('privacy-centre').service('subject-requests').closeUnconfirmed(Date.now() + 30 * 86_400_000);
    expect((await requests().findOne({ where: { id: row.id } })).status).toBe('received');
  });
});
