import { randomBytes } from 'node:crypto';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';

/**
 * Issue 16, server side: the intake of cookie observations (bounds, nothing stored from a bad
 * report), the aggregation (counts equal to what was sent, by phase and refusal), matching
 * (declared name, declared pattern, Open Cookie Database exact and wildcard), the Discovery lists,
 * adding to the declaration and ignore rules, the flood cap, retention and permissions. One
 * Strapi; the writer flushes only when a test asks (flushMilliseconds is long).
 */
const MAX_NAMES_PER_DAY = 40;
const TABLE = 'privacy_centre_cookie_observations';
let app: TestStrapi;
let token: string;

beforeAll(async () => {
  app = await bootStrapi({
    PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ discovery: { maxNamesPerDay: MAX_NAMES_PER_DAY, flushMilliseconds: 60_000 } }),
  });
  token = (await createAdmin(app)).token;
  const define = (name: string, category: string, storageType = 'cookie') =>
    admin().post('/cookies/definitions', { name, category, storageType }).then((r) => expect([name, r.status]).toEqual([name, 201]));
  await define('_ga', 'statistics');
  await define('_ga_*', 'statistics');
  await define('_fbp', 'marketing');
  await define('session_id', 'necessary');
  await define('unseen_pref', 'preferences', 'localStorage');
  expect((await admin().post('/cookies/publish')).status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

function admin(bearer = token) {
  const auth = { Authorization: `Bearer ${bearer}` };
  return {
    get: (url: string) => app.http().get(`/privacy-centre${url}`).set(auth),
    post: (url: string, body: object = {}) => app.http().post(`/privacy-centre${url}`).set(auth).send(body),
    delete: (url: string) => app.http().delete(`/privacy-centre${url}`).set(auth),
  };
}
const OBSERVATIONS = '/api/privacy-centre/cookies/observations';
const report = (body: unknown) => app.http().post(OBSERVATIONS).send(body as object);
const beacon = (text: string) => app.http().post(OBSERVATIONS).set('Content-Type', 'text/plain;charset=UTF-8').send(text);
const flush = () => app.strapi.plugin('privacy-centre').service('discovery').flush();
const rows = () => app.strapi.db.connection(TABLE).select('*');
const discovery = async (query = '') => {
  const response = await admin().get(`/cookies/discovery${query}`);
  expect(response.status).toBe(200);
  return response.body.data;
};
const valid = { revision: 1, path: '/', granted: null, cookie: ['_ga'] };

describe('the intake refuses every malformed report with a 400 that says why, and keeps nothing of it', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['an empty object', {}, /revision must be the declaration revision/],
    ['no consent state', { revision: 1, path: '/' }, /granted must be null/],
    ['a name=value pair', { ...valid, cookie: ['sid=abc123'] }, /cookie holds "sid=abc123": each name must be/],
    ['markup as a name', { ...valid, cookie: ['<img src=x onerror=alert(1)>'] }, /names only, never values/],
    ['a long base64 run', { ...valid, localStorage: [randomBytes(48).toString('base64').replace(/[=]/g, '')] }, /that is a value, not a name/],
    ['a name of 129 characters', { ...valid, cookie: ['a'.repeat(129)] }, /each name must be 1–128 characters/],
    ['a non-ASCII name', { ...valid, cookie: ['sessión'] }, /each name must be/],
    ['201 names', { ...valid, cookie: Array.from({ length: 201 }, (_, i) => `c${i}`) }, /a report names more than 200 names/],
    ['201 names over three storages', { ...valid, cookie: Array.from({ length: 100 }, (_, i) => `c${i}`), localStorage: Array.from({ length: 100 }, (_, i) => `l${i}`), sessionStorage: ['s'] }, /more than 200 names/],
    ['a name that is not text', { ...valid, cookie: [42] }, /cookie must be a list of names/],
    ['a query string', { ...valid, path: '/page?email=a@b.example' }, /path must be the page path/],
    ['a fragment', { ...valid, path: '/page#token=x' }, /path must be the page path/],
    ['a dot segment', { ...valid, path: '/a/../admin' }, /path must be the page path/],
    ['a control character', { ...valid, path: '/a\u0000b' }, /path must be the page path/],
    ['a javascript: URL', { ...valid, path: 'javascript:alert(1)' }, /path must be the page path/],
    ['a protocol-relative path', { ...valid, path: '//evil.example/x' }, /path must be the page path/],
    ['markup in the path', { ...valid, path: '/<script>' }, /path must be the page path/],
    ['a path of 513 characters', { ...valid, path: `/${'a'.repeat(512)}` }, /path must be the page path/],
    ['a revision that is not a number', { ...valid, revision: '1' }, /revision must be/],
    ['granted as text', { ...valid, granted: 'all' }, /granted must be null/],
    ['granted with a key that is not one', { ...valid, granted: ['Marketing'] }, /granted holds "Marketing", which is not a category key/],
    ['another storage', { ...valid, indexedDB: ['x'] }, /unknown field: indexedDB/],
    ['a value field', { ...valid, values: { _ga: 'GA1.1.123' } }, /unknown field: values/],
    ['a list as the body', [valid], /the body must be a JSON object/],
    ['a run of whitespace as a name', { ...valid, cookie: [' '.repeat(100)] }, /each name must be/],
    ['a nested list of names', { ...valid, cookie: [['_ga']] }, /cookie must be a list of names/],
    ['a forged revision', { ...valid, revision: 1e12 }, /revision must be/],
  ];
  it.each(cases)('%s', async (_title, body, message) => {
    const response = await report(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ data: null, error: { status: 400, name: 'ValidationError' } });
    expect(response.body.error.message).toMatch(message);
  });

  it('refuses a __proto__ field, as JSON (Strapi refuses it first) and as text/plain', async () => {
    const text = '{"revision":1,"path":"/","granted":null,"__proto__":{"polluted":true}}';
    const asJson = await app.http().post(OBSERVATIONS).set('Content-Type', 'application/json').send(text);
    expect(asJson.status).toBe(400);
    expect(asJson.body).toMatchObject({ data: null, error: { status: 400 } });
    const asText = await beacon(text);
    expect([asText.status, asText.body.error?.message]).toEqual([400, 'unknown field: __proto__']);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('refuses text/plain that is not JSON, and a body over 16 KiB before reading it', async () => {
    const text = await beacon('cookie=_ga');
    expect([text.status, text.body.error?.message]).toEqual([400, 'the body must be a JSON object (also when sent as text/plain)']);
    const huge = await report({ ...valid, cookie: Array.from({ length: 200 }, (_, i) => `${'n'.repeat(100)}${i}`) });
    expect(huge.status).toBe(413);
  });

  it('has stored nothing', async () => {
    await flush();
    expect(await rows()).toEqual([]);
  });
});

describe('reports are counted per day, name, storage, phase and refusal', () => {
  beforeAll(async () => {
    const before = { revision: 1, path: '/a', granted: null, cookie: ['_ga', '_ga_XYZ123', '_fbp', '_gid', 'made_up_thing', 'session_id'], localStorage: ['_hjSessionUser_42'] };
    for (let i = 0; i < 3; i += 1) expect((await report(before)).status).toBe(202);
    // Statistics refused; sent as navigator.sendBeacon sends it.
    const refused = { revision: 1, path: '/b', granted: ['necessary', 'marketing'], cookie: ['_ga', '_fbp', 'session_id'] };
    for (let i = 0; i < 2; i += 1) {
      const response = await beacon(JSON.stringify(refused));
      expect([response.status, response.body]).toEqual([202, { data: { status: 'accepted' } }]);
    }
    expect((await report({ revision: 1, path: '/c', granted: ['necessary', 'preferences', 'statistics', 'marketing'], cookie: ['_ga', '_ga'] })).status).toBe(202);
    await flush();
  });

  it('stores counters equal to what was sent, and nothing personal', async () => {
    const stored = await rows();
    const of = (name: string, phase: string, refused: boolean) =>
      stored.filter((r: any) => r.name === name && r.phase === phase && Boolean(r.refused) === refused).reduce((sum: number, r: any) => sum + Number(r.count), 0);
    expect(of('_ga', 'before-consent', false)).toBe(3);
    expect(of('_ga', 'after-consent', true)).toBe(2);
    // Twice in one report counts once; granted, so not refused.
    expect(of('_ga', 'after-consent', false)).toBe(1);
    expect(of('_fbp', 'after-consent', false)).toBe(2); // marketing was granted
    expect(of('session_id', 'after-consent', false)).toBe(2); // necessary cannot be refused
    expect(of('_hjSessionUser_42', 'before-consent', false)).toBe(3);
    expect(stored.reduce((sum: number, r: any) => sum + Number(r.count), 0)).toBe(3 * 7 + 2 * 3 + 1);
    // One row per counter, not per report: 7 + 3 + 1.
    expect(stored).toHaveLength(11);
    const columns = Object.keys(stored[0]);
    for (const personal of ['ip', 'user_agent', 'value', 'subject_id', 'consent_id']) expect(columns).not.toContain(personal);
  });

  it('lists undeclared names with the database suggestion, exact and by a wildcard entry', async () => {
    const data = await discovery('?days=30');
    const undeclared = Object.fromEntries(data.undeclared.map((f: any) => [f.name, f]));
    expect(Object.keys(undeclared).sort()).toEqual(['_gid', '_hjSessionUser_42', 'made_up_thing']);
    expect(undeclared._gid).toMatchObject({ storage: 'cookie', count: 3, paths: ['/a'], category: 'statistics', suggestion: { platform: 'Google Analytics', category: 'statistics' } });
    expect(undeclared._gid.suggestion.description).toEqual(expect.any(String));
    expect(undeclared._hjSessionUser_42).toMatchObject({ storage: 'localStorage', count: 3, suggestion: { platform: 'Hotjar', category: 'preferences' } }); // the database calls it Functional
    expect(undeclared.made_up_thing).toMatchObject({ count: 3, category: null, suggestion: null });
    expect(undeclared._gid.firstSeen <= undeclared._gid.lastSeen).toBe(true);
  });

  it('lists declared non-necessary names set before consent (exact and by pattern) and despite a refusal', async () => {
    const data = await discovery();
    const before = Object.fromEntries(data.beforeConsent.map((f: any) => [f.name, f]));
    expect(Object.keys(before).sort()).toEqual(['_fbp', '_ga', '_ga_XYZ123']);
    expect(before._ga).toMatchObject({ count: 3, paths: ['/a'], category: 'statistics' });
    expect(before._ga_XYZ123).toMatchObject({ count: 3, category: 'statistics', suggestion: { platform: 'Google Analytics' } });
    expect(before._fbp).toMatchObject({ category: 'marketing' });
    expect(data.despiteRefusal).toEqual([expect.objectContaining({ name: '_ga', count: 2, paths: ['/b'], category: 'statistics' })]);
    expect(data.unseen).toEqual([expect.objectContaining({ name: 'unseen_pref', storage: 'localStorage', count: 0, category: 'preferences', firstSeen: null })]);
    expect(data.counts).toEqual({ undeclared: 3, beforeConsent: 3, despiteRefusal: 1, unseen: 1 });
    expect(data.sinceRevision).toEqual({ undeclared: 3, beforeConsent: 3, despiteRefusal: 1 });
    expect(data.revision).toMatchObject({ revision: 1 });
    expect(data.flood.count).toBe(0);
  });

  it('gives the admin Overview the same counts over 30 days, with the Cookies page (GET /cookies)', async () => {
    const { body } = await admin().get('/cookies');
    expect(body.data.discovery).toEqual({
      days: 30,
      counts: { undeclared: 3, beforeConsent: 3, despiteRefusal: 1, unseen: 1 },
      sinceRevision: { undeclared: 3, beforeConsent: 3, despiteRefusal: 1 },
      flood: 0,
    });
  });

  it('refuses a days query that is not 1–366', async () => {
    for (const days of ['0', '367', 'x', '1.5']) {
      const response = await admin().get(`/cookies/discovery?days=${days}`);
      expect([days, response.status, response.body.error?.message]).toEqual([days, 400, 'days must be a whole number from 1 to 366']);
    }
  });
});

describe('the editor acts on findings', () => {
  it('ignores a pattern (audited), which leaves the undeclared list, until the rule is removed', async () => {
    for (const pattern of ['*', '**', 'a=b', '<b>']) expect([pattern, (await admin().post('/cookies/discovery/ignore-rules', { pattern })).status]).toEqual([pattern, 400]);
    const created = await admin().post('/cookies/discovery/ignore-rules', { pattern: 'made_up_*', note: 'our test' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ pattern: 'made_up_*', note: 'our test', createdBy: expect.stringContaining('Test') });
    expect((await admin().post('/cookies/discovery/ignore-rules', { pattern: 'made_up_*' })).status).toBe(200);
    const data = await discovery();
    expect(data.undeclared.map((f: any) => f.name).sort()).toEqual(['_gid', '_hjSessionUser_42']);
    expect(data.ignoreRules).toEqual([expect.objectContaining({ pattern: 'made_up_*' })]);
    const events = await app.strapi.db.query('plugin::privacy-centre.audit-event').findMany({ where: { action: 'cookies.discovery.ignore' } });
    expect(events.map((e: any) => e.target)).toEqual(['made_up_*']);

    expect((await admin().delete(`/cookies/discovery/ignore-rules/${created.body.data.documentId}`)).status).toBe(204);
    expect((await discovery()).undeclared.map((f: any) => f.name)).toContain('made_up_thing');
    expect((await admin().delete(`/cookies/discovery/ignore-rules/${created.body.data.documentId}`)).status).toBe(404);
    expect(await app.strapi.db.query('plugin::privacy-centre.audit-event').count({ where: { action: 'cookies.discovery.unignore' } })).toBe(1);
  });

  it('adds an observed name to the declaration being edited, prefilled from the database', async () => {
    const added = await admin().post('/cookies/discovery/definitions', { name: '_hjSessionUser_42', storage: 'localStorage' });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ name: '_hjSessionUser_42', category: 'preferences', provider: 'Hotjar', storageType: 'localStorage' });
    const [text] = Object.values(added.body.data.locales) as Array<{ purpose: string; duration: string }>;
    expect(text.purpose.length).toBeGreaterThan(0);
    // A draft: the published revision, and so the list, change when the editor publishes.
    expect((await discovery()).undeclared.map((f: any) => f.name)).toContain('_hjSessionUser_42');
    expect((await admin().get('/cookies')).body.data.changes.changed).toBe(true);

    const unknown = await admin().post('/cookies/discovery/definitions', { name: 'made_up_thing' });
    expect([unknown.status, unknown.body.error.message]).toEqual([400, 'category is required: the Open Cookie Database does not know this name']);
    const chosen = await admin().post('/cookies/discovery/definitions', { name: 'made_up_thing', category: 'preferences' });
    expect(chosen.body.data).toMatchObject({ name: 'made_up_thing', category: 'preferences', provider: '' });
    expect((await admin().post('/cookies/discovery/definitions', { name: 'x', category: 'nope' })).status).toBe(404);
    expect((await admin().post('/cookies/discovery/definitions', { name: 'a=b', category: 'preferences' })).status).toBe(400);

    expect((await admin().post('/cookies/publish')).status).toBe(200);
    const data = await discovery();
    expect(data.undeclared.map((f: any) => f.name)).toEqual(['_gid']);
    expect(data.revision.revision).toBe(2);
    // Nothing was first seen after revision 2.
    expect(data.sinceRevision.undeclared).toBe(0);
  });
});

describe('a flood of random names is capped per day and counted as such', () => {
  it('keeps at most maxNamesPerDay names and counts the rest in the day\'s overflow', async () => {
    const before = new Set((await rows()).map((r: any) => r.name)).size;
    const random = () => Array.from({ length: 200 }, () => `r_${randomBytes(6).toString('hex')}`);
    for (let i = 0; i < 2; i += 1) expect((await report({ revision: 2, path: `/flood/${i}`, granted: null, cookie: random() })).status).toBe(202);
    await flush();
    const stored = await rows();
    const names = new Set(stored.filter((r: any) => r.storage !== 'overflow').map((r: any) => r.name));
    expect(names.size).toBe(MAX_NAMES_PER_DAY);
    const data = await discovery();
    expect(data.flood).toEqual({ count: 400 - (MAX_NAMES_PER_DAY - before), days: 1, maxNamesPerDay: MAX_NAMES_PER_DAY });
    // The overflow is one row for the day, whatever the flood.
    expect(stored.filter((r: any) => r.storage === 'overflow')).toHaveLength(1);
  });
});

describe('retention and permissions', () => {
  it('purges counters older than retentionDays with the retention job', async () => {
    const old = new Date(Date.now() - 91 * 24 * 3600 * 1000).toISOString();
    const now = new Date();
    await app.strapi.db.connection(TABLE).insert({
      key: 'f'.repeat(64),
      day: old.slice(0, 10),
      name: '_old',
      storage: 'cookie',
      phase: 'before-consent',
      refused: false,
      count: 1,
      first_seen_at: old,
      last_seen_at: old,
      paths: JSON.stringify(['/']),
      document_id: 'oldobservation0000000000',
      created_at: now,
      updated_at: now,
      published_at: now,
    });
    const kept = (await rows()).length - 1;
    const result = await app.strapi.plugin('privacy-centre').service('retention').run();
    expect(result.cookieObservations).toBe(1);
    const left = await rows();
    expect(left).toHaveLength(kept);
    expect(left.map((r: any) => r.name)).not.toContain('_old');
  });

  it('is rate-limited per client network in its own counter, and a refused report keeps nothing', async () => {
    const config = app.strapi.config.get('plugin::privacy-centre') as { rateLimit: { max: number } };
    const server = app.strapi.server.app as { proxy: boolean };
    const { max } = config.rateLimit;
    const overflow = async () => (await rows()).filter((r: any) => r.storage === 'overflow').reduce((sum: number, r: any) => sum + Number(r.count), 0);
    const overflowBefore = await overflow();
    config.rateLimit.max = 3;
    server.proxy = true;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const response = await app.http().post(OBSERVATIONS).set('X-Forwarded-For', '203.0.113.7').send({ ...valid, cookie: ['rate_limited_name'] });
        statuses.push(response.status);
        if (response.status === 429) {
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
          expect(response.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
          expect(response.text).not.toContain('203.0.113');
        }
      }
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      // Another network, and the consents' own counter, are not affected.
      expect((await app.http().post(OBSERVATIONS).set('X-Forwarded-For', '198.51.100.9').send({ ...valid, cookie: ['rate_limited_name'] })).status).toBe(202);
    } finally {
      config.rateLimit.max = max;
      server.proxy = false;
    }
    await flush();
    // The day's cap was reached by the flood above: the four accepted reports' new name is overflow; the refused two are not counted.
    expect(await overflow()).toBe(overflowBefore + 4);
  });

  it('needs cookies.read to read and cookies.manage to act', async () => {
    const reader = (await createAdmin(app, ['plugin::privacy-centre.cookies.read'])).token;
    const nobody = (await createAdmin(app, [])).token;
    expect((await admin(reader).get('/cookies/discovery')).status).toBe(200);
    expect((await admin(nobody).get('/cookies/discovery')).status).toBe(403);
    expect((await admin(reader).post('/cookies/discovery/ignore-rules', { pattern: 'x' })).status).toBe(403);
    expect((await admin(reader).post('/cookies/discovery/definitions', { name: 'x', category: 'preferences' })).status).toBe(403);
  });
});
