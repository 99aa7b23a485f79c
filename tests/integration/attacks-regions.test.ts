import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { adminClient, createAdmin } from '../helpers/admin';
import { CALIFORNIA, GERMANY, trustedHeadersConfig, withHeaders } from '../helpers/regions';
import { answers } from '../../server/src/contract/schemas';
import { signReceipt } from '../../server/src/consent/receipt';

/**
 * Attacks on regions (issue #17), as an attacker and as a data-protection officer: the
 * jurisdiction comes from the configured trusted headers' exact values only; an opt-out for a
 * subjectId only ever refuses; receipts from before regions still verify; POST /do-not-sell
 * answers bad input with a 4xx and records nothing; the page and the Consent Mode script carry
 * no markup; the admin API validates what the answers are built from.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
const RATE_LIMIT = 150;
let app: TestStrapi;
let token: string;

beforeAll(async () => {
  app = await bootStrapi({
    PRIVACY_CENTRE_EXTRA_CONFIG: trustedHeadersConfig(),
    PRIVACY_CENTRE_RATE_LIMIT_MAX: String(RATE_LIMIT),
  });
  token = (await createAdmin(app)).token;
  expect((await admin().post('/cookies/publish')).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const admin = () => adminClient(app, token);
const cookies = (headers: Record<string, string | string[]> = {}) => withHeaders(app.http().get('/api/privacy-centre/cookies'), headers);
const consent = (body: object, headers: Record<string, string> = {}) => withHeaders(app.http().post('/api/privacy-centre/consents'), headers).send(body);
const optOut = (body: object, headers: Record<string, string> = {}) => withHeaders(app.http().post('/api/privacy-centre/do-not-sell'), headers).send(body);
const records = () => app.strapi.db.query(RECORD);
const knex = () => app.strapi.db.connection;
const jurisdictionOf = async (headers: Record<string, string | string[]>) => {
  const response = await cookies(headers);
  expect(response.status).toBe(200);
  return response.body.data.jurisdiction;
};
const DEFAULT = { code: 'GDPR', model: 'opt-in', country: null, region: null };
/**
 * Inserts a record as raw SQL would (records are never updated: the database refuses it): a
 * copy of a recorded one under a new consentId, with changes.
 */
async function insertCopy(consentId: string, changes: Record<string, unknown>) {
  const { id: _id, ...row } = await knex()('privacy_centre_consent_records').where({ consent_id: consentId }).first();
  const copy = { ...row, chain_root: null, previous_consent_id: null, request_id: null, request_hash: null, ...changes };
  copy.document_id = String(copy.consent_id).padEnd(24, '0').slice(0, 24);
  await knex()('privacy_centre_consent_records').insert(copy);
}

describe('the jurisdiction comes from the trusted headers\' exact values only', () => {
  it('reads the configured header in any case, and nothing from look-alike, joined, huge or untrusted values', async () => {
    expect(await jurisdictionOf({ 'cf-ipcountry': 'us', 'CF-REGION': 'ca' })).toEqual({ code: 'CCPA', model: 'opt-out', country: 'US', region: 'CA' });
    // Two CF-IPCountry headers reach the app joined ("US, DE"): no country, not the first nor the last.
    expect(await jurisdictionOf({ 'CF-IPCountry': ['US', 'DE'] })).toEqual(DEFAULT);
    expect(await jurisdictionOf({ 'CF-IPCountry': 'US,DE' })).toEqual(DEFAULT);
    // A latin1 `ß` upper-cases to "SS" (a real country code): a look-alike is no country.
    expect(await jurisdictionOf({ 'CF-IPCountry': 'ß' })).toEqual(DEFAULT);
    expect(await jurisdictionOf({ 'CF-IPCountry': 'D'.repeat(8_000) })).toEqual(DEFAULT);
    expect(await jurisdictionOf({ Forwarded: 'for=1.2.3.4;country=US', 'X-Forwarded-For': '8.8.8.8', 'X-Forwarded-Country': 'US', 'CF-Region': 'CA' })).toEqual(DEFAULT);
  });

  it('takes a whole region code only of the country header\'s country', async () => {
    // Canada, with a region header naming a US code whose subdivision is Québec's: not Law 25.
    expect(await jurisdictionOf({ 'CF-IPCountry': 'CA', 'CF-Region': 'US-QC' })).toMatchObject({ code: 'PIPEDA', country: 'CA', region: null });
    expect(await jurisdictionOf({ 'CF-IPCountry': 'CA', 'CF-Region': 'CA-QC' })).toMatchObject({ code: 'QC_LAW25', region: 'QC' });
    expect(await jurisdictionOf({ 'CF-IPCountry': 'US', 'CF-Region': 'CA-QC' })).toMatchObject({ code: 'GDPR', country: 'US', region: null });
  });

  it('records what the headers resolve, not a jurisdiction the body claims', async () => {
    const before = await records().count();
    const claimed = await consent({ state: { marketing: true }, jurisdiction: 'NONE' }, { 'CF-IPCountry': 'CA', 'CF-Region': 'US-QC' });
    expect(claimed.status).toBe(400);
    expect(await records().count()).toBe(before);
    const receipt = (await consent({ state: { marketing: true } }, { 'CF-IPCountry': 'ß' })).body.data;
    expect(receipt.jurisdiction).toEqual({ code: 'GDPR', model: 'opt-in' });
  });
});

describe('the c15t path', () => {
  it('records the resolved jurisdiction, not the one c15t\'s body names, and honours GPC under opt-out', async () => {
    const body = {
      type: 'cookie_banner',
      subjectId: 'sub_2jv6z8n4q9ABCattackA',
      domain: 'site.example',
      preferences: { necessary: true, functionality: true, measurement: true, marketing: true },
      givenAt: Date.now(),
      jurisdiction: 'NONE',
      jurisdictionModel: 'opt-in',
      consentAction: 'all',
      uiSource: 'banner',
    };
    const response = await withHeaders(app.http().post('/api/privacy-centre/c15t/subjects'), { ...CALIFORNIA, 'Sec-GPC': '1', 'x-c15t-country': 'DE' })
      .set('x-c15t-version', '2.2.1')
      .send(body);
    expect(response.status).toBe(201);
    const receipt = response.body.metadata.receipt;
    expect(receipt.jurisdiction).toEqual({ code: 'CCPA', model: 'opt-out' });
    expect(receipt.gpc).toEqual({ signal: true, refused: ['marketing'], honoured: true });
    expect(receipt.state).toMatchObject({ statistics: true, marketing: false });
    const row = await records().findOne({ where: { consentId: receipt.consentId } });
    expect(row).toMatchObject({ jurisdiction: 'CCPA', jurisdictionModel: 'opt-out' });
    const verified = await app.http().post('/api/privacy-centre/consents/verify').send({ receipt });
    expect(verified.body.data).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
  });
});

describe('an opt-out for a subjectId only ever refuses', () => {
  it('does not grant a category published after the subject\'s decision (whoever sends it, from wherever)', async () => {
    const given = (await consent({ subjectId: 'victim-0001', state: { preferences: true, statistics: false, marketing: false } }, GERMANY)).body.data;
    expect(given.state).toEqual({ necessary: true, preferences: true, statistics: false, marketing: false });
    const created = await admin().post('/cookies/categories', { key: 'support_chat', locales: { en: { name: 'Support chat', description: 'A chat window.' } } });
    expect(created.status).toBe(201);
    expect((await admin().post('/cookies/publish')).status).toBe(200);
    // Someone in California (an opt-out law: defaults grant) opts the German visitor out.
    const response = await optOut({ subjectId: 'victim-0001' }, CALIFORNIA);
    expect(response.status).toBe(201);
    const { receipt } = answers.doNotSell.parse(response.body).data;
    expect(receipt.previousConsentId).toBe(given.consentId);
    expect(receipt.state).toEqual({ necessary: true, preferences: true, statistics: false, marketing: false, support_chat: false });
  });

  it('does not renew an expired decision', async () => {
    const template = (await consent({ subjectId: 'template-0002', state: { preferences: true, statistics: true, marketing: true } }, CALIFORNIA)).body.data;
    // The subject's decision, given long ago and expired since.
    await insertCopy(template.consentId, { consent_id: 'ExpiredDecisionAAAAAA1', subject_id: 'victim-0002', given_at: '2019-01-01T00:00:00.000Z', expires_at: '2020-01-01T00:00:00.000Z' });
    expect((await app.http().get('/api/privacy-centre/consents/ExpiredDecisionAAAAAA1')).body.data.status).toBe('expired');
    const { receipt } = answers.doNotSell.parse((await optOut({ subjectId: 'victim-0002' }, CALIFORNIA)).body).data;
    expect(receipt.state).toEqual({ necessary: true, preferences: false, statistics: false, marketing: false, support_chat: false });
  });

  it('still keeps what a valid decision grants, less sale/share', async () => {
    await consent({ subjectId: 'browser-0001', state: { preferences: true, statistics: true, marketing: true, support_chat: true } }, CALIFORNIA);
    const { receipt } = answers.doNotSell.parse((await optOut({ subjectId: 'browser-0001' }, CALIFORNIA)).body).data;
    expect(receipt.state).toEqual({ necessary: true, preferences: true, statistics: true, marketing: false, support_chat: true });
  });
});

describe('an opt-out only refuses, under races too', () => {
  it('no do-not-sell record grants what the record it continues did not, with the subject deciding at the same moment', async () => {
    await consent({ subjectId: 'victim-race1', state: { preferences: true, statistics: false, marketing: true } }, GERMANY);
    const attempts = await Promise.all([
      optOut({ subjectId: 'victim-race1' }, CALIFORNIA),
      consent({ subjectId: 'victim-race1', state: { preferences: false, statistics: false, marketing: true } }, GERMANY),
      optOut({ subjectId: 'victim-race1' }, GERMANY),
      optOut({ subjectId: 'victim-race1' }, CALIFORNIA),
    ]);
    for (const attempt of attempts) expect(attempt.status).toBeLessThan(500);
    const rows = await records().findMany({ where: { subjectId: 'victim-race1' }, orderBy: [{ id: 'asc' }] });
    const byId = new Map(rows.map((row: any) => [row.consentId, row]));
    for (const row of rows.filter((r: any) => r.via === 'do-not-sell')) {
      const previous: any = byId.get(row.previousConsentId);
      expect(previous).toBeDefined();
      for (const [key, granted] of Object.entries(row.state)) {
        if (granted && key !== 'necessary') expect({ key, before: previous.state[key] }).toEqual({ key, before: true });
      }
      expect(row.state.marketing).toBe(false);
    }
    expect(rows.some((row: any) => row.via === 'do-not-sell')).toBe(true);
  });
});

describe('receipts from before regions', () => {
  it('still verify and answer status; a jurisdiction or gpc.honoured added to them does not verify', async () => {
    const recorded = (await consent({ state: { preferences: true } }, { ...CALIFORNIA, 'Sec-GPC': '1' })).body.data;
    expect(recorded.gpc.honoured).toBe(true);
    // A record as 0.x wrote it: no jurisdiction, its receipt signed without one.
    const { signature: _signature, jurisdiction: _jurisdiction, ...rest } = recorded;
    const { honoured: _honoured, ...gpc } = rest.gpc;
    const keys = app.strapi.plugin('privacy-centre').service('keys');
    const old = signReceipt((text) => keys.sign('consent-receipt', text), { ...rest, consentId: 'PreRegionsReceiptAAAA1', subjectId: 'pre-regions-0001', gpc });
    await insertCopy(recorded.consentId, { consent_id: old.consentId, subject_id: old.subjectId, jurisdiction: null, jurisdiction_model: null, signature: old.signature });
    const verify = (receipt: object) => app.http().post('/api/privacy-centre/consents/verify').send({ receipt });
    expect((await verify(old)).body.data).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
    const status = await app.http().get(`/api/privacy-centre/consents/${old.consentId}`);
    expect(status.status).toBe(200);
    expect(status.body.data.status).toBe('valid');
    const { signature: _oldSignature, subjectId: _oldSubject, ...shown } = old;
    expect(status.body.data.receipt).toEqual(shown);
    expect((await verify({ ...old, jurisdiction: { code: 'CCPA', model: 'opt-out' } })).body.data.authentic).toBe(false);
    expect((await verify({ ...old, gpc: { ...old.gpc, honoured: false } })).body.data.authentic).toBe(false);
    expect((await verify({ ...recorded, gpc: { ...recorded.gpc, honoured: false } })).body.data.authentic).toBe(false);
  });
});

describe('POST /do-not-sell with bad input', () => {
  it('answers a 4xx, never a 5xx, and records nothing', async () => {
    const before = await records().count();
    let nested: unknown = 'x';
    for (let i = 0; i < 2_000; i += 1) nested = { subjectId: nested };
    const bodies: unknown[] = [
      { subjectId: 12 },
      { subjectId: null },
      { subjectId: true },
      { subjectId: { $ne: null } },
      { email: ['a@example.com'] },
      { email: 'a@exa mple.com'.padStart(10_000, ' ') },
      { email: `${'a'.repeat(300)}@example.com` },
      { locale: 'en'.padEnd(5_000, ' ') },
      { subjectId: ' '.repeat(50_000) },
      { subjectId: 'browser-0009', extra: { deep: nested } },
      nested,
      [{ subjectId: 'browser-0009' }],
      'subjectId=browser-0009',
      null,
      7,
      [],
      { __proto__: { subjectId: 'x' }, constructor: { prototype: { polluted: true } } },
    ];
    for (const body of bodies) {
      const response = await app.http().post('/api/privacy-centre/do-not-sell').set('Content-Type', 'application/json').send(JSON.stringify(body));
      const seen = { body: JSON.stringify(body).slice(0, 40), answer: `${response.status} ${response.text.slice(0, 200)}` };
      expect({ ...seen, fourXX: response.status >= 400 && response.status < 500 }).toEqual({ ...seen, fourXX: true });
    }
    const huge = await app.http().post('/api/privacy-centre/do-not-sell').set('Content-Type', 'application/json').send(JSON.stringify({ subjectId: 'x'.repeat(5_000_000) }));
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    const forms = [
      app.http().post('/api/privacy-centre/do-not-sell').type('form').send('subjectId=a&subjectId=b'),
      app.http().post('/api/privacy-centre/do-not-sell').type('form').send(`subjectId=${'%20'.repeat(20_000)}`),
      app.http().post('/api/privacy-centre/do-not-sell').type('form').send('subjectId[a]=b'),
      app.http().post('/api/privacy-centre/do-not-sell').field('subjectId', '<b>x</b>'),
      app.http().post('/api/privacy-centre/do-not-sell').attach('subjectId', Buffer.from('browser-0009'), 'id.txt'),
      app.http().post('/api/privacy-centre/do-not-sell').set('Content-Type', 'text/plain').send('subjectId=browser-0009'),
    ];
    for (const [index, form] of forms.entries()) {
      const response = await form;
      expect({ index, status: response.status >= 400 && response.status < 500 }).toEqual({ index, status: true });
      expect(response.text).not.toContain('<b>x</b>');
    }
    expect(await records().count()).toBe(before);
    // No body at all is still an opt-out of this browser, from its jurisdiction's defaults.
    const bare = await withHeaders(app.http().post('/api/privacy-centre/do-not-sell'), CALIFORNIA);
    expect(bare.status).toBe(201);
    expect(bare.body.data.receipt.state.marketing).toBe(false);
  });

  it('a GET never writes, whatever it carries', async () => {
    const before = await records().count();
    for (const query of ['?subjectId=browser-0010', '?subjectId=browser-0010&subjectId=b', '?email=a%40example.com', '?locale[]=en']) {
      const response = await withHeaders(app.http().get(`/api/privacy-centre/do-not-sell${query}`), CALIFORNIA);
      expect(response.status).toBeLessThan(500);
    }
    expect(await records().count()).toBe(before);
  });
});

describe('what editors write is escaped or refused where it is shown', () => {
  it('the page escapes a category name with markup published in the declaration', async () => {
    const name = '<img src=x onerror=alert(1)>"Ads" & </p><script>x</script>';
    const edited = await admin().put('/cookies/categories/marketing', { locales: { en: { name, description: 'Ads.' } } });
    if (edited.status === 200) {
      expect((await admin().post('/cookies/publish')).status).toBe(200);
      const page = await app.http().get('/api/privacy-centre/do-not-sell?locale=en');
      expect(page.status).toBe(200);
      expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page.text).not.toContain('<img');
      expect(page.text).not.toContain('<script');
    } else {
      expect(edited.status).toBe(400);
    }
  });

  it('the Consent Mode script carries no markup: the table refuses anything but ISO codes', async () => {
    const before = (await admin().get('/regions')).body.data.table;
    for (const area of ['</script><script>alert(1)</script>', 'US-</', 'us-ca', 'DE\u2028', 'US-CA ']) {
      const put = await admin().put('/regions', { ...before, areas: { ...before.areas, [area]: 'CCPA' } });
      expect({ area, status: put.status }).toEqual({ area, status: 400 });
    }
    for (const bad of [{ ...before, defaultJurisdiction: '</script>' }, { ...before, models: { CCPA: '</script>' } }, { ...before, areas: { DE: '</script>' } }]) {
      expect((await admin().put('/regions', bad)).status).toBe(400);
    }
    const script = await app.http().get('/api/privacy-centre/cookies/consent-mode?format=script');
    expect(script.status).toBe(200);
    expect(script.text).not.toMatch(/<|\u2028|\u2029/);
  });

  it('refuses a saleShare that is not a boolean, and a published revision keeps its own', async () => {
    for (const saleShare of ['yes', 1, 0, 'true', {}, []]) {
      const put = await admin().put('/cookies/categories/statistics', { saleShare });
      expect({ saleShare, status: put.status }).toEqual({ saleShare, status: 400 });
    }
    const shown = async () => (await cookies(CALIFORNIA)).body.data.categories.find((c: any) => c.key === 'statistics').saleShare;
    expect(await shown()).toBe(false);
    expect((await admin().put('/cookies/categories/statistics', { saleShare: true })).status).toBe(200);
    // Not published yet: the answers and the opt-out follow the published revision.
    expect(await shown()).toBe(false);
    const { receipt } = answers.doNotSell.parse((await optOut({}, CALIFORNIA)).body).data;
    expect(receipt.state.statistics).toBe(true);
    expect((await admin().post('/cookies/publish')).status).toBe(200);
    expect(await shown()).toBe(true);
    const after = answers.doNotSell.parse((await optOut({}, CALIFORNIA)).body).data.receipt;
    expect(after.state.statistics).toBe(false);
  });

  it('never makes a required category a sale/share one, whatever an editor set on it', async () => {
    const put = await admin().put('/cookies/categories/necessary', { saleShare: true });
    expect([200, 400]).toContain(put.status);
    expect((await admin().post('/cookies/publish')).status).toBe(200);
    const { data } = answers.cookieDeclaration.parse((await cookies({ ...CALIFORNIA, 'Sec-GPC': '1' })).body);
    expect(data.categories.find((c) => c.key === 'necessary')?.saleShare).toBe(false);
    expect(data.defaults.necessary).toBe(true);
    expect(data.gpc.refused).not.toContain('necessary');
    const page = await app.http().get('/api/privacy-centre/do-not-sell?locale=en');
    expect(page.text).not.toContain('Necessary');
    const { receipt } = answers.doNotSell.parse((await optOut({}, { ...CALIFORNIA, 'Sec-GPC': '1' })).body).data;
    expect(receipt.state.necessary).toBe(true);
    expect(receipt.gpc.refused).not.toContain('necessary');
  });
});

describe('the Content Manager is no write path to categories', () => {
  it('refuses to create or change a cookie category (saleShare included), even for a super admin', async () => {
    const UID = 'plugin::privacy-centre.cookie-category';
    const auth = { Authorization: `Bearer ${token}` };
    const before = await app.strapi.db.query(UID).findMany({});
    const [row] = before.filter((r: any) => r.key === 'marketing');
    const attempts = [
      app.http().post(`/content-manager/collection-types/${UID}?locale=en`).set(auth).send({ key: 'sneaky', name: 'Sneaky', saleShare: 'yes' }),
      app.http().put(`/content-manager/collection-types/${UID}/${row.documentId}?locale=en`).set(auth).send({ saleShare: false }),
      app.http().post(`/content-manager/collection-types/${UID}/${row.documentId}/actions/publish?locale=en`).set(auth).send({ saleShare: false }),
    ];
    for (const [index, attempt] of attempts.entries()) {
      const response = await attempt;
      expect({ index, refused: response.status >= 400 && response.status < 500 }).toEqual({ index, refused: true });
    }
    expect(await app.strapi.db.query(UID).findMany({})).toEqual(before);
  });
});

describe('a table edit is served at once, to caches that revalidate too', () => {
  it('moves Last-Modified of GET /cookies and GET /cookies/consent-mode: If-Modified-Since gets the new answer, not a 304', async () => {
    const consentMode = (headers: Record<string, string> = {}) => withHeaders(app.http().get('/api/privacy-centre/cookies/consent-mode?format=script'), headers);
    const first = await cookies(CALIFORNIA);
    const firstMode = await consentMode();
    expect(first.body.data.jurisdiction.model).toBe('opt-out');
    // Unchanged: a revalidation by date is answered 304, as before.
    expect((await cookies({ ...CALIFORNIA, 'If-Modified-Since': first.headers['last-modified'] })).status).toBe(304);
    expect((await consentMode({ 'If-Modified-Since': firstMode.headers['last-modified'] })).status).toBe(304);
    // HTTP dates count whole seconds: the edit comes in a later one.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const table = (await admin().get('/regions')).body.data.table;
    expect((await admin().put('/regions', { ...table, models: { ...table.models, CCPA: 'opt-in' } })).status).toBe(200);
    const edited = await cookies({ ...CALIFORNIA, 'If-Modified-Since': first.headers['last-modified'] });
    expect(edited.status).toBe(200);
    expect(edited.body.data.jurisdiction.model).toBe('opt-in');
    const editedMode = await consentMode({ 'If-Modified-Since': firstMode.headers['last-modified'] });
    expect(editedMode.status).toBe(200);
    expect(editedMode.text).not.toBe(firstMode.text);
    // A reset to the defaults is a change too.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await admin().delete('/regions')).status).toBe(200);
    const reset = await cookies({ ...CALIFORNIA, 'If-Modified-Since': edited.headers['last-modified'] });
    expect(reset.status).toBe(200);
    expect(reset.body.data.jurisdiction.model).toBe('opt-out');
    expect((await consentMode({ 'If-Modified-Since': editedMode.headers['last-modified'] })).status).toBe(200);
    expect((await admin().get('/regions')).body.data.edited).toBe(false);
  });
});

describe('rate limit', () => {
  it('applies to POST /do-not-sell', async () => {
    let limited = 0;
    for (let i = 0; i < RATE_LIMIT + 5 && !limited; i += 1) {
      const response = await optOut({ subjectId: 'x' });
      if (response.status === 429) limited += 1;
    }
    expect(limited).toBe(1);
    const before = await records().count();
    expect((await optOut({}, CALIFORNIA)).status).toBe(429);
    expect(await records().count()).toBe(before);
  });
});
