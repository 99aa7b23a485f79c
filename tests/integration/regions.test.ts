import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { actionUid } from '../../server/src/permissions/actions';
import { DEFAULT_AREAS, JURISDICTIONS } from '../../server/src/regions';

/**
 * Settings → Regions through the admin API: the table as GET answers it, PUT's validation (each
 * refusal a 400 that changes nothing and audits nothing), a saved edit (audited with what
 * changed, and followed by c15t's /init for a visitor behind the trusted header), headers that
 * config does not name ignored, reset, and who may do what.
 */
let app: TestStrapi;
let editor: string;
let reader: string;
let auditor: string;

beforeAll(async () => {
  app = await bootStrapi({
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ regions: { countryHeaders: ['cf-ipcountry'], regionHeaders: ['cf-region'] } }),
  });
  editor = (await createAdmin(app, [actionUid('settings', 'read'), actionUid('settings', 'update')])).token;
  reader = (await createAdmin(app, [actionUid('settings', 'read')])).token;
  auditor = (await createAdmin(app, [actionUid('audit', 'read')])).token;
  // c15t's /init answers from a published declaration: publish the seeded categories.
  const superAdmin = (await createAdmin(app)).token;
  expect((await app.http().post('/privacy-centre/cookies/publish').set(auth(superAdmin)).send({})).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const getRegions = (token = reader) => app.http().get('/privacy-centre/regions').set(auth(token));
const putRegions = (body: unknown, token = editor) => app.http().put('/privacy-centre/regions').set(auth(token)).send(body as object);
const resetRegions = (token = editor) => app.http().delete('/privacy-centre/regions').set(auth(token));
const regionEvents = async () => {
  const response = await app.http().get('/privacy-centre/audit-events?pageSize=100').set(auth(auditor));
  expect(response.status).toBe(200);
  return (response.body.results as Array<{ action: string; target: string | null; details: any; actor: string }>).filter((e) =>
    e.action.startsWith('regions.')
  );
};
/** c15t's /init as a visitor behind the proxy that sets the trusted headers. */
const init = (headers: Record<string, string>) => {
  const request = app.http().get('/api/privacy-centre/c15t/init');
  for (const [name, value] of Object.entries(headers)) request.set(name, value);
  return request;
};

const defaultTable = { areas: { ...DEFAULT_AREAS }, models: {}, defaultJurisdiction: 'GDPR' };

describe('GET /regions', () => {
  it('answers the default table, every jurisdiction with its model and source, and the trusted headers', async () => {
    const response = await getRegions();
    expect(response.status).toBe(200);
    const data = response.body.data;
    expect(data).toEqual({
      table: defaultTable,
      edited: false,
      changedAt: null,
      jurisdictions: expect.any(Array),
      defaults: { areas: { ...DEFAULT_AREAS }, defaultJurisdiction: 'GDPR' },
      countryHeaders: ['cf-ipcountry'],
      regionHeaders: ['cf-region'],
    });
    expect(data.jurisdictions).toHaveLength(JURISDICTIONS.length);
    for (const j of data.jurisdictions) {
      expect(Object.keys(j).sort()).toEqual(['code', 'defaultModel', 'model', 'name', 'source']);
      expect(j.model).toBe(j.defaultModel);
      expect(['opt-in', 'opt-out', 'notice']).toContain(j.model);
      expect(j.source.length).toBeGreaterThan(0);
    }
    expect(data.jurisdictions.find((j: any) => j.code === 'CCPA')).toMatchObject({ name: 'California: CCPA/CPRA', model: 'opt-out' });
  });

  it('resolves a visitor by the trusted headers: US-CA is CCPA (opt-out), Finland GDPR', async () => {
    expect((await init({ 'cf-ipcountry': 'US', 'cf-region': 'CA' })).body).toMatchObject({
      jurisdiction: 'CCPA',
      location: { countryCode: 'US', regionCode: 'CA' },
      policy: { model: 'opt-out' },
    });
    expect((await init({ 'cf-ipcountry': 'FI' })).body).toMatchObject({ jurisdiction: 'GDPR', policy: { model: 'opt-in' } });
  });
});

describe('PUT /regions refuses a bad table with a 400 and changes nothing', () => {
  const good = { areas: { ...DEFAULT_AREAS }, models: {}, defaultJurisdiction: 'GDPR' };
  it.each([
    ['a lower-case area', { ...good, areas: { ...good.areas, 'us-ca': 'CCPA' } }, /ISO 3166.*us-ca/],
    ['an area with a bad subdivision', { ...good, areas: { 'US-CALIFORNIA': 'CCPA' } }, /ISO 3166/],
    ['a three-letter country', { ...good, areas: { USA: 'CCPA' } }, /ISO 3166.*USA/],
    ['an unknown jurisdiction', { ...good, areas: { 'US-CA': 'MARS' } }, /unknown jurisdiction: US-CA/],
    ['a jurisdiction that is not a string', { ...good, areas: { 'US-CA': 42 } }, /unknown jurisdiction/],
    ['an unknown default jurisdiction', { ...good, defaultJurisdiction: 'MARS' }, /defaultJurisdiction/],
    ['a missing default jurisdiction', { areas: good.areas, models: {} }, /defaultJurisdiction/],
    ['a bad model', { ...good, models: { CCPA: 'opt-maybe' } }, /models must map/],
    ['a model of an unknown jurisdiction', { ...good, models: { MARS: 'opt-in' } }, /models must map.*MARS/],
    ['models as an array', { ...good, models: ['opt-in'] }, /models must be an object/],
    ['an unknown field', { ...good, colour: 'red' }, /unknown field: colour/],
    ['areas as an array', { ...good, areas: [['US-CA', 'CCPA']] }, /areas must be an object/],
    ['a missing table', {}, /areas must be an object/],
    ['an array body', [1, 2], /the body must be/],
  ])('refuses %s', async (_label, body, message) => {
    const eventsBefore = (await regionEvents()).length;
    const response = await putRegions(body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ status: 400, name: 'ValidationError' });
    expect(response.body.error.message).toMatch(message);
    const after = await getRegions();
    expect(after.body.data).toMatchObject({ table: defaultTable, edited: false, changedAt: null });
    expect(await regionEvents()).toHaveLength(eventsBefore);
  });

  it('names at most five bad areas, each cut short, however many are sent', async () => {
    const areas = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`bad-area-${i}-${'x'.repeat(40)}`, 'GDPR']));
    const response = await putRegions({ ...good, areas });
    expect(response.status).toBe(400);
    expect(response.body.error.message.length).toBeLessThan(400);
    expect(response.body.error.message).not.toContain('x'.repeat(40));
    expect((await getRegions()).body.data.edited).toBe(false);
  });

  it('refuses a huge body (over the admin routes’ 64 KiB) with a 413 before reading it', async () => {
    const areas = Object.fromEntries(Array.from({ length: 7000 }, (_, i) => [`A${String.fromCharCode(65 + (i % 26))}-${i}`, 'GDPR']));
    const response = await putRegions({ ...good, areas });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ name: 'PayloadTooLargeError' });
    expect((await getRegions()).body.data).toMatchObject({ table: defaultTable, edited: false });
  });

  it('refuses a reader (settings.read only) with a 403', async () => {
    const response = await putRegions({ ...good, defaultJurisdiction: 'NONE' }, reader);
    expect(response.status).toBe(403);
    expect((await resetRegions(reader)).status).toBe(403);
    expect((await getRegions()).body.data.edited).toBe(false);
  });
});

describe('a saved table', () => {
  it('is kept, audited with what changed, and followed by c15t’s /init', async () => {
    const { FR: _removed, ...areas } = DEFAULT_AREAS;
    const table = {
      // US-CA moves to GDPR, Norway's ISO subdivision Svalbard is added, France is removed.
      areas: { ...areas, 'US-CA': 'GDPR', 'NO-21': 'NONE' },
      models: { GDPR: 'opt-out' as const },
      defaultJurisdiction: 'NONE',
    };
    const response = await putRegions(table);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ table, edited: true, changedAt: expect.any(String) });
    expect(response.body.data.jurisdictions.find((j: any) => j.code === 'GDPR')).toMatchObject({ model: 'opt-out', defaultModel: 'opt-in' });

    const again = await getRegions();
    expect(again.body.data.table).toEqual(table);
    expect(again.body.data.edited).toBe(true);

    const events = await regionEvents();
    expect(events[0]).toMatchObject({
      action: 'regions.update',
      target: 'regions',
      details: {
        areas: { 'US-CA': { from: 'CCPA', to: 'GDPR' }, 'NO-21': { from: null, to: 'NONE' }, FR: { from: 'GDPR', to: null } },
        models: { GDPR: { from: null, to: 'opt-out' } },
        defaultJurisdiction: { from: 'GDPR', to: 'NONE' },
      },
    });
    expect(Object.keys(events[0].details.areas).sort()).toEqual(['FR', 'NO-21', 'US-CA']);
    expect(events[0].actor).toMatch(/<admin\d+\.\d+@example\.com>/);

    // The trusted headers now lead to the edited entries (the memo is dropped on save).
    expect((await init({ 'cf-ipcountry': 'US', 'cf-region': 'CA' })).body).toMatchObject({
      jurisdiction: 'GDPR',
      location: { countryCode: 'US', regionCode: 'CA' },
      policy: { model: 'opt-out' },
    });
    // France has no entry now: the default jurisdiction, NONE, with c15t's "none" model.
    expect((await init({ 'cf-ipcountry': 'FR' })).body).toMatchObject({ jurisdiction: 'NONE', policy: { model: 'none' } });
    // Another state keeps its own law.
    expect((await init({ 'cf-ipcountry': 'US', 'cf-region': 'CO' })).body).toMatchObject({ jurisdiction: 'CCPA' });
  });

  it('ignores a location header that config does not name (a browser can send any header)', async () => {
    const forged = await init({ 'x-vercel-ip-country': 'US', 'x-vercel-ip-country-region': 'CA', 'cloudfront-viewer-country': 'FI' });
    expect(forged.body).toMatchObject({ jurisdiction: 'NONE', location: { countryCode: null, regionCode: null } });
    // A region header alone, without the trusted country, says nothing.
    expect((await init({ 'cf-region': 'CA' })).body).toMatchObject({ jurisdiction: 'NONE', location: { countryCode: null } });
  });

  it('an identical save is audited with an empty diff and keeps the table', async () => {
    const before = (await getRegions()).body.data.table;
    expect((await putRegions(before)).status).toBe(200);
    const [latest] = await regionEvents();
    expect(latest).toMatchObject({ action: 'regions.update', details: { areas: {}, models: {} } });
    expect(latest.details.defaultJurisdiction).toBeUndefined();
    expect((await getRegions()).body.data.table).toEqual(before);
  });
});

describe('DELETE /regions', () => {
  it('restores the defaults, audited as regions.reset with what it undid', async () => {
    const response = await resetRegions();
    expect(response.status).toBe(200);
    // The reset keeps its date (Last-Modified of the public answers moves with it).
    expect(response.body.data).toMatchObject({ table: defaultTable, edited: false });
    expect(Date.parse(response.body.data.changedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await getRegions()).body.data).toMatchObject({ table: defaultTable, edited: false });

    const [latest] = await regionEvents();
    expect(latest).toMatchObject({
      action: 'regions.reset',
      details: {
        areas: { 'US-CA': { from: 'GDPR', to: 'CCPA' }, 'NO-21': { from: 'NONE', to: null }, FR: { from: null, to: 'GDPR' } },
        models: { GDPR: { from: 'opt-out', to: null } },
        defaultJurisdiction: { from: 'NONE', to: 'GDPR' },
      },
    });

    expect((await init({ 'cf-ipcountry': 'US', 'cf-region': 'CA' })).body).toMatchObject({ jurisdiction: 'CCPA', policy: { model: 'opt-out' } });
    expect((await init({ 'x-vercel-ip-country': 'US' })).body).toMatchObject({ jurisdiction: 'GDPR', location: { countryCode: null } });
  });
});
