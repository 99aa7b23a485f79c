import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { publishSamplePolicy } from '../helpers/policies';

/**
 * strapi::security's headers on the fast paths' routes are recorded at each route's first request
 * and replayed for the next ones (server/src/middlewares/security-replay.ts). Every answer of those
 * routes must carry exactly what strapi::security gives the app's other routes, with the app's own
 * security config; a config holding a function (a CSP nonce) is run for every request.
 */
const CURRENT_URL = '/api/privacy-centre/policies/privacy-policy/current';
const OWN_CONFIG = {
  contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:', 'images.example.test'] } },
  referrerPolicy: { policy: 'no-referrer' },
};
/** Headers an answer sets for itself (or Node and Koa do; `strapi` is /_health's own), not strapi::security. */
const ANSWER_HEADERS = new Set(['strapi', 'date', 'connection', 'keep-alive', 'content-length', 'content-type', 'transfer-encoding', 'vary', 'x-powered-by']);

const replayStats = (app: TestStrapi) => app.strapi.plugin('privacy-centre').service('security-replay').stats();

const consent = (app: TestStrapi) =>
  app.http().post('/api/privacy-centre/consents').set('Content-Type', 'application/json').set('Origin', 'https://site.example').send({ state: { statistics: true } });
const current = (app: TestStrapi, method: 'get' | 'head' = 'get') => app.http()[method](CURRENT_URL).set('Origin', 'https://site.example');

/** strapi::security's headers as Strapi's own route gets them: the reference. */
async function securityHeaders(app: TestStrapi) {
  const health = await app.http().get('/_health').set('Origin', 'https://site.example');
  expect(health.status).toBe(204);
  return Object.fromEntries(Object.entries(health.headers).filter(([name]) => !ANSWER_HEADERS.has(name) && !name.startsWith('access-control-')));
}

const withoutDate = (answer: { headers: Record<string, unknown> }) => ({ ...answer.headers, date: undefined });

/** Every header of the reference with its value, and no other header strapi::security sets elsewhere. */
function expectSecurityHeaders(answer: { headers: Record<string, unknown> }, reference: Record<string, unknown>) {
  for (const [name, value] of Object.entries(reference)) expect([name, answer.headers[name]]).toEqual([name, value]);
}

describe('strapi::security on the fast paths, with an app config of its own', () => {
  let app: TestStrapi;
  let reference: Record<string, unknown>;
  beforeAll(async () => {
    app = await bootStrapi({ APP_SECURITY_CONFIG: JSON.stringify(OWN_CONFIG) });
    await publishSamplePolicy(app, 's');
    reference = await securityHeaders(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the reference holds the app config and the defaults (so the comparisons below can fail)', () => {
    expect(reference['content-security-policy']).toMatch(/img-src 'self' data: images\.example\.test/);
    expect(reference['referrer-policy']).toBe('no-referrer');
    expect(reference['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(reference['x-frame-options']).toBe('SAMEORIGIN');
    expect(Object.keys(reference).length).toBeGreaterThanOrEqual(6);
  });

  it('GET and HEAD …/current carry the same headers whether strapi::security ran or was replayed', async () => {
    const before = replayStats(app).replayed;
    const answers: Array<Awaited<ReturnType<typeof current>>> = [];
    for (let i = 0; i < 4; i += 1) answers.push(await current(app));
    for (let i = 0; i < 3; i += 1) answers.push(await current(app, 'head'));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expectSecurityHeaders(answer, reference);
      // Nothing else changes: CORS and poweredBy still run after it.
      expect(answer.headers['access-control-allow-origin']).toBe('https://site.example');
      expect(answer.headers['x-powered-by']).toBe('Strapi <strapi.io>');
    }
    // Whole headers, against the first of each method (strapi::security ran for it): nothing added,
    // dropped or changed but the date.
    for (const answer of answers.slice(1, 4)) expect(withoutDate(answer)).toEqual(withoutDate(answers[0]));
    for (const answer of answers.slice(5)) expect(withoutDate(answer)).toEqual(withoutDate(answers[4]));
    const stats = replayStats(app);
    expect(stats.routes).toEqual(expect.arrayContaining(['GET current', 'HEAD current']));
    expect(stats.replayed - before).toBeGreaterThanOrEqual(4);
  });

  it('POST …/consents: the same, and the consent is recorded', async () => {
    const before = replayStats(app).replayed;
    const answers: Array<Awaited<ReturnType<typeof consent>>> = [];
    for (let i = 0; i < 3; i += 1) {
      const answer = await consent(app);
      expect(answer.status).toBe(201);
      expect(answer.body.data.signature).toBeTruthy();
      expectSecurityHeaders(answer, reference);
      expect(answer.headers['access-control-allow-origin']).toBe('https://site.example');
      answers.push(answer);
    }
    for (const answer of answers.slice(1)) expect(withoutDate(answer)).toEqual(withoutDate(answers[0]));
    expect(replayStats(app).routes).toContain('POST consents');
    expect(replayStats(app).replayed - before).toBeGreaterThanOrEqual(2);
  });

  it('every other route runs strapi::security itself (no replay counted), with the same headers', async () => {
    const before = replayStats(app);
    for (const url of ['/api/privacy-centre/cookies', '/api/privacy-centre/policies/privacy-policy/versions', '/api/privacy-centre/policies/privacy-policy/current/']) {
      const answer = await app.http().get(url).set('Origin', 'https://site.example');
      expect(answer.status).toBeLessThan(500);
      expectSecurityHeaders(answer, reference);
    }
    expect(replayStats(app)).toEqual(before);
  });
});

describe('strapi::security with a CSP nonce (a function in its config)', () => {
  let app: TestStrapi;
  beforeAll(async () => {
    app = await bootStrapi({ APP_SECURITY_CONFIG: JSON.stringify(OWN_CONFIG), APP_SECURITY_NONCE: '1' });
    await publishSamplePolicy(app, 's');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs for every request: each answer has a nonce of its own, nothing is replayed', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      for (const answer of [await current(app), await consent(app)]) {
        expect(answer.status).toBeLessThan(300);
        const nonce = /'nonce-([A-Za-z0-9_-]+)'/.exec(String(answer.headers['content-security-policy']))?.[1];
        expect(nonce).toBeTruthy();
        nonces.add(nonce!);
      }
    }
    expect(nonces.size).toBe(6);
    expect(replayStats(app)).toMatchObject({ recorded: 0, replayed: 0 });
  });
});

describe('replaySecurityHeaders: false', () => {
  let app: TestStrapi;
  beforeAll(async () => {
    app = await bootStrapi({ PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ replaySecurityHeaders: false }) });
    await publishSamplePolicy(app, 's');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('leaves strapi::security to run for every request', async () => {
    const reference = await securityHeaders(app);
    for (let i = 0; i < 3; i += 1) {
      expectSecurityHeaders(await current(app), reference);
      expectSecurityHeaders(await consent(app), reference);
    }
    expect(replayStats(app)).toMatchObject({ recorded: 0, replayed: 0 });
  });
});
