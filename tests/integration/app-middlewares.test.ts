import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { publishSamplePolicy } from '../helpers/policies';

/**
 * The fast paths never skip an app's own middleware. tests/app lists `global::block` (refuses a
 * request carrying `x-test-block: 1` with a 403; tells in `x-test-routed` whether Strapi's router
 * answered) where APP_TEST_BLOCK says: before strapi::body, where the plugin puts its fast paths
 * after it, or after strapi::body, where no fast path can run after it, so they step aside.
 */
const RECORD = 'plugin::privacy-centre.consent-record';
const CURRENT = 'plugin::privacy-centre.current-policy';
const GUARD = 'plugin::privacy-centre.body-guard';
const CONSENTS = 'plugin::privacy-centre.consent-fast-path';
const CURRENT_URL = '/api/privacy-centre/policies/privacy-policy/current';

const names = (app: TestStrapi) => (app.strapi.config.get('middlewares') as any[]).map((m) => (typeof m === 'string' ? m : m.name ?? m.resolve));

async function boot(where: 'before-body' | 'after-body', warnings: string[]) {
  return bootStrapi(
    { APP_TEST_BLOCK: where },
    {
      beforeLoad: (strapi) => {
        const warn = strapi.log.warn.bind(strapi.log);
        (strapi.log as any).warn = (...args: unknown[]) => {
          warnings.push(args.map(String).join(' '));
          return (warn as any)(...args);
        };
      },
    }
  );
}

const consent = (app: TestStrapi, headers: Record<string, string> = {}) =>
  app.http().post('/api/privacy-centre/consents').set(headers).set('Content-Type', 'application/json').send(JSON.stringify({ state: { statistics: true } }));

const expectRefused = (answer: { status: number; body: any }) => {
  expect(answer.status).toBe(403);
  expect(answer.body.error).toMatchObject({ status: 403, name: 'ForbiddenError', message: 'Refused by the app' });
};

describe('an app middleware listed before strapi::body', () => {
  let app: TestStrapi;
  const warnings: string[] = [];
  beforeAll(async () => {
    app = await boot('before-body', warnings);
    await publishSamplePolicy(app, 'm');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs ahead of the fast paths, which the plugin puts right before strapi::body', () => {
    const list = names(app);
    const body = list.indexOf('strapi::body');
    expect(list.slice(body - 3, body)).toEqual([CURRENT, GUARD, CONSENTS]);
    expect(list.indexOf('global::block')).toBeLessThan(list.indexOf(CURRENT));
    expect(warnings.join('\n')).not.toMatch(/fast path/);
  });

  it('sees and may refuse a cached GET …/current that the fast path answers', async () => {
    expect((await app.http().get(CURRENT_URL)).status).toBe(200); // cached by the route
    const served = await app.http().get(CURRENT_URL);
    expect(served.status).toBe(200);
    expect(served.headers['x-test-routed']).toBe('no'); // the fast path answered, after the app's middleware
    expectRefused(await app.http().get(CURRENT_URL).set('x-test-block', '1'));
  });

  it('sees and may refuse POST /consents that the fast path records; nothing is written', async () => {
    const recorded = await consent(app);
    expect(recorded.status).toBe(201);
    expect(recorded.headers['x-test-routed']).toBe('no');
    const before = await app.strapi.db.query(RECORD).count();
    expectRefused(await consent(app, { 'x-test-block': '1' }));
    expect(await app.strapi.db.query(RECORD).count()).toBe(before);
  });
});

describe('an app middleware listed after strapi::body', () => {
  let app: TestStrapi;
  const warnings: string[] = [];
  beforeAll(async () => {
    app = await boot('after-body', warnings);
    await publishSamplePolicy(app, 'm');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the fast paths step aside and say so once at boot, naming the middleware; the body guard stays before strapi::body', () => {
    const list = names(app);
    expect(list).not.toContain(CURRENT);
    expect(list).not.toContain(CONSENTS);
    expect(list.indexOf(GUARD)).toBe(list.indexOf('strapi::body') - 1);
    const lines = warnings.filter((w) => /fast path/.test(w));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('global::block');
    expect(lines[0]).toContain('strapi::body');
  });

  it('the routes answer GET …/current, and the app middleware refuses it', async () => {
    const first = await app.http().get(CURRENT_URL);
    const again = await app.http().get(CURRENT_URL);
    expect(again.status).toBe(200);
    expect(again.headers['x-test-routed']).toBe('yes');
    expect(again.text).toBe(first.text);
    expect(again.body.data.slug).toBe('privacy-policy');
    expect((await app.http().get(CURRENT_URL).set('If-None-Match', again.headers.etag)).status).toBe(304);
    expectRefused(await app.http().get(CURRENT_URL).set('x-test-block', '1'));
  });

  it('the route records POST /consents, and the app middleware refuses it; nothing is written', async () => {
    const recorded = await consent(app);
    expect(recorded.status).toBe(201);
    expect(recorded.headers['x-test-routed']).toBe('yes');
    expect(recorded.body.data.state).toMatchObject({ necessary: true, statistics: true });
    const before = await app.strapi.db.query(RECORD).count();
    expectRefused(await consent(app, { 'x-test-block': '1' }));
    expect(await app.strapi.db.query(RECORD).count()).toBe(before);
  });
});
