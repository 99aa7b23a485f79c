import path from 'node:path';
import { APP_DIR, bootStrapi, type TestStrapi } from '../helpers/strapi';

// The demo (npm run demo) seeds through the app's bootstrap; its policy must be served by the
// public routes, and seeding again must neither fail nor duplicate anything.
let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi({ PRIVACY_CENTRE_DEMO_SEED: '1' });
});
afterAll(async () => {
  await app?.close();
});

const counts = async () => ({
  policies: await app.strapi.db.query('plugin::privacy-centre.policy-version').count(),
  categories: await app.strapi.db.query('plugin::privacy-centre.cookie-category').count(),
  definitions: await app.strapi.db.query('plugin::privacy-centre.cookie-definition').count(),
  declarations: await app.strapi.db.query('plugin::privacy-centre.cookie-declaration').count(),
  admins: await app.strapi.db.query('admin::user').count(),
});

describe('the demo seed', () => {
  it('publishes the sample policy in en and fi, served by the public routes', async () => {
    const en = await app.http().get('/api/privacy-centre/policies/privacy-policy/current');
    expect(en.status).toBe(200);
    expect(en.body.data).toMatchObject({ version: 1, locale: 'en', locales: ['en', 'fi'] });
    const html = en.body.data.sections.map((s: { html: string }) => s.html).join('\n');
    expect(html).toContain('<dl>'); // definitions
    expect(html.match(/<table>/g)?.length).toBeGreaterThanOrEqual(2); // processing + retention
    expect(en.body.data.sections.map((s: { heading: string }) => s.heading)).toContain('7. Your rights');
    const fi = await app.http().get('/api/privacy-centre/policies/privacy-policy/current?locale=fi');
    expect(fi.body.data).toMatchObject({ locale: 'fi', fallback: false, hash: en.body.data.hash });
  });

  it('seeds the four cookie categories with their cookies in en and fi, publishes the declaration, and one administrator', async () => {
    const cookies = app.strapi.plugin('privacy-centre').service('cookies');
    const categories = await cookies.categories();
    expect(categories.map((c: any) => [c.key, c.required, Object.keys(c.locales).sort()])).toEqual([
      ['necessary', true, ['en', 'fi']],
      ['preferences', false, ['en', 'fi']],
      ['statistics', false, ['en', 'fi']],
      ['marketing', false, ['en', 'fi']],
    ]);
    const definitions = await cookies.definitions();
    expect(categories.every((c: any) => definitions.some((d: any) => d.category === c.key))).toBe(true);
    const declaration = await app.http().get('/api/privacy-centre/cookies?locale=fi');
    expect(declaration.status).toBe(200);
    expect(declaration.body.data).toMatchObject({ revision: 1, locale: 'fi', fallback: false });
    expect(declaration.body.data.categories[0]).toMatchObject({ key: 'necessary', name: 'Välttämättömät', required: true });
    const login = await app.http().post('/admin/login').send({ email: 'admin@example.com', password: 'Privacy-Demo-2026' });
    expect(login.status).toBe(200);
  });

  it('is idempotent', async () => {
    const before = await counts();
    const { seedDemo } = require(path.join(APP_DIR, 'dist', 'src', 'seed', 'demo'));
    await seedDemo(app.strapi);
    await seedDemo(app.strapi);
    expect(await counts()).toEqual(before);
  });
});
