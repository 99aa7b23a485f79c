import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { AREAS, actionUid } from '../../server/src/permissions/actions';

const CONTENT_TYPES = [
  'policy-version',
  'cookie-category',
  'cookie-definition',
  'cookie-declaration',
  'consent-record',
  'newsletter-subscription',
  'audit-event',
];

let app: TestStrapi;
beforeAll(async () => {
  app = await bootStrapi();
});
afterAll(async () => {
  await app?.close();
});

// Strapi silently skips a plugin whose server entry does not resolve: prove it is loaded.
describe(`the plugin is loaded (${process.env.DATABASE_CLIENT || 'sqlite'})`, () => {
  it('is registered under its id', () => {
    expect(app.strapi.plugin('privacy-centre')).toBeDefined();
    expect(Object.keys(app.strapi.plugins)).toContain('privacy-centre');
  });

  it('registers every content type, draft-and-publish off, hidden from the builder', () => {
    for (const name of CONTENT_TYPES) {
      const contentType = app.strapi.contentType(`plugin::privacy-centre.${name}` as any);
      expect(contentType).toBeDefined();
      expect(contentType.options?.draftAndPublish).toBe(false);
      expect((contentType.pluginOptions as any)?.['content-type-builder']?.visible).toBe(false);
    }
  });

  it('hides append-only records from the Content Manager', () => {
    for (const name of ['consent-record', 'newsletter-subscription', 'audit-event', 'cookie-declaration']) {
      const contentType = app.strapi.contentType(`plugin::privacy-centre.${name}` as any);
      expect((contentType.pluginOptions as any)?.['content-manager']?.visible).toBe(false);
    }
  });

  it('creates the tables and the unique indexes the hot paths rely on', async () => {
    // Consent records are written by the plugin itself, below Strapi (group commit, raw SQL).
    const table = () => app.strapi.db.connection('privacy_centre_consent_records');
    const row = (documentId: string) => ({
      document_id: documentId, consent_id: 'c-1', kind: 'cookie', action: 'given', given_at: new Date().toISOString(), state: '{}',
    });
    await table().insert(row('aaaaaaaaaaaaaaaaaaaaaaaa'));
    // Compare messages, not classes: a native driver's error may come from another jest realm.
    const second = await table().insert(row('bbbbbbbbbbbbbbbbbbbbbbbb')).then(
      () => 'inserted twice',
      (error: unknown) => String((error as Error)?.message ?? error)
    );
    expect(second).toMatch(/unique|duplicate/i);
    expect(await app.strapi.db.query('plugin::privacy-centre.consent-record').count({ where: { consentId: 'c-1' } })).toBe(1);
    // Through Strapi, nothing else may write one.
    const forged = await app.strapi.db
      .query('plugin::privacy-centre.consent-record')
      .create({ data: { consentId: 'c-2', kind: 'cookie', action: 'given', givenAt: new Date().toISOString() } })
      .then(() => 'created', (error: Error) => error.message);
    expect(forged).toMatch(/written only by the plugin/);
  });

  it('registers every RBAC action', () => {
    const provider = app.strapi.service('admin::permission').actionProvider;
    for (const [area, verbs] of Object.entries(AREAS)) {
      for (const verb of verbs) {
        expect(provider.get(actionUid(area as any, verb as any))).toBeDefined();
      }
    }
  });

  it('mounts its admin routes (401 without a login, not 404)', async () => {
    const response = await app.http().get('/privacy-centre/settings');
    expect(response.status).toBe(401);
  });
});
