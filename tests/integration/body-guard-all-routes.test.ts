import { bootStrapi, type TestStrapi } from '../helpers/strapi';

/**
 * The README's recipe: an app lists the plugin's body guard with `allRoutes: true` in its own
 * config/middlewares.ts, and its other routes answer malformed bodies with a 400 instead of
 * Strapi's 500. tests/app does so when APP_BODY_GUARD_ALL_ROUTES=true.
 */
let app: TestStrapi;

beforeAll(async () => {
  app = await bootStrapi({ APP_BODY_GUARD_ALL_ROUTES: 'true' });
});
afterAll(async () => {
  await app?.close();
});

const ROUTE = '/api/consent-entries'; // the app's own collection type, public create

describe('the body guard listed by the app for all routes', () => {
  it('is listed once, where the app put it (the plugin does not add a second one)', () => {
    const names = (app.strapi.config.get('middlewares') as any[]).map((m) => (typeof m === 'string' ? m : m.name));
    expect(names.filter((n) => n === 'plugin::privacy-centre.body-guard')).toHaveLength(1);
    expect(names.indexOf('plugin::privacy-centre.body-guard')).toBeLessThan(names.indexOf('strapi::body'));
    const entry = (app.strapi.config.get('middlewares') as any[]).find((m) => m?.name === 'plugin::privacy-centre.body-guard');
    expect(entry).toMatchObject({ config: { allRoutes: true } });
    // The consent fast path goes after the guard, wherever the app put it.
    expect(names.indexOf('plugin::privacy-centre.consent-fast-path')).toBeGreaterThan(names.indexOf('plugin::privacy-centre.body-guard'));
  });

  it('an oversized consent gets the guard\'s 413, which closes the connection', async () => {
    const big = JSON.stringify({ state: {}, source: `https://example.com/${'x'.repeat(20_000)}` });
    const answer = await app.http().post('/api/privacy-centre/consents').set('Content-Type', 'application/json').send(big);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({ name: 'PayloadTooLargeError', details: { limit: 16384 } });
  });

  it.each([
    ['a malformed multipart body', 'multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="data"\r\n\r\n{'],
    ['malformed JSON', 'application/json', '{"data": {'],
  ])('answers %s on an app route with a 400 JSON error and writes nothing', async (_name, type, body) => {
    const before = await app.strapi.db.query('api::consent-entry.consent-entry').count();
    const answer = await app.http().post(ROUTE).set('Content-Type', type).send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ status: 400, name: 'BadRequestError' });
    expect(await app.strapi.db.query('api::consent-entry.consent-entry').count()).toBe(before);
  });

  it('lets well-formed requests to the app route through, and sets no size limit of its own there', async () => {
    const long = 'x'.repeat(40 * 1024); // over the plugin's public 16 KiB limit, under strapi::body's
    const answer = await app.http().post(ROUTE).send({ data: { consentId: 'c-1', sourceUrl: `https://example.com/?${long}` } });
    expect(answer.status).toBe(201);
    expect(answer.body.data.consentId).toBe('c-1');
  });

  it('keeps the plugin routes’ own limits', async () => {
    const answer = await app.http().post('/api/privacy-centre/consents').set('Content-Type', 'application/json').send(`{"pad":"${'x'.repeat(20 * 1024)}"}`);
    expect(answer.status).toBe(413);
  });
});
