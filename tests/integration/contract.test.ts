import fs from 'node:fs';
import path from 'node:path';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';

/**
 * The contract as an app sees it: the plugin serves its own OpenAPI document, Strapi's own
 * generator (`strapi openapi generate`, and /api/openapi.json when the app makes it public) finds
 * every public route of the plugin from the schemas the routes declare, and the contract check
 * of every integration test (tests/app's global::contract-check) is on and checking.
 */
const committed = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../server/src/contract/openapi.json'), 'utf8'));
// Both documents name paths below the server URL (the REST prefix): /privacy-centre/…
const publicPaths = Object.keys(committed.paths);

let app: TestStrapi;

beforeAll(async () => {
  app = await bootStrapi({ APP_OPENAPI: 'public' });
});

afterAll(async () => {
  await app?.close();
});

it('serves its own OpenAPI 3.1 document, cacheable, with an ETag', async () => {
  const res = await app.http().get('/api/privacy-centre/openapi.json').expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('public, max-age=3600');
  expect(res.body).toEqual(committed);
  await app.http().get('/api/privacy-centre/openapi.json').set('If-None-Match', res.headers.etag).expect(304);
});

it("Strapi's own generator (strapi openapi generate) finds every public path of the plugin", async () => {
  // What the CLI's `strapi openapi generate` runs on a loaded app.
  const { generate } = require('@strapi/openapi');
  const { document } = generate(app.strapi, { type: 'content-api' });
  const generated = Object.keys(document.paths).filter((p) => p.startsWith('/privacy-centre/'));
  expect(generated.sort()).toEqual([...publicPaths].sort());
  // The schemas the routes declare are in it: the consent body and the receipt.
  const record = document.paths['/privacy-centre/consents'].post;
  expect(JSON.stringify(record.requestBody)).toContain('acceptedCategories');
  expect(JSON.stringify(record.responses['200'])).toContain('signature');
  const served = await app.http().get('/api/openapi.json').expect(200);
  expect(Object.keys(served.body.paths).filter((p) => p.startsWith('/privacy-centre/')).sort()).toEqual([...publicPaths].sort());
});

it('checks every answer of a public route against the document (the integration suite runs with it)', async () => {
  const record = (app.strapi as any).privacyCentreContract as { checked: number; mismatches: string[] };
  expect(record).toBeDefined();
  const before = record.checked;
  await app.http().get('/api/privacy-centre/keys').expect(200);
  await app.http().get('/api/privacy-centre/policies/Not%20a%20slug/current').expect(400);
  await app.http().delete('/api/privacy-centre/keys').expect(405);
  expect(record.checked).toBe(before + 3);
  expect(record.mismatches).toEqual([]);
});
