import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { dropFrozenRowTriggers, ensureLocales, sampleLocales, section } from '../helpers/policies';
import { sealHash } from '../../server/src/policy/seal';
import { ensureFrozenRows } from '../../server/src/db/frozen-rows';
import { policyVersionRows } from '../../server/src/guards/policy-version';
import { actionUid } from '../../server/src/permissions/actions';

/**
 * "A published version never changes": every way Strapi can write the policy-version table,
 * tried against a frozen version. Each must refuse with a clear 4xx (or a rejected promise with
 * the same words) and leave the version, its seal and its public answers exactly as they were.
 */
const UID = 'plugin::privacy-centre.policy-version';
const TABLE = 'privacy_centre_policy_versions';
const CM = `/content-manager/collection-types/${UID}`;
let app: TestStrapi;
let superAdmin: string;

beforeAll(async () => {
  app = await bootStrapi();
  await ensureLocales(app, ['fi', 'sv']);
  superAdmin = (await createAdmin(app)).token;
});
afterAll(async () => {
  await app?.close();
});

const auth = (token = superAdmin) => ({ Authorization: `Bearer ${token}` });
const plugin = (token = superAdmin) => ({
  get: (url: string) => app.http().get(`/privacy-centre${url}`).set(auth(token)),
  post: (url: string, body: object = {}) => app.http().post(`/privacy-centre${url}`).set(auth(token)).send(body),
  put: (url: string, body: object = {}) => app.http().put(`/privacy-centre${url}`).set(auth(token)).send(body),
});
const api = (url: string) => app.http().get(`/api/privacy-centre${url}`);
const rowsOf = (documentId: string) => app.strapi.db.query(UID).findMany({ where: { documentId }, orderBy: { locale: 'asc' } });
const auditCount = (action?: string) =>
  app.strapi.db.query('plugin::privacy-centre.audit-event').count(action ? { where: { action } } : {});
const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => 'it went through',
    (error: Error) => error.message
  );

async function publish(slug: string, tag: string, effectiveAt?: string) {
  const draft = await plugin().post('/policies/drafts', { slug, locales: sampleLocales(tag) });
  expect(draft.status).toBe(201);
  const published = await plugin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, effectiveAt ? { effectiveAt } : {});
  expect(published.status).toBe(200);
  return published.body.data;
}

/** Everything about a frozen version that must never change: its rows and its public answers. */
async function fingerprint(slug: string, documentId: string) {
  const rows = await rowsOf(documentId);
  const current = await api(`/policies/${slug}/current?locale=fi`);
  return JSON.stringify({
    rows: rows.map(({ updatedAt, ...row }: any) => row),
    current: [current.status, current.body],
    count: await app.strapi.db.query(UID).count({ where: { slug } }),
  });
}

describe('a published version against every write path', () => {
  const slug = 'frozen-policy';
  let version: any;
  let before: string;

  beforeAll(async () => {
    version = await publish(slug, 'frozen');
    before = await fingerprint(slug, version.documentId);
  });
  afterEach(async () => {
    expect(await fingerprint(slug, version.documentId)).toBe(before);
  });

  it('Content Manager: create a new locale into the published document (POST with its documentId)', async () => {
    const response = await app
      .http()
      .post(`${CM}?locale=sv`)
      .set(auth())
      .send({ documentId: version.documentId, slug, title: 'Integritetspolicy', sections: [] });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/published and frozen/);
  });

  it('Content Manager: add a locale to the published document (PUT ?locale=sv)', async () => {
    const response = await app.http().put(`${CM}/${version.documentId}?locale=sv`).set(auth()).send({ title: 'Ny', slug });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/published and frozen/);
  });

  it('strapi.documents().create() with the published documentId', async () => {
    const documents = app.strapi.documents(UID as any);
    expect(await reason(documents.create({ locale: 'sv', data: { documentId: version.documentId, slug, title: 'x' } } as any))).toMatch(
      /published and frozen/
    );
  });

  it('Content Manager: clone, and strapi.documents().clone()', async () => {
    const response = await app
      .http()
      .post(`${CM}/clone/${version.documentId}?locale=en`)
      .set(auth())
      .send({ title: 'Copy', version: null, effectiveAt: '2099-01-01T00:00:00.000Z' });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/cannot be cloned/);
    expect(await reason(app.strapi.documents(UID as any).clone({ documentId: version.documentId, locale: 'en', data: {} } as any))).toMatch(
      /cannot be cloned/
    );
    expect((await api(`/policies/${slug}/upcoming`)).status).toBe(404);
  });

  it('Content Manager: update, delete and bulk delete', async () => {
    expect((await app.http().put(`${CM}/${version.documentId}?locale=en`).set(auth()).send({ title: 'changed' })).status).toBe(400);
    expect((await app.http().delete(`${CM}/${version.documentId}?locale=en`).set(auth())).status).toBe(400);
    const bulk = await app.http().post(`${CM}/actions/bulkDelete?locale=en`).set(auth()).send({ documentIds: [version.documentId] });
    expect(bulk.status).toBe(400);
  });

  it('strapi.db.query(): update, updateMany, delete, deleteMany (by locale, and everything)', async () => {
    const query = app.strapi.db.query(UID);
    const [en] = await rowsOf(version.documentId);
    expect(await reason(query.update({ where: { id: en.id }, data: { title: 'changed' } }))).toMatch(/published and frozen/);
    expect(await reason(query.updateMany({ where: { slug }, data: { materialChange: true } }))).toMatch(/published and frozen/);
    expect(await reason(query.delete({ where: { id: en.id } }))).toMatch(/published and frozen/);
    expect(await reason(query.deleteMany({ where: { locale: 'fi' } }))).toMatch(/published and frozen/);
    expect(await reason(query.deleteMany({}))).toMatch(/published and frozen/);
  });

  it('strapi.db.query(): publication fields are written by publication only', async () => {
    const query = app.strapi.db.query(UID);
    const forged = { slug: 'forged', title: 'x', locale: 'en', lifecycle: 'published', version: 9, hash: 'f'.repeat(64), effectiveAt: new Date(), releasedAt: new Date() };
    expect(await reason(query.create({ data: forged }))).toMatch(/can only be set by publishing/);
    expect(await reason(query.createMany({ data: [forged] }))).toMatch(/can only be set by publishing/);
    const draft = await plugin().post('/policies/drafts', { slug: 'forge-target', locales: sampleLocales('f') });
    expect(await reason(query.updateMany({ where: { documentId: draft.body.data.documentId }, data: { hash: 'f'.repeat(64) } }))).toMatch(
      /can only be set by publishing/
    );
    expect((await rowsOf(draft.body.data.documentId)).every((r: any) => r.hash === null && r.lifecycle === 'draft')).toBe(true);
    // Nor can a draft row be moved into the frozen document.
    const [draftRow] = await rowsOf(draft.body.data.documentId);
    expect(await reason(query.update({ where: { id: draftRow.id }, data: { documentId: version.documentId, locale: 'sv' } }))).toMatch(
      /documentId cannot be changed/
    );
    expect(await app.strapi.db.query(UID).count({ where: { slug: 'forged' } })).toBe(0);
  });

  it('the database itself refuses an edit or deletion from a SQL console, below every Strapi layer (triggers)', async () => {
    const knex = app.strapi.db.connection;
    const [en] = await rowsOf(version.documentId);
    const refusal = /published and frozen/;
    expect(await reason(knex(TABLE).where({ id: en.id }).update({ title: 'changed from a console' }))).toMatch(refusal);
    expect(await reason(knex(TABLE).where({ document_id: version.documentId }).update({ lifecycle: 'draft', hash: null }))).toMatch(refusal);
    expect(await reason(knex(TABLE).where({ slug }).update({ sections: JSON.stringify([]) }))).toMatch(refusal);
    expect(await reason(knex(TABLE).where({ id: en.id }).update({ lifecycle: 'published', version: 2 }))).toMatch(refusal);
    expect(await reason(knex(TABLE).where({ id: en.id }).del())).toMatch(refusal);
    expect(await reason(knex(TABLE).where({ slug }).del())).toMatch(refusal);
  });

  it('the database itself refuses a non-draft row without its seal (CHECK constraint / SQLite trigger)', async () => {
    const knex = app.strapi.db.connection;
    const [en] = await rowsOf(version.documentId);
    const now = new Date();
    // Messages, not classes: a native driver's errors may belong to another jest realm.
    const refusal = /CHECK|check constraint|privacy_centre_policy_versions_frozen_complete|published and frozen/i;
    expect(
      await reason(
        knex(TABLE).insert({ document_id: 'raw', locale: 'en', slug: 'raw', title: 'raw', lifecycle: 'published', version: 1, effective_at: now.toISOString(), released_at: now.toISOString() })
      )
    ).toMatch(refusal);
    expect(await reason(knex(TABLE).where({ id: en.id }).update({ hash: null }))).toMatch(refusal);
    expect(await reason(knex(TABLE).where({ id: en.id }).update({ version: null }))).toMatch(refusal);
  });

  it('Settings → Internationalization: deleting a locale that a published version is written in', async () => {
    const locales = await app.http().get('/i18n/locales').set(auth());
    const fi = locales.body.find((l: any) => l.code === 'fi');
    const response = await app.http().delete(`/i18n/locales/${fi.id}`).set(auth());
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/"fi" cannot be deleted: published policy versions are written in it \(.*frozen-policy v1/);
    const after = await app.http().get('/i18n/locales').set(auth());
    expect(after.body.map((l: any) => l.code)).toContain('fi');
  });

  it('the plugin admin API: PUT with an empty body is a 400 with no audit event', async () => {
    const events = await auditCount();
    const response = await plugin().put(`/policies/drafts/${version.documentId}`, {});
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/published and frozen/);
    expect(await auditCount()).toBe(events);
  });
});

describe('a locale used only by drafts can still be deleted', () => {
  it('deletes the locale and the draft translation with it', async () => {
    await ensureLocales(app, ['et']);
    const draft = await plugin().post('/policies/drafts', {
      slug: 'draft-only',
      locales: { en: sampleLocales('d').en, et: { title: 'Privaatsus', summary: '', sections: [section('1. Kes', 'Meie.')] } },
    });
    expect(draft.status).toBe(201);
    const locales = await app.http().get('/i18n/locales').set(auth());
    const et = locales.body.find((l: any) => l.code === 'et');
    expect((await app.http().delete(`/i18n/locales/${et.id}`).set(auth())).status).toBe(200);
    expect((await rowsOf(draft.body.data.documentId)).map((r: any) => r.locale)).toEqual(['en']);
  });
});

describe('the Content Manager on drafts', () => {
  it('a policy version created there becomes a proper draft, one per slug', async () => {
    const created = await app.http().post(`${CM}?locale=en`).set(auth()).send({ slug: 'cm-made', title: 'Made in the CM', sections: [] });
    expect(created.status).toBe(201);
    const [row] = await rowsOf(created.body.data.documentId);
    expect(row).toMatchObject({ slug: 'cm-made', lifecycle: 'draft', version: null, hash: null, draftKey: 'cm-made' });
    const list = await plugin().get('/policies');
    expect(list.body.data.find((d: any) => d.slug === 'cm-made').versions[0]).toMatchObject({ status: 'draft', integrity: null });

    const second = await app.http().post(`${CM}?locale=en`).set(auth()).send({ slug: 'cm-made', title: 'Another', sections: [] });
    expect(second.status).toBe(400);
    expect(second.body.error.message).toMatch(/already has a draft/);
  });

  it('checks sections on every save: the CM, documents(), db.query()', async () => {
    const draft = await plugin().post('/policies/drafts', { slug: 'sections-checked', locales: sampleLocales('s') });
    const { documentId } = draft.body.data;
    const before = JSON.stringify(await rowsOf(documentId));
    const bad = [
      [{ anchor: 'a', heading: 'One', markdown: 42 }],
      [{ anchor: 'a', heading: 'One', markdown: 'x', script: '<b>' }],
      [{ anchor: 'Not An Anchor!', heading: 'One', markdown: 'x' }],
      [{ anchor: 'a', heading: { nested: true }, markdown: 'x' }],
      'not a list',
      Array.from({ length: 501 }, () => ({ anchor: '', heading: 'h', markdown: '' })),
      [{ anchor: '', heading: 'big', markdown: 'x'.repeat(200_001) }],
    ];
    for (const sections of bad) {
      const cm = await app.http().put(`${CM}/${documentId}?locale=en`).set(auth()).send({ title: 'T', slug: 'sections-checked', sections });
      expect(cm.status).toBe(400);
      expect(await reason(app.strapi.documents(UID as any).update({ documentId, locale: 'en', data: { sections } } as any))).toMatch(
        /sections|invalid/i
      );
      expect(await reason(app.strapi.db.query(UID).updateMany({ where: { documentId, locale: 'en' }, data: { sections } }))).toMatch(
        /sections are invalid/
      );
    }
    expect(JSON.stringify(await rowsOf(documentId))).toBe(before);
  });

  it('checks them again at publication (a row written below Strapi)', async () => {
    const draft = await plugin().post('/policies/drafts', { slug: 'sections-rechecked', locales: sampleLocales('r') });
    const { documentId } = draft.body.data;
    await app.strapi.db
      .connection(TABLE)
      .where({ document_id: documentId, locale: 'en' })
      .update({ sections: JSON.stringify([{ anchor: 'a', heading: 'One', markdown: 42 }]) });
    const response = await plugin().post(`/policies/drafts/${documentId}/publish`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/en translation is invalid/);
    expect((await rowsOf(documentId)).every((r: any) => r.lifecycle === 'draft')).toBe(true);
  });

  it('does not show the publication fields as inputs', async () => {
    const response = await app.http().get(`/content-manager/content-types/${UID}/configuration`).set(auth());
    expect(response.status).toBe(200);
    const editable = (response.body.data.contentType.layouts.edit as Array<Array<{ name: string }>>).flat().map((f) => f.name);
    expect(editable).toEqual(expect.arrayContaining(['slug', 'title', 'sections']));
    for (const field of ['version', 'hash', 'lifecycle', 'effectiveAt', 'releasedAt', 'releasedBy', 'controller', 'draftKey']) {
      expect(editable).not.toContain(field);
    }
  });
});

describe('integrity on read (when the database triggers were dropped first, as a DBA could)', () => {
  const slug = 'tampered-policy';
  let tampered: any;
  let forged: any;
  let stripped: any;
  let summary: any;
  let withdrawnInForce: any;
  let deleted: any;

  afterAll(async () => {
    // The plugin puts its rules back at every boot; here, for the tests that follow.
    await ensureFrozenRows(app.strapi, policyVersionRows, { allowDelete: false });
  });

  beforeAll(async () => {
    tampered = await publish(slug, 'tampered');
    forged = await publish('forged-hash', 'forged');
    stripped = await publish('stripped-signature', 'stripped');
    await dropFrozenRowTriggers(app);
    const knex = app.strapi.db.connection;
    // 1. content changed, hash left alone
    await knex(TABLE).where({ document_id: tampered.documentId, locale: 'fi' }).update({ title: 'Muutettu salaa' });
    // 2. content changed and the public hash recomputed by someone who knows the scheme
    const view = (await plugin().get(`/policies/versions/${forged.documentId}`)).body.data;
    const locales = { ...view.locales, fi: { ...view.locales.fi, title: 'Väärennetty' } };
    const hash = sealHash({
      slug: 'forged-hash', version: 1, effectiveAt: view.effectiveAt, publishedAt: view.publishedAt,
      materialChange: view.materialChange, controller: view.controller, locales,
    });
    await knex(TABLE).where({ document_id: forged.documentId, locale: 'fi' }).update({ title: 'Väärennetty' });
    await knex(TABLE).where({ document_id: forged.documentId }).update({ hash });
    // 3. the signature stripped (to pass for a version published before signatures)
    await knex(TABLE).where({ document_id: stripped.documentId }).update({ signature: null });
    // 4. the summary changed: it is served by the changelog; an extra key added to the identity
    summary = await publish('summary-changed', 'summary');
    await knex(TABLE).where({ document_id: summary.documentId }).update({ summary: 'Nothing changed, honest' });
    const identity = await publish('identity-extended', 'identity');
    const [row] = await rowsOf(identity.documentId);
    await knex(TABLE).where({ document_id: identity.documentId }).update({ controller: JSON.stringify({ ...row.controller, url2: 'javascript:alert(1)' }) });
    // 5. the version in force made "withdrawn", so that its predecessor would be served instead
    await publish('quietly-withdrawn', 'first');
    withdrawnInForce = await publish('quietly-withdrawn', 'second');
    await knex(TABLE).where({ document_id: withdrawnInForce.documentId }).update({ lifecycle: 'withdrawn' });
    // 6. a whole version deleted
    await publish('gap-policy', 'one');
    deleted = await publish('gap-policy', 'two');
    await publish('gap-policy', 'three');
    await knex(TABLE).where({ document_id: deleted.documentId }).del();
  });

  it('refuses to serve them: a 500 that says why, logged and audited once each', async () => {
    for (const [name, title] of [[slug, 'Muutettu'], ['forged-hash', 'Väärennetty'], ['stripped-signature', 'Tietosuojaseloste']]) {
      for (const url of [`/policies/${name}/current?locale=fi`, `/policies/${name}/current`, `/policies/${name}/versions/1`]) {
        const response = await api(url);
        expect(response.status).toBe(500);
        expect(response.body.error).toMatchObject({ name: 'IntegrityError' });
        expect(response.body.error.message).toMatch(/no longer matches the seal/);
        expect(JSON.stringify(response.body)).not.toContain(title);
      }
    }
    expect(await auditCount('policy.integrity.broken')).toBe(3);
  });

  it('lists a tampered version in the changelog by its number only, and serves only the sealed identity', async () => {
    const changelog = await api('/policies/summary-changed/versions');
    expect(changelog.status).toBe(200);
    expect(changelog.body.data.versions).toEqual([{ version: 1, integrity: 'broken' }]);
    expect(changelog.text).not.toContain('honest');
    const identity = await api('/policies/identity-extended/current');
    expect(identity.status).toBe(200);
    expect(Object.keys(identity.body.data.controller).sort()).toEqual(['address', 'email', 'name', 'url']);
    expect(identity.text).not.toContain('javascript:');
  });

  it('does not quietly fall back when the version in force was made "withdrawn" below the plugin', async () => {
    const current = await api('/policies/quietly-withdrawn/current');
    expect(current.status).toBe(500);
    expect(current.body.error.name).toBe('IntegrityError');
  });

  it('shows them in the admin list and finds them when every version is re-verified', async () => {
    const list = await plugin().get('/policies');
    expect(list.body.data.find((d: any) => d.slug === slug).versions[0]).toMatchObject({ version: 1, integrity: 'broken' });
    expect(list.body.data.find((d: any) => d.slug === 'frozen-policy').versions[0]).toMatchObject({ integrity: 'ok' });
    const reader = (await createAdmin(app, [actionUid('policies', 'read')])).token;
    const verified = await plugin(reader).post('/policies/verify');
    expect(verified.status).toBe(200);
    expect(verified.body.data.checked).toBeGreaterThanOrEqual(8);
    expect(verified.body.data.broken.map((b: any) => b.slug).sort()).toEqual(
      ['forged-hash', 'quietly-withdrawn', 'stripped-signature', 'summary-changed', slug].sort()
    );
    expect(verified.body.data.missing).toEqual([{ slug: 'gap-policy', version: 2 }]);
    expect(await auditCount('policy.verify')).toBe(1);
  });

  it('the forged one passes the public hash check: its signature is what gives it away', async () => {
    const rows = await rowsOf(forged.documentId);
    const [first] = rows;
    const recomputed = sealHash({
      slug: first.slug, version: first.version, effectiveAt: new Date(first.effectiveAt).toISOString(),
      publishedAt: new Date(first.releasedAt).toISOString(), materialChange: first.materialChange, controller: first.controller,
      locales: Object.fromEntries(rows.map((r: any) => [r.locale, r])),
    });
    expect(recomputed).toBe(first.hash);
    expect((await plugin().get(`/policies/versions/${forged.documentId}`)).body.data.integrity).toBe('broken');
  });
});

describe('permissions and input of the admin routes', () => {
  it('importing into an existing draft needs policies.update as well as policies.create', async () => {
    const creator = (await createAdmin(app, [actionUid('policies', 'read'), actionUid('policies', 'create')])).token;
    const first = await plugin(creator).post('/policies/import', { slug: 'imported-once', locale: 'en', text: '## One\n\nBody' });
    expect(first.status).toBe(201);
    const again = await plugin(creator).post('/policies/import', { slug: 'imported-once', locale: 'en', text: '## Two\n\nOther', replace: true });
    expect(again.status).toBe(403);
    expect(again.body.error.message).toMatch(/policies.update/);
    const rows = await app.strapi.db.query(UID).findMany({ where: { slug: 'imported-once' } });
    expect(rows.map((r: any) => r.sections[0].heading)).toEqual(['One']);
  });

  it.each<[string | number, string]>([
    ['2030-01-01T00:00', 'no time zone'],
    ['2030-01-01', 'no time'],
    ['2030-02-30T00:00:00Z', 'a day that does not exist'],
    ['2030-01-01T25:00:00Z', 'an hour that does not exist'],
    ['  2030-01-01T00:00:00Z', 'leading spaces'],
    [1893456000000, 'a number'],
  ])('refuses effectiveAt %p (%s) with 400', async (effectiveAt) => {
    const draft = await plugin().post('/policies/drafts', { slug: `dated-${Math.random().toString(36).slice(2, 8)}`, locales: sampleLocales('t') });
    const response = await plugin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, { effectiveAt });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/time zone/);
    expect((await rowsOf(draft.body.data.documentId))[0].lifecycle).toBe('draft');
  });

  it('reads an effectiveAt with an offset as that instant', async () => {
    const draft = await plugin().post('/policies/drafts', { slug: 'offset-dated', locales: sampleLocales('o') });
    const response = await plugin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, { effectiveAt: '2031-01-01T02:00:00+02:00' });
    expect(response.status).toBe(200);
    expect(response.body.data.effectiveAt).toBe('2031-01-01T00:00:00.000Z');
  });

  it.each([
    ['a javascript: URL', { url: 'javascript:alert(document.cookie)' }],
    ['a data: URL', { url: 'data:text/html,<script>alert(1)</script>' }],
    ['an over-long name', { name: 'n'.repeat(201) }],
    ['a malformed e-mail', { email: 'not an address' }],
  ])('settings refuse %s', async (_label, change) => {
    const before = (await plugin().get('/settings')).body.data.settings.controller;
    const response = await plugin().put('/settings', { controller: { ...before, ...change } });
    expect(response.status).toBe(400);
    expect((await plugin().get('/settings')).body.data.settings.controller).toEqual(before);
  });

  it('refuses bodies larger than a route accepts with 413, before reading them', async () => {
    const big = await plugin().post('/policies/import', { slug: 'too-big', text: 'x'.repeat(1_100_000) });
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ name: 'PayloadTooLargeError', details: { limit: 1024 * 1024 } });
    const settings = await plugin().put('/settings', { controller: { name: 'x'.repeat(70_000), address: '', email: '', url: '' } });
    expect(settings.status).toBe(413);
    expect(await app.strapi.db.query(UID).count({ where: { slug: 'too-big' } })).toBe(0);
  });
});

describe('restoring a backup (strapi import / transfer)', () => {
  it('is refused while published versions exist, and allowed with allowRestore, seals intact', async () => {
    const version = await publish('restored-policy', 'restored');
    const query = app.strapi.db.query(UID);
    const rows = await query.findMany({ where: { documentId: version.documentId } });
    const copies = rows.map(({ id, createdAt, updatedAt, ...row }: any) => row);
    // What the restore does: wipe, then re-create every row.
    expect(await reason(query.deleteMany({ where: { documentId: version.documentId } }))).toMatch(/published and frozen/);
    expect(await reason(query.createMany({ data: copies }))).toMatch(/published and frozen/);
    const fresh = copies.map(({ documentId, ...row }: any) => ({ ...row, documentId: 'restoredcopy', slug: 'restored-copy' }));
    expect(await reason(query.createMany({ data: fresh }))).toMatch(/can only be set by publishing/);

    // What a boot with allowRestore does: the guard lets restores through, the database's
    // delete rule is lifted.
    const config = app.strapi.config.get('plugin::privacy-centre') as any;
    config.allowRestore = true;
    await ensureFrozenRows(app.strapi, policyVersionRows, { allowDelete: true });
    try {
      await query.deleteMany({ where: { documentId: version.documentId } });
      await query.createMany({ data: copies });
      // Updates stay refused even then: a restore re-creates rows, it never edits them.
      expect(await reason(query.updateMany({ where: { documentId: version.documentId }, data: { title: 'edited' } }))).toMatch(
        /published and frozen/
      );
    } finally {
      config.allowRestore = false;
      await ensureFrozenRows(app.strapi, policyVersionRows, { allowDelete: false });
    }
    const verified = await plugin().post('/policies/verify');
    expect(verified.body.data.broken.map((b: any) => b.slug)).not.toContain('restored-policy');
    const served = await api('/policies/restored-policy/versions/1');
    expect(served.status).toBe(200);
    expect(served.body.data.hash).toBe(version.hash);
  });
});

describe('found by the attack review', () => {
  it.each([
    ['an array', (id: string) => [id]],
    ['an operator object', () => ({ $ne: 'x' })],
    ['a number', () => 42],
  ])('a documentId that is %s is refused on every path, storing nothing', async (_label, make) => {
    const version = await publish(`odd-id-${Math.random().toString(36).slice(2, 8)}`, 'odd');
    const before = await fingerprint(version.slug, version.documentId);
    const documentId = make(version.documentId);
    const cm = await app.http().post(`${CM}?locale=sv`).set(auth()).send({ documentId, slug: version.slug, title: 'x', sections: [] });
    expect(cm.status).toBe(400);
    expect(cm.body.error.message).toMatch(/documentId must be a string/);
    const documents = app.strapi.documents(UID as any);
    expect(await reason(documents.create({ locale: 'sv', data: { documentId, slug: version.slug, title: 'x' } } as any))).toMatch(/documentId must be a string/);
    const query = app.strapi.db.query(UID);
    expect(await reason(query.create({ data: { documentId, slug: version.slug, title: 'x', locale: 'sv' } }))).toMatch(/documentId must be a string/);
    expect(await reason(query.createMany({ data: [{ documentId, slug: version.slug, title: 'x', locale: 'de' }] }))).toMatch(/documentId must be a string/);
    expect(await fingerprint(version.slug, version.documentId)).toBe(before);
    expect(await app.strapi.db.query(UID).count({ where: { locale: { $in: ['sv', 'de'] } } })).toBe(0);
  });

  it('a draft row cannot join a published version below Strapi either (trigger)', async () => {
    const version = await publish('graft-target', 'graft');
    expect(
      await reason(
        app.strapi.db.connection(TABLE).insert({ document_id: version.documentId, locale: 'sv', slug: 'graft-target', title: 'x', lifecycle: 'draft' })
      )
    ).toMatch(/published and frozen/);
    expect((await api('/policies/graft-target/current')).status).toBe(200);
  });

  it('a version in force cannot be made "withdrawn" below Strapi (trigger), nor a withdrawn one published again', async () => {
    const version = await publish('withdraw-target', 'w');
    const knex = app.strapi.db.connection;
    expect(await reason(knex(TABLE).where({ document_id: version.documentId }).update({ lifecycle: 'withdrawn' }))).toMatch(/published and frozen/);
    const scheduled = await publish('withdraw-target', 'w2', new Date(Date.now() + 3600_000).toISOString());
    expect((await plugin().post(`/policies/versions/${scheduled.documentId}/withdraw`)).status).toBe(200);
    expect(await reason(knex(TABLE).where({ document_id: scheduled.documentId }).update({ lifecycle: 'published' }))).toMatch(/published and frozen/);
  });

  it('one draft per policy, whatever locale each creation writes (CM and db.query)', async () => {
    const cm = (locale: string) =>
      app.http().post(`${CM}?locale=${locale}`).set(auth()).send({ slug: 'locale-raced', title: `in ${locale}`, sections: [] });
    const answers = await Promise.all(['en', 'fi', 'sv', 'en'].map(cm));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.every((a) => a.status === 201 || a.status === 400)).toBe(true);
    const existing = answers.find((a) => a.status === 201)!.body.data;
    const other = existing.locale === 'fi' ? 'sv' : 'fi';
    expect(await reason(app.strapi.db.query(UID).create({ data: { slug: 'locale-raced', title: 'x', locale: other } }))).toMatch(/already has a draft/);
    const rows = await app.strapi.db.query(UID).findMany({ where: { slug: 'locale-raced' } });
    expect(new Set(rows.map((r: any) => r.documentId)).size).toBe(1);
  });

  it.each([
    ['a 256-character title', { title: 'T'.repeat(256), summary: '', sections: [section('1', 'x')] }, /title/],
    ['a NUL character in markdown', { title: 'T', summary: '', sections: [section('1', 'a\u0000b')] }, /NUL/],
    ['a lone surrogate in a heading', { title: 'T', summary: '', sections: [section('\ud800 1', 'x')] }, /surrogate/],
    ['a NUL character in the summary', { title: 'T', summary: 'a\u0000', sections: [] }, /NUL/],
  ])('refuses %s with 400, writing nothing (not a 500 from the database)', async (_label, content, message) => {
    const slug = `bad-text-${Math.random().toString(36).slice(2, 8)}`;
    const created = await plugin().post('/policies/drafts', { slug, locales: { en: content } });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(message);
    expect(await app.strapi.db.query(UID).count({ where: { slug } })).toBe(0);
    const draft = await plugin().post('/policies/drafts', { slug, locales: sampleLocales('ok') });
    const before = JSON.stringify(await rowsOf(draft.body.data.documentId));
    const updated = await plugin().put(`/policies/drafts/${draft.body.data.documentId}`, { locales: { en: content, fi: sampleLocales('changed').fi } });
    expect(updated.status).toBe(400);
    expect(JSON.stringify(await rowsOf(draft.body.data.documentId))).toBe(before);
  });

  it('refuses an effectiveAt beyond year 9999 in UTC', async () => {
    const draft = await plugin().post('/policies/drafts', { slug: 'far-future', locales: sampleLocales('f') });
    const response = await plugin().post(`/policies/drafts/${draft.body.data.documentId}/publish`, { effectiveAt: '9999-12-31T23:59:59-23:59' });
    expect(response.status).toBe(400);
  });

  it('an admin with a very long name still publishes (the actor is cut to the column)', async () => {
    const { token, user } = await createAdmin(app);
    await app.strapi.db.query('admin::user').update({ where: { id: user.id }, data: { firstname: 'N'.repeat(200), lastname: 'M'.repeat(200) } });
    const draft = await plugin(token).post('/policies/drafts', { slug: 'long-actor', locales: sampleLocales('l') });
    expect(draft.status).toBe(201);
    const published = await plugin(token).post(`/policies/drafts/${draft.body.data.documentId}/publish`);
    expect(published.status).toBe(200);
    expect(published.body.data.publishedBy.length).toBeLessThanOrEqual(255);
  });

  it('strips the localizations relation, so a draft cannot pull a frozen row out of its version', async () => {
    const version = await publish('relation-target', 'r');
    const [frozenRow] = await rowsOf(version.documentId);
    const draft = await plugin().post('/policies/drafts', { slug: 'relation-draft', locales: sampleLocales('d') });
    const [draftRow] = await rowsOf(draft.body.data.documentId);
    await app.strapi.db.query(UID).update({ where: { id: draftRow.id }, data: { title: 'still a draft', localizations: [frozenRow.id] } });
    expect((await rowsOf(version.documentId)).map((r: any) => r.id)).toContain(frozenRow.id);
    expect((await api('/policies/relation-target/current')).status).toBe(200);
  });

  it('the body-size limit holds whatever the case of the path', async () => {
    const response = await app
      .http()
      .put('/PRIVACY-CENTRE/settings')
      .set(auth())
      .send({ controller: { name: 'x'.repeat(200_000), address: '', email: '', url: '' } });
    expect(response.status).toBe(413);
  });
});
