import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';

/**
 * The fast path of POST /consents answers exactly as the route does. The same request is sent
 * to the path the fast path takes and, with a query string (which the route ignores and the fast
 * path leaves to it), to the route; the answers must match, generated values aside.
 */
let app: TestStrapi;
let revision: number;

beforeAll(async () => {
  app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ rateLimit: { enabled: true, windowSeconds: 60, max: 1000 } }) });
  await ensureLocales(app, ['fi']);
  const { token } = await createAdmin(app);
  const auth = { Authorization: `Bearer ${token}` };
  const draft = await app.http().post('/privacy-centre/policies/drafts').set(auth).send({ slug: 'privacy-policy', locales: sampleLocales('f') });
  await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set(auth).send({});
  expect((await app.http().post('/privacy-centre/cookies/publish').set(auth).send({})).status).toBe(200);
  revision = (await app.http().get('/api/privacy-centre/cookies')).body.data.revision;
});
afterAll(async () => {
  await app?.close();
});

/** An answer with what differs between two recordings (ids, times, signature) blanked. */
const shape = (response: { status: number; body: any; headers: Record<string, string> }) => ({
  status: response.status,
  contentType: response.headers['content-type'],
  cacheControl: response.headers['cache-control'],
  body: JSON.parse(
    JSON.stringify(response.body).replace(/"(consentId|subjectId|givenAt|expiresAt|signature)":"[^"]*"/g, '"$1":"…"')
  ),
});

const send = (path: string, body: string, type: string, headers: Record<string, string> = {}) => {
  const request = app.http().post(path).set('Content-Type', type);
  for (const [name, value] of Object.entries(headers)) request.set(name, value);
  return request.send(body);
};

const CASES: Array<[string, string, string, Record<string, string>?]> = [
  ['plugin shape', JSON.stringify({ state: { preferences: true, statistics: false, marketing: false }, declarationRevision: 1 }), 'application/json'],
  ['with charset', JSON.stringify({ state: { statistics: true } }), 'application/json; charset=utf-8'],
  ['sendBeacon text/plain', JSON.stringify({ state: { marketing: true } }), 'text/plain;charset=UTF-8'],
  ['cookieconsent shape', JSON.stringify({ consentId: 'cc-visitor-000001', revision: 1, acceptType: 'custom', acceptedCategories: ['necessary', 'statistics'], rejectedCategories: ['marketing'], languageCode: 'fi', consentTimestamp: '2026-12-02T10:00:00.000Z', lastConsentTimestamp: '2026-12-02T10:00:00.000Z' }), 'application/json'],
  ['GPC', JSON.stringify({ state: { marketing: true, statistics: true } }), 'application/json', { 'Sec-GPC': '1' }],
  ['malformed JSON', '{"state": {', 'application/json'],
  ['JSON primitive', '"just a string"', 'application/json'],
  ['JSON array', '[1,2,3]', 'application/json'],
  ['empty JSON body', '', 'application/json'],
  ['malformed text/plain', 'not json at all', 'text/plain'],
  ['unknown category', JSON.stringify({ state: { telemetry: true } }), 'application/json'],
  ['unknown revision', JSON.stringify({ state: {}, declarationRevision: 99 }), 'application/json'],
  ['wrong types', JSON.stringify({ state: 'yes', source: 42 }), 'application/json'],
  ['proto keys', '{"__proto__":{"polluted":true},"state":{"constructor":true}}', 'application/json'],
  ['deep nesting', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`, 'application/json'],
  ['whitespace run', `{"state":{}${' '.repeat(10_000)}}`, 'application/json'],
  // Words the body guard looks for in a parser's errors, in a validation error's message.
  ['multipart category', JSON.stringify({ state: { multipart: true } }), 'application/json'],
  ['boundary field', JSON.stringify({ 'Unexpected end of form': 1, state: { boundary: true } }), 'application/json'],
];

describe('POST /consents: the fast path answers as the route', () => {
  it('is taken on this app (it steps aside, and says so, only when the route is customised)', async () => {
    const info = jest.spyOn(app.strapi.log, 'info');
    await send('/api/privacy-centre/consents', JSON.stringify({ state: {} }), 'application/json');
    expect(info.mock.calls.flat().join(' ')).not.toMatch(/fast path steps aside/);
    info.mockRestore();
  });

  it.each(CASES)('%s', async (_name, body, type, headers = {}) => {
    const fast = await send('/api/privacy-centre/consents', body, type, headers);
    const route = await send('/api/privacy-centre/consents?via=route', body, type, headers);
    expect(shape(fast)).toEqual(shape(route));
    expect(fast.status).toBeLessThan(500);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('a body over the limit is a 413 on both, before it is read', async () => {
    const big = JSON.stringify({ state: {}, source: `https://example.com/${'x'.repeat(20_000)}` });
    const fast = await send('/api/privacy-centre/consents', big, 'application/json');
    const route = await send('/api/privacy-centre/consents?via=route', big, 'application/json');
    expect(fast.status).toBe(413);
    expect(shape(fast)).toEqual(shape(route));
  });

  it('what it does not take falls through to the route: other types, a compressed body, other methods', async () => {
    const form = await send('/api/privacy-centre/consents', 'state=1', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(400);
    expect(form.body.error).toBeTruthy();
    const method = await app.http().put('/api/privacy-centre/consents').send({ state: {} });
    expect(method.status).toBe(405);
    const compressed = await send('/api/privacy-centre/consents', 'xx', 'application/json', { 'Content-Encoding': 'gzip' });
    expect(compressed.status).toBe(415);
  });

  it('the fast path and the route count against one rate limit', async () => {
    // A fresh client network (believed from X-Forwarded-For, as behind a proxy) and a limit of 4.
    const koa = app.strapi.server.app as any;
    const limits = app.strapi.config.get('plugin::privacy-centre.rateLimit') as Record<string, unknown>;
    koa.proxy = true;
    app.strapi.config.set('plugin::privacy-centre.rateLimit', { ...limits, max: 4 });
    try {
      const body = JSON.stringify({ state: {} });
      const statuses: number[] = [];
      for (const path of ['/api/privacy-centre/consents', '/api/privacy-centre/consents?via=route', '/api/privacy-centre/consents', '/api/privacy-centre/consents?via=route', '/api/privacy-centre/consents', '/api/privacy-centre/consents?via=route']) {
        statuses.push((await app.http().post(path).set('X-Forwarded-For', '198.51.100.7').set('Content-Type', 'application/json').send(body)).status);
      }
      expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
      // Counted after the body is read, as on the route: an unreadable body is a 400, not a 429.
      const malformed = await app.http().post('/api/privacy-centre/consents').set('X-Forwarded-For', '198.51.100.7').set('Content-Type', 'application/json').send('{"state":');
      expect(malformed.status).toBe(400);
    } finally {
      koa.proxy = false;
      app.strapi.config.set('plugin::privacy-centre.rateLimit', limits);
    }
  });
});
