import fc from 'fast-check';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';

// Whatever a client sends to the public policy routes, the answer is a 200/304/400/404 with a
// JSON body (never a 500), and nothing in the database changes.
let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi();
  await ensureLocales(app, ['fi']);
  const { token } = await createAdmin(app);
  const draft = await app.http().post('/privacy-centre/policies/drafts').set('Authorization', `Bearer ${token}`).send({ slug: 'privacy-policy', locales: sampleLocales('fuzz') });
  await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set('Authorization', `Bearer ${token}`).send({});
});
afterAll(async () => {
  await app?.close();
});

const snapshot = () =>
  app.strapi.db.query('plugin::privacy-centre.policy-version').findMany({ orderBy: { id: 'asc' } });

const segment = fc.oneof(
  fc.constantFrom('privacy-policy', 'PRIVACY', '..', '%2e%2e', '%00', 'a'.repeat(300), '-', '1', '💥', "' OR 1=1 --"),
  fc.string({ maxLength: 40 }).map(encodeURIComponent)
);
const query = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 40 }).map((s) => `?locale=${encodeURIComponent(s)}`),
  fc.constantFrom('?locale=fi', '?locale=en&locale=fi', '?locale[$ne]=x', '?locale=' + 'x'.repeat(500), '?locale=de-AT')
);

describe('public policy routes under random input', () => {
  it('answer 200/304/400/404 with JSON, never 5xx, and change nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('current', 'upcoming', 'versions', 'versions/'),
        segment,
        segment,
        query,
        async (route, slug, version, q) => {
          const suffix = route === 'versions/' ? `versions/${version}` : route;
          const response = await app.http().get(`/api/privacy-centre/policies/${slug}/${suffix}${q}`);
          expect([200, 304, 400, 404]).toContain(response.status);
          if (response.status >= 400 && response.status !== 404) {
            expect(response.body.error.message).toEqual(expect.any(String));
          }
          if (response.status === 404 && response.body?.error) {
            expect(response.body.error.status).toBe(404);
          }
        }
      ),
      { numRuns: 300 }
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses writes on the read-only routes', async () => {
    for (const method of ['post', 'put', 'delete', 'patch'] as const) {
      const response = await (app.http() as any)[method]('/api/privacy-centre/policies/privacy-policy/current').send({ title: 'x' });
      expect([404, 405]).toContain(response.status);
    }
  });
});
