import fs from 'node:fs';
import path from 'node:path';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales, section } from '../helpers/policies';
import { actionUid } from '../../server/src/permissions/actions';
import { hashContent } from '../../server/src/policy/canonical';
import { sealHash } from '../../server/src/policy/seal';

const UID = 'plugin::privacy-centre.policy-version';
let app: TestStrapi;
let editor: string;
let writer: string;

beforeAll(async () => {
  // A 1 s TTL lets the multi-instance convergence test run in seconds.
  app = await bootStrapi({ PRIVACY_CENTRE_CACHE_TTL: '1' });
  await ensureLocales(app, ['fi']);
  editor = (await createAdmin(app, ['read', 'create', 'update', 'publish'].map((v) => actionUid('policies', v as any)))).token;
  writer = (await createAdmin(app, ['read', 'create', 'update'].map((v) => actionUid('policies', v as any)))).token;
});
afterAll(async () => {
  await app?.close();
});

const admin = (token = editor) => {
  const agent = app.http();
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (url: string) => agent.get(`/privacy-centre${url}`).set(auth),
    post: (url: string, body: object = {}) => agent.post(`/privacy-centre${url}`).set(auth).send(body),
    put: (url: string, body: object = {}) => agent.put(`/privacy-centre${url}`).set(auth).send(body),
    del: (url: string) => agent.delete(`/privacy-centre${url}`).set(auth),
  };
};
const api = (url: string) => app.http().get(`/api/privacy-centre${url}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rowsOf = (documentId: string) =>
  app.strapi.db.query(UID).findMany({ where: { documentId }, orderBy: { locale: 'asc' } });

/** Creates a draft with en+fi content and publishes it; returns the published view. */
async function publishVersion(slug: string, tag: string, effectiveAt?: string) {
  const draft = await admin().post('/policies/drafts', { slug, locales: sampleLocales(tag) });
  expect(draft.status).toBe(201);
  const published = await admin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, effectiveAt ? { effectiveAt } : {});
  expect(published.status).toBe(200);
  return published.body.data;
}

describe('drafts', () => {
  let documentId: string;

  it('creates an empty draft, one per slug', async () => {
    const created = await admin().post('/policies/drafts', { slug: 'terms' });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ slug: 'terms', status: 'draft', version: null, hash: null });
    documentId = created.body.data.documentId;
    const second = await admin().post('/policies/drafts', { slug: 'terms' });
    expect(second.status).toBe(400);
    expect(second.body.error.message).toMatch(/already has a draft/);
  });

  it('edits locales and sections, filling anchors from headings', async () => {
    const updated = await admin().put(`/policies/drafts/${documentId}`, { materialChange: true, locales: sampleLocales('a') });
    expect(updated.status).toBe(200);
    expect(Object.keys(updated.body.data.locales)).toEqual(['en', 'fi']);
    expect(updated.body.data.locales.en.sections[0].anchor).toBe('1-who-we-are');
    expect(updated.body.data.materialChange).toBe(true);
  });

  it.each([
    ['a wrong type', { materialChange: 'yes' }],
    ['an unknown key', { colour: 'red' }],
    ['a section without heading', { locales: { en: { title: 'T', summary: '', sections: [{ anchor: '', markdown: 'x' }] } } }],
    ['an unknown locale', { locales: { xx: { title: 'T', summary: '', sections: [] } } }],
    ['a malformed locale key', { locales: { 'EN US': { title: 'T', summary: '', sections: [] } } }],
    ['a missing title', { locales: { en: { summary: '', sections: [] } } }],
  ])('refuses %s with 400 and changes nothing', async (_label, body) => {
    const before = await rowsOf(documentId);
    const response = await admin().put(`/policies/drafts/${documentId}`, body);
    expect(response.status).toBe(400);
    expect(response.body.error.message.length).toBeGreaterThan(5);
    expect(await rowsOf(documentId)).toEqual(before);
  });

  it('refuses bad slugs and unknown drafts', async () => {
    expect((await admin().post('/policies/drafts', { slug: 'Not A Slug' })).status).toBe(400);
    expect((await admin().post('/policies/drafts', { slug: 'x', from: 'yesterday' })).status).toBe(400);
    expect((await admin().put('/policies/drafts/nope', { materialChange: true })).status).toBe(404);
    expect((await admin().get('/policies/versions/nope')).status).toBe(404);
  });

  it('refuses to publish a draft without sections', async () => {
    const empty = await admin().post('/policies/drafts', { slug: 'empty-one' });
    const response = await admin().post(`/policies/drafts/${empty.body.data.documentId}/publish`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/no sections/);
    expect((await rowsOf(empty.body.data.documentId))[0].lifecycle).toBe('draft');
  });

  it('deletes a draft', async () => {
    expect((await admin().del(`/policies/drafts/${documentId}`)).status).toBe(204);
    expect(await rowsOf(documentId)).toHaveLength(0);
  });
});

describe('publishing and the public API', () => {
  let v1: any;

  it('publishes now: version 1, sealed with a hash, all locales together, audited', async () => {
    v1 = await publishVersion('privacy-policy', 'one');
    expect(v1).toMatchObject({ slug: 'privacy-policy', version: 1, status: 'in-force' });
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    const rows = await rowsOf(v1.documentId);
    expect(rows.map((r: any) => [r.locale, r.lifecycle, r.version, r.hash])).toEqual([
      ['en', 'published', 1, v1.hash],
      ['fi', 'published', 1, v1.hash],
    ]);
    const audit = await app.strapi.db.query('plugin::privacy-centre.audit-event').findOne({ where: { action: 'policy.publish' } });
    expect(audit.target).toBe('privacy-policy v1');
  });

  it('serves the version in force with validators', async () => {
    const response = await api('/policies/privacy-policy/current');
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      slug: 'privacy-policy',
      version: 1,
      locale: 'en',
      fallback: false,
      locales: ['en', 'fi'],
      title: 'Privacy policy one',
      hash: v1.hash,
      previousVersion: null,
      controller: { name: 'Northwind Rowing Club ry' },
    });
    expect(response.body.data.sections[1].html).toContain('<table>');
    expect(response.headers.etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(response.headers['last-modified']).toBeDefined();
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(response.headers['content-language']).toBe('en');
  });

  it('answers 304 to If-None-Match', async () => {
    const first = await api('/policies/privacy-policy/current?locale=fi');
    expect(first.body.data.locale).toBe('fi');
    const again = await api('/policies/privacy-policy/current?locale=fi').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const other = await api('/policies/privacy-policy/current?locale=en').set('If-None-Match', first.headers.etag);
    expect(other.status).toBe(200);
  });

  it('falls back to the default locale and says so', async () => {
    const response = await api('/policies/privacy-policy/current?locale=de');
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ locale: 'en', fallback: true });
    // The requested code is not echoed: the cached bytes are shared by every unknown code.
    expect(response.body.data).not.toHaveProperty('requestedLocale');
    expect(response.headers['content-language']).toBe('en');
  });

  it.each([
    ['/policies/privacy-policy/current?locale=not%20a%20locale', 400],
    ['/policies/privacy-policy/current?locale=en&locale=fi', 400],
    ['/policies/NOPE/current', 400],
    ['/policies/unknown-policy/current', 404],
    ['/policies/privacy-policy/versions/abc', 400],
    ['/policies/privacy-policy/versions/0', 400],
    ['/policies/privacy-policy/versions/99', 404],
    ['/policies/unknown-policy/versions', 404],
    ['/policies/privacy-policy/upcoming', 404],
  ])('GET %s answers %i with a JSON error', async (url, status) => {
    const response = await api(url);
    expect(response.status).toBe(status);
    expect(response.body.error.message).toEqual(expect.any(String));
  });

  it('lets anyone recompute the hash from the public answers (all locales)', async () => {
    const locales: Record<string, unknown> = {};
    let answer: any;
    for (const locale of ['en', 'fi']) {
      answer = (await api(`/policies/privacy-policy/versions/1?locale=${locale}`)).body.data;
      locales[locale] = {
        title: answer.title,
        summary: answer.summary,
        sections: answer.sections.map(({ anchor, heading, markdown }: any) => ({ anchor, heading, markdown })),
      };
    }
    const { slug, version, effectiveAt, publishedAt, materialChange, controller } = answer;
    expect(controller).toEqual({
      name: 'Northwind Rowing Club ry',
      address: 'Rantatie 1, 00100 Helsinki, Finland',
      email: 'privacy@northwind.example',
      url: 'https://northwind.example',
    });
    expect(hashContent({ slug, version, effectiveAt, publishedAt, materialChange, controller, locales })).toBe(v1.hash);
    // Leaving the controller identity out gives another hash: it is sealed too.
    expect(hashContent({ slug, version, effectiveAt, publishedAt, materialChange, locales })).not.toBe(v1.hash);
  });

  it('serves a numbered version as immutable', async () => {
    const response = await api('/policies/privacy-policy/versions/1?locale=fi');
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ version: 1, locale: 'fi', hash: v1.hash });
    expect(response.headers['cache-control']).toMatch(/immutable/);
  });

  it('refuses to publish for a user without the publish permission', async () => {
    const draft = await admin(writer).post('/policies/drafts', { slug: 'cookie-policy', locales: sampleLocales('w') });
    expect(draft.status).toBe(201);
    const response = await admin(writer).post(`/policies/drafts/${draft.body.data.documentId}/publish`);
    expect(response.status).toBe(403);
    expect((await rowsOf(draft.body.data.documentId))[0].lifecycle).toBe('draft');
  });
});

describe('a published version is frozen by every path', () => {
  let published: any;
  beforeAll(async () => {
    published = await publishVersion('frozen-policy', 'frozen');
  });

  const unchanged = async () => {
    const rows = await rowsOf(published.documentId);
    expect(rows.map((r: any) => [r.title, r.hash, r.lifecycle])).toEqual([
      ['Privacy policy frozen', published.hash, 'published'],
      ['Tietosuojaseloste frozen', published.hash, 'published'],
    ]);
  };

  it('the plugin admin API', async () => {
    const update = await admin().put(`/policies/drafts/${published.documentId}`, { locales: sampleLocales('x') });
    expect(update.status).toBe(400);
    expect(update.body.error.message).toMatch(/published and frozen/);
    expect((await admin().del(`/policies/drafts/${published.documentId}`)).status).toBe(400);
    expect((await admin().post(`/policies/drafts/${published.documentId}/publish`)).status).toBe(400);
    await unchanged();
  });

  it('strapi.documents()', async () => {
    const documents = app.strapi.documents(UID as any);
    const update = await documents.update({ documentId: published.documentId, locale: 'en', data: { title: 'changed' } } as any).then(
      () => 'updated',
      (e: Error) => e.message
    );
    expect(update).toMatch(/published and frozen/);
    const remove = await documents.delete({ documentId: published.documentId, locale: '*' } as any).then(
      () => 'deleted',
      (e: Error) => e.message
    );
    expect(remove).toMatch(/published and frozen/);
    const forged = await documents.create({ locale: 'en', data: { slug: 'forged', title: 'x', lifecycle: 'published', hash: 'f'.repeat(64), version: 9 } } as any).then(
      () => 'created',
      (e: Error) => e.message
    );
    expect(forged).toMatch(/can only be set by publishing/);
    await unchanged();
  });

  it('the Content Manager (which may still edit drafts)', async () => {
    const { token } = await createAdmin(app);
    const draft = await admin().post('/policies/drafts', { slug: 'cm-draft', locales: sampleLocales('cm') });
    const row = (await rowsOf(draft.body.data.documentId)).find((r: any) => r.locale === 'en');
    const edited = await app
      .http()
      .put(`/content-manager/collection-types/${UID}/${draft.body.data.documentId}?locale=en`)
      .set('Authorization', `Bearer ${token}`)
      .send({ ...row, title: 'Edited in the Content Manager' });
    expect(edited.status).toBe(200);
    expect((await rowsOf(draft.body.data.documentId)).find((r: any) => r.locale === 'en').title).toBe('Edited in the Content Manager');

    const base = `/content-manager/collection-types/${UID}/${published.documentId}`;
    const update = await app.http().put(`${base}?locale=en`).set('Authorization', `Bearer ${token}`).send({ title: 'changed by CM' });
    expect(update.status).toBeGreaterThanOrEqual(400);
    expect(update.status).toBeLessThan(500);
    const remove = await app.http().delete(`${base}?locale=en`).set('Authorization', `Bearer ${token}`);
    expect(remove.status).toBeGreaterThanOrEqual(400);
    expect(remove.status).toBeLessThan(500);
    const bulk = await app
      .http()
      .post(`/content-manager/collection-types/${UID}/actions/bulkDelete?locale=en`)
      .set('Authorization', `Bearer ${token}`)
      .send({ documentIds: [published.documentId] });
    expect(bulk.status).toBeGreaterThanOrEqual(400);
    expect(bulk.status).toBeLessThan(500);
    await unchanged();
  });
});

describe('scheduling, withdrawal and the cache', () => {
  const slug = 'scheduled-policy';
  let v1: any;

  beforeAll(async () => {
    v1 = await publishVersion(slug, 'first');
  });

  it('refuses a date in the past or a malformed date', async () => {
    const draft = await admin().post('/policies/drafts', { slug: 'dated', locales: sampleLocales('d') });
    const id = draft.body.data.documentId;
    expect((await admin().post(`/policies/drafts/${id}/publish`, { effectiveAt: '2001-01-01T00:00:00Z' })).status).toBe(400);
    expect((await admin().post(`/policies/drafts/${id}/publish`, { effectiveAt: 'next tuesday' })).status).toBe(400);
    expect((await admin().post(`/policies/drafts/${id}/publish`, { effectiveAt: 12 })).status).toBe(400);
    expect((await rowsOf(id))[0].lifecycle).toBe('draft');
  });

  it('a scheduled version is upcoming, then in force when its time comes, with no restart', async () => {
    expect((await api(`/policies/${slug}/current`)).body.data.version).toBe(1); // now cached
    // Five seconds ahead: on a loaded CI machine a publication and three requests have taken more than two.
    const effectiveAt = new Date(Date.now() + 5000).toISOString();
    const v2 = await publishVersion(slug, 'second', effectiveAt);
    const upcoming = await api(`/policies/${slug}/upcoming?locale=fi`);
    const before = await api(`/policies/${slug}/current`);
    if (Date.now() >= Date.parse(effectiveAt)) throw new Error('publishing took past the effective time: the scheduled case was not reached');
    expect(v2).toMatchObject({ version: 2, status: 'scheduled', effectiveAt });
    expect(upcoming.status).toBe(200);
    expect(upcoming.body.data).toMatchObject({ version: 2, locale: 'fi', previousVersion: 1, effectiveAt });
    expect(before.body.data.version).toBe(1);

    await sleep(Date.parse(effectiveAt) - Date.now() + 200);
    const current = await api(`/policies/${slug}/current`);
    expect(current.body.data).toMatchObject({ version: 2, previousVersion: 1 });
    expect((await api(`/policies/${slug}/upcoming`)).status).toBe(404);

    const changelog = await api(`/policies/${slug}/versions`);
    expect(changelog.body.data.versions.map((v: any) => [v.version, v.status])).toEqual([
      [2, 'in-force'],
      [1, 'superseded'],
    ]);
    expect(changelog.body.data.versions[0]).toMatchObject({ summary: 'What changed in second', locales: ['en', 'fi'] });
  });

  it('publishing invalidates the cache at once', async () => {
    expect((await api(`/policies/${slug}/current`)).body.data.version).toBe(2);
    await publishVersion(slug, 'third');
    expect((await api(`/policies/${slug}/current`)).body.data.version).toBe(3);
  });

  it('withdraws a scheduled version, and only a scheduled one', async () => {
    const scheduled = await publishVersion(slug, 'fourth', new Date(Date.now() + 3600_000).toISOString());
    expect((await api(`/policies/${slug}/upcoming`)).body.data.version).toBe(4);
    const withdrawn = await admin().post(`/policies/versions/${scheduled.documentId}/withdraw`);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.data.status).toBe('withdrawn');
    expect((await api(`/policies/${slug}/upcoming`)).status).toBe(404);
    expect((await api(`/policies/${slug}/versions/4`)).status).toBe(404);
    expect((await admin().post(`/policies/versions/${scheduled.documentId}/withdraw`)).status).toBe(400);
    const inForce = await admin().post(`/policies/versions/${v1.documentId}/withdraw`);
    expect(inForce.status).toBe(400);
    expect(inForce.body.error.message).toMatch(/can no longer be withdrawn/);
    const frozen = await admin().put(`/policies/drafts/${scheduled.documentId}`, { materialChange: true });
    expect(frozen.status).toBe(400);
  });

  it('an instance sees another instance’s publication within the TTL', async () => {
    // This instance's own bumps of the tests above come back through its generations poll (every
    // instances.pollMilliseconds, 500) and drop the cache once more: let that pass first, so what
    // follows shows the TTL alone (a write behind the plugin's back bumps nothing).
    await sleep(1200);
    expect((await api(`/policies/${slug}/current`)).body.data.version).toBe(3);
    // Another instance publishes: here, a write straight to the database, behind this cache.
    // Another instance publishes: its commit reaches this database below this instance's cache
    // (here, with knex, bypassing this instance's guard and invalidation as another process would).
    const draft = await admin().post('/policies/drafts', { slug, locales: sampleLocales('other') });
    const { documentId } = draft.body.data;
    const view = (await admin().get(`/policies/versions/${documentId}`)).body.data;
    const now = new Date();
    const controller = { name: 'Other instance', address: '', email: '', url: '' };
    const hash = sealHash({
      slug, version: 5, effectiveAt: now.toISOString(), publishedAt: now.toISOString(), materialChange: false, controller, locales: view.locales,
    });
    await app.strapi.db
      .connection('privacy_centre_policy_versions')
      .where({ document_id: documentId })
      .update({
        lifecycle: 'published', version: 5, hash, signature: app.strapi.plugin('privacy-centre').service('keys').sign('policy-version', `${hash}:published`),
        effective_at: now.toISOString(), released_at: now.toISOString(), controller: JSON.stringify(controller), draft_key: null,
      });
    expect((await api(`/policies/${slug}/current`)).body.data.version).toBe(3);
    await sleep(1200);
    expect((await api(`/policies/${slug}/current`)).body.data.version).toBe(5);
  });

  it('a draft can start as a copy of the newest published version', async () => {
    const copy = await admin().post('/policies/drafts', { slug: 'privacy-policy', from: 'latest' });
    expect(copy.status).toBe(201);
    expect(copy.body.data.locales.fi.title).toBe('Tietosuojaseloste one');
    expect(copy.body.data.status).toBe('draft');
    await admin().del(`/policies/drafts/${copy.body.data.documentId}`);
  });
});

describe('import from text', () => {
  const seeds = path.resolve(__dirname, '..', '..', '..', 'shared', 'seeds');
  const files = fs.existsSync(seeds) ? fs.readdirSync(seeds).filter((f) => f.endsWith('.txt')).sort() : [];

  it('has the four seed policies to import', () => {
    expect(files).toHaveLength(4);
  });

  it.each(files.map((f, i) => [f, i]))('imports %s as a draft, losing no line', async (file, index) => {
    const text = fs.readFileSync(path.join(seeds, file as string), 'utf8');
    const slug = `seed-${index}`;
    const response = await admin().post('/policies/import', { slug, locale: 'en', text });
    expect(response.status).toBe(201);
    const { sections } = response.body.data.locales.en;
    expect(sections.length).toBeGreaterThanOrEqual(5);
    const everything = sections.map((s: any) => `${s.heading}\n${s.markdown}`).join('\n');
    const squash = (s: string) => s.replace(/[\s|*_\\#>`•–-]+/g, '');
    for (const line of text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      expect(squash(everything)).toContain(squash(line));
    }
    // Imported drafts publish and serve like any other.
    const published = await admin().post(`/policies/drafts/${response.body.data.documentId}/publish`);
    expect(published.status).toBe(200);
    const served = await api(`/policies/${slug}/current`);
    expect(served.body.data.sections).toHaveLength(sections.length);
  });

  it('refuses to overwrite a locale of an existing draft unless asked', async () => {
    const first = await admin().post('/policies/import', { slug: 'imported', locale: 'en', text: '# Policy\n\n## One\n\nBody' });
    expect(first.status).toBe(201);
    const again = await admin().post('/policies/import', { slug: 'imported', locale: 'en', text: '## Two\n\nOther' });
    expect(again.status).toBe(400);
    const fi = await admin().post('/policies/import', { slug: 'imported', locale: 'fi', text: '## Yksi\n\nTeksti' });
    expect(fi.status).toBe(201);
    expect(Object.keys(fi.body.data.locales)).toEqual(['en', 'fi']);
    const replaced = await admin().post('/policies/import', { slug: 'imported', locale: 'en', text: '## Two\n\nOther', replace: true });
    expect(replaced.body.data.locales.en.sections[0].heading).toBe('Two');
  });

  it.each([
    ['no text', { slug: 'x' }],
    ['empty text', { slug: 'x', text: '   ' }],
    ['a bad slug', { slug: '../etc', text: 'hello' }],
    ['a bad locale', { slug: 'x', text: 'hello', locale: '<script>' }],
    ['an unknown locale', { slug: 'x', text: 'hello', locale: 'sv' }],
  ])('refuses %s with 400', async (_label, body) => {
    const response = await admin().post('/policies/import', body);
    expect(response.status).toBe(400);
    expect(await app.strapi.db.query(UID).count({ where: { slug: 'x' } })).toBe(0);
  });
});

describe('concurrent publication', () => {
  it('publishes a draft once when two requests race, with one audit event', async () => {
    const draft = await admin().post('/policies/drafts', { slug: 'raced-policy', locales: sampleLocales('race') });
    const id = draft.body.data.documentId;
    const answers = await Promise.all([1, 2, 3].map(() => admin().post(`/policies/drafts/${id}/publish`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
    const rows = await rowsOf(id);
    expect(rows.every((r: any) => r.version === 1 && r.lifecycle === 'published')).toBe(true);
    const events = await app.strapi.db
      .query('plugin::privacy-centre.audit-event')
      .count({ where: { action: 'policy.publish', target: 'raced-policy v1' } });
    expect(events).toBe(1);
  });
});

describe('the fast-path middleware (put in place by the plugin itself)', () => {
  beforeAll(async () => {
    await publishVersion('fast-policy', 'fast');
  });

  it('answers a cached policy exactly as the route does, with security and CORS headers', async () => {
    const miss = await api('/policies/fast-policy/current?locale=fi'); // built by the route
    const hit = await api('/policies/fast-policy/current?locale=fi').set('Origin', 'https://site.example'); // from the cache
    expect(hit.status).toBe(200);
    expect(hit.text).toBe(miss.text);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hit.headers['x-content-type-options']).toBe('nosniff');
    expect(hit.headers['access-control-allow-origin']).toBe('https://site.example');
    const head = await app.http().head('/api/privacy-centre/policies/fast-policy/current?locale=fi');
    expect(head.status).toBe(200);
    expect(head.headers.etag).toBe(miss.headers.etag);
  });

  it('leaves anything else to the route, which validates it', async () => {
    await api('/policies/fast-policy/current');
    expect((await api('/policies/fast-policy/current?locale[$ne]=x')).status).toBe(400);
    expect((await api('/policies/fast-policy/current?locale=en&locale=fi')).status).toBe(400);
    expect((await api('/policies/fast-policy/current?locale=de')).body.data.fallback).toBe(true);
  });
});
