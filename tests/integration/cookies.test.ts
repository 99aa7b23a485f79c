import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales } from '../helpers/policies';
import { actionUid } from '../../server/src/permissions/actions';
import { declarationHash } from '../../server/src/services/cookie-declarations';

/**
 * The cookie declaration: default categories, editing (validated, in every locale), publishing
 * frozen revisions, the public answer, and the frozen-record guard on every write path.
 */
const DECLARATION = 'plugin::privacy-centre.cookie-declaration';
let app: TestStrapi;
let editor: string;
let reader: string;

beforeAll(async () => {
  app = await bootStrapi();
  await ensureLocales(app, ['fi']);
  editor = (await createAdmin(app, ['read', 'manage', 'publish'].map((v) => actionUid('cookies', v as any)))).token;
  reader = (await createAdmin(app, [actionUid('cookies', 'read')])).token;
});
afterAll(async () => {
  await app?.close();
});

const admin = (token = editor) => {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (url: string) => app.http().get(`/privacy-centre${url}`).set(auth),
    post: (url: string, body: object = {}) => app.http().post(`/privacy-centre${url}`).set(auth).send(body),
    put: (url: string, body: object = {}) => app.http().put(`/privacy-centre${url}`).set(auth).send(body),
    del: (url: string) => app.http().delete(`/privacy-centre${url}`).set(auth),
  };
};
const api = (url: string) => app.http().get(`/api/privacy-centre${url}`);
const reason = (promise: Promise<unknown>) => promise.then(() => 'it went through', (error: Error) => error.message);

describe('categories and cookies', () => {
  it('starts with the four usual categories and their Consent Mode and GPC defaults', async () => {
    const overview = await admin(reader).get('/cookies');
    expect(overview.status).toBe(200);
    expect(overview.body.data.categories.map((c: any) => [c.key, c.required, c.consentMode, c.refusedUnderGpc])).toEqual([
      ['necessary', true, ['security_storage'], false],
      ['preferences', false, ['functionality_storage', 'personalization_storage'], false],
      ['statistics', false, ['analytics_storage'], false],
      ['marketing', false, ['ad_storage', 'ad_user_data', 'ad_personalization'], true],
    ]);
    expect(overview.body.data.latest).toBeNull();
    expect(overview.body.data.changes).toMatchObject({ since: null, changed: true });
    expect(overview.body.meta).toMatchObject({ defaultLocale: 'en' });
  });

  it('edits, translates, adds and reorders categories', async () => {
    const renamed = await admin().put('/cookies/categories/statistics', {
      locales: { en: { name: 'Analytics', description: 'How the site is used.' }, fi: { name: 'Analytiikka', description: 'Miten sivustoa käytetään.' } },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.locales.fi.name).toBe('Analytiikka');
    const created = await admin().post('/cookies/categories', {
      key: 'social_media',
      consentMode: ['ad_user_data'],
      locales: { en: { name: 'Social media', description: 'Embedded posts.' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ key: 'social_media', position: 4, required: false });
    const order = ['necessary', 'social_media', 'preferences', 'statistics', 'marketing'];
    const reordered = await admin().put('/cookies/categories-order', { keys: order });
    expect(reordered.body.data.map((c: any) => c.key)).toEqual(order);
  });

  it('adds cookies with localised purposes, validated', async () => {
    const added = await admin().post('/cookies/definitions', {
      name: '_ga_*',
      category: 'statistics',
      provider: 'Google',
      domain: '.example.com',
      storageType: 'cookie',
      thirdParty: true,
      service: 'Google Analytics',
      locales: { en: { purpose: 'Distinguishes visitors.', duration: '13 months' }, fi: { purpose: 'Erottaa kävijät.', duration: '13 kuukautta' } },
    });
    expect(added.status).toBe(201);
    expect(added.body.data).toMatchObject({ name: '_ga_*', category: 'statistics', thirdParty: true });
    expect(Object.keys(added.body.data.locales).sort()).toEqual(['en', 'fi']);
  });

  it.each([
    ['a bad storage type', '/cookies/definitions', { name: 'x', category: 'statistics', storageType: 'flash' }, /storageType/],
    ['an empty name', '/cookies/definitions', { name: '  ', category: 'statistics' }, /name/],
    ['an unknown category', '/cookies/definitions', { name: 'x', category: 'nope' }, /No cookie category nope/],
    ['an unknown field', '/cookies/definitions', { name: 'x', category: 'statistics', colour: 'red' }, /unknown key/],
    ['a bad key', '/cookies/categories', { key: 'Bad Key', locales: { en: { name: 'x', description: '' } } }, /key must/],
    ['a duplicate key', '/cookies/categories', { key: 'marketing', locales: { en: { name: 'x', description: '' } } }, /exists already/],
    ['an unknown Consent Mode signal', '/cookies/categories', { key: 'odd', consentMode: ['ads'], locales: { en: { name: 'x', description: '' } } }, /not a Consent Mode v2 signal/],
    ['an unknown locale', '/cookies/categories', { key: 'odd', locales: { sv: { name: 'x', description: '' } } }, /Unknown locale sv/],
  ])('refuses %s with 400, changing nothing', async (_label, url, body, message) => {
    const before = (await admin().get('/cookies')).body.data;
    const response = await admin().post(url, body);
    expect([400, 404]).toContain(response.status);
    expect(response.body.error.message).toMatch(message);
    expect((await admin().get('/cookies')).body.data).toEqual(before);
  });

  it('refuses to delete a category that still has cookies', async () => {
    const response = await admin().del('/cookies/categories/statistics');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/still has/);
  });

  it('hides editing from a reader', async () => {
    expect((await admin(reader).post('/cookies/categories', { key: 'x', locales: { en: { name: 'x', description: '' } } })).status).toBe(403);
    expect((await admin(reader).post('/cookies/publish')).status).toBe(403);
  });
});

describe('publishing the declaration', () => {
  let first: any;

  it('publishes revision 1: a snapshot of every category and cookie in every locale, hashed, signed, audited', async () => {
    const response = await admin().post('/cookies/publish');
    expect(response.status).toBe(200);
    first = response.body.data;
    expect(first).toMatchObject({ revision: 1, integrity: 'ok' });
    expect(first.snapshot.locales).toEqual(['en', 'fi']);
    expect(first.snapshot.categories.map((c: any) => c.key)).toEqual(['necessary', 'social_media', 'preferences', 'statistics', 'marketing']);
    expect(declarationHash(1, first.publishedAt, first.snapshot)).toBe(first.hash);
    const event = await app.strapi.db.query('plugin::privacy-centre.audit-event').findOne({ where: { action: 'cookies.publish' } });
    expect(event.target).toBe('cookie declaration r1');
  });

  it('refuses to publish when nothing changed', async () => {
    const response = await admin().post('/cookies/publish');
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/nothing changed since revision 1/);
  });

  it('serves the latest revision per locale, with validators and fallback', async () => {
    const fi = await api('/cookies?locale=fi');
    expect(fi.status).toBe(200);
    expect(fi.body.data).toMatchObject({ revision: 1, hash: first.hash, locale: 'fi', locales: ['en', 'fi'] });
    const statistics = fi.body.data.categories.find((c: any) => c.key === 'statistics');
    expect(statistics).toMatchObject({ name: 'Analytiikka', consentMode: ['analytics_storage'] });
    expect(statistics.cookies[0]).toMatchObject({ name: '_ga_*', purpose: 'Erottaa kävijät.', duration: '13 kuukautta' });
    // social_media has no Finnish text: that part falls back to English, and the answer says so.
    expect(fi.body.data.fallback).toBe(true);
    expect(fi.body.data.categories.find((c: any) => c.key === 'social_media').name).toBe('Social media');
    expect(fi.headers['content-language']).toBe('fi');
    const again = await api('/cookies?locale=fi').set('If-None-Match', fi.headers.etag);
    expect(again.status).toBe(304);
    expect((await api('/cookies?locale=de')).body.data).toMatchObject({ locale: 'en', fallback: true });
    expect((await api('/cookies?locale=not%20a%20code')).status).toBe(400);
  });

  it('shows what changed since, and publishes revision 2', async () => {
    await admin().put('/cookies/categories/marketing', { refusedUnderGpc: false });
    const changes = (await admin().get('/cookies')).body.data.changes;
    expect(changes).toMatchObject({ since: 1, changed: true, categories: { added: [], removed: [], changed: ['marketing'] } });
    const second = await admin().post('/cookies/publish');
    expect(second.body.data.revision).toBe(2);
    expect((await api('/cookies')).body.data.revision).toBe(2);
    const revisions = await admin(reader).get('/cookies/revisions');
    expect(revisions.body.data.map((r: any) => [r.revision, r.integrity])).toEqual([
      [2, 'ok'],
      [1, 'ok'],
    ]);
  });
});

describe('a published revision is frozen on every write path', () => {
  let before: string;
  const snapshot = async () => JSON.stringify(await app.strapi.db.query(DECLARATION).findMany({ orderBy: { revision: 'asc' } }));
  beforeAll(async () => {
    before = await snapshot();
  });
  afterEach(async () => {
    expect(await snapshot()).toBe(before);
  });

  it('strapi.documents()', async () => {
    const documents = app.strapi.documents(DECLARATION as any);
    const [row] = await app.strapi.db.query(DECLARATION).findMany({ where: { revision: 1 } });
    expect(await reason(documents.update({ documentId: row.documentId, data: { hash: 'x' } } as any))).toMatch(/frozen|only by publishing/);
    expect(await reason(documents.delete({ documentId: row.documentId } as any))).toMatch(/published and frozen/);
    expect(await reason(documents.create({ data: { revision: 9, snapshot: {}, hash: 'x', releasedAt: 'x' } } as any))).toMatch(/only by publishing/);
    expect(await reason(documents.clone({ documentId: row.documentId, data: {} } as any))).toMatch(/only by publishing|frozen/);
  });

  it('strapi.db.query() and its *Many calls', async () => {
    const query = app.strapi.db.query(DECLARATION);
    expect(await reason(query.update({ where: { revision: 1 }, data: { releasedBy: 'me' } }))).toMatch(/only by publishing/);
    expect(await reason(query.updateMany({ where: {}, data: { releasedBy: 'me' } }))).toMatch(/only by publishing/);
    expect(await reason(query.delete({ where: { revision: 1 } }))).toMatch(/published and frozen/);
    expect(await reason(query.deleteMany({}))).toMatch(/published and frozen/);
    expect(await reason(query.createMany({ data: [{ revision: 9, snapshot: {}, hash: 'x', releasedAt: 'x' }] }))).toMatch(/only by publishing/);
  });

  it('raw SQL (the database triggers)', async () => {
    const knex = app.strapi.db.connection;
    expect(await reason(knex('privacy_centre_cookie_declarations').where({ revision: 1 }).update({ hash: 'x' }))).toMatch(/published and frozen/);
    expect(await reason(knex('privacy_centre_cookie_declarations').where({ revision: 1 }).del())).toMatch(/published and frozen/);
  });
});

describe('receipts of a site that keeps its privacy policy elsewhere', () => {
  const consent = () => app.http().post('/api/privacy-centre/consents').send({ state: { statistics: true } });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('name no policy without a query per consent, then the first version from the moment it takes effect', async () => {
    if ((await api('/cookies')).status === 404) expect((await admin().post('/cookies/publish')).status).toBe(200);
    const consents = app.strapi.plugin('privacy-centre').service('consents');
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    // "None in force" is kept at most one poll of the other instances (500 ms): longer here, so
    // that the count below does not depend on this machine's speed.
    const poll = config.instances.pollMilliseconds;
    config.instances.pollMilliseconds = 60000;
    // Reads of the default slug's versions while consents are recorded; the first one is
    // overtaken by a publication (forgotten while it is read), so what it read is not kept.
    const reads: string[] = [];
    let overtake = true;
    const onQuery = (query: { sql: string; bindings?: unknown[] }) => {
      if (!/^select/i.test(query.sql) || !query.sql.includes('privacy_centre_policy_versions') || !query.bindings?.includes('privacy-policy')) return;
      reads.push(query.sql);
      if (overtake) {
        overtake = false;
        consents.forgetPolicy('privacy-policy');
      }
    };
    consents.forgetPolicy('privacy-policy');
    app.strapi.db.connection.on('query', onQuery);
    try {
      for (let i = 0; i < 6; i += 1) {
        const answer = await consent();
        expect(answer.status).toBe(201);
        expect(answer.body.data.policy).toBeNull();
      }
      // The version in force and when the next takes effect: twice for the overtaken read, twice
      // for the one kept, then none (not one read per consent).
      expect(reads.length).toBe(4);

      // A first version scheduled a few seconds ahead: not named before it takes effect, named
      // at once after (not after the cache's TTL of 30 s).
      const { token } = await createAdmin(app);
      const auth = { Authorization: `Bearer ${token}` };
      const effectiveAt = Date.now() + 5000;
      const draft = await app.http().post('/privacy-centre/policies/drafts').set(auth).send({ slug: 'privacy-policy', locales: { en: { title: 'P', summary: 'S', sections: [{ anchor: '', heading: '1. Cookies', markdown: 'Kept a year.' }] } } });
      expect(draft.status).toBe(201);
      const published = await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set(auth).send({ effectiveAt: new Date(effectiveAt).toISOString() });
      expect(published.status).toBe(200);
      const early = await consent();
      if (Date.now() >= effectiveAt) throw new Error('publishing took past the effective time: the scheduled case was not reached');
      expect(early.body.data.policy).toBeNull();
      await sleep(effectiveAt - Date.now() + 100);
      expect((await consent()).body.data.policy).toMatchObject({ slug: 'privacy-policy', version: 1 });
    } finally {
      app.strapi.db.connection.removeListener('query', onQuery);
      config.instances.pollMilliseconds = poll;
    }
  });
});
