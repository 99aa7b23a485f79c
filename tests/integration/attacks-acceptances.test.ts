import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';

/**
 * Attack tests of policy acceptance (#18): the route policy's cache across users and auth
 * strategies, and bad paging of the admin's acceptance list.
 */
let app: TestStrapi;
let admin: string;
const SLUG = 'terms';
const POLICY = 'plugin::privacy-centre.policies-accepted';

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const plugin = () => app.strapi.plugin('privacy-centre');
const adminPost = (url: string, body: object) => app.http().post(`/privacy-centre${url}`).set(auth(admin)).send(body);

let users = 0;
async function siteUser(name: string) {
  users += 1;
  const email = `${name}.${users}@attack.example`;
  const password = 'Member-passw0rd';
  const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const user = await app.strapi.plugin('users-permissions').service('user').add({
    username: `${name}${users}`, email, password, provider: 'local', confirmed: true, blocked: false, role: role.id,
  });
  // The first one signs in for real; the rest get their token from users-permissions itself
  // (its /auth/local is rate-limited, and many sign-ins here would meet the limit).
  if (users === 1) {
    const login = await app.http().post('/api/auth/local').send({ identifier: email, password });
    expect(login.status).toBe(200);
    return { id: user.id as number, documentId: user.documentId as string, jwt: login.body.jwt as string };
  }
  const jwt = app.strapi.plugin('users-permissions').service('jwt').issue({ id: user.id });
  return { id: user.id as number, documentId: user.documentId as string, jwt: jwt as string };
}

let v1: { version: number; hash: string; documentId: string };

beforeAll(async () => {
  app = await bootStrapi();
  await ensureLocales(app, ['fi']);
  admin = (await createAdmin(app)).token;
  const draft = await adminPost('/policies/drafts', { slug: SLUG, materialChange: true, locales: sampleLocales('attack') });
  expect(draft.status).toBe(201);
  const published = await adminPost(`/policies/drafts/${draft.body.data.documentId}/publish`, {});
  expect(published.status).toBe(200);
  v1 = { ...published.body.data, documentId: draft.body.data.documentId };
  const controller = { name: 'Northwind Rowing Club ry', address: 'Rantatie 1, 00100 Helsinki, Finland', email: 'privacy@northwind.example', url: 'https://northwind.example' };
  const settings = await app.http().put('/privacy-centre/settings').set(auth(admin)).send({ controller, acceptance: { required: [SLUG], graceDays: 0 } });
  expect(settings.status).toBe(200);
});
afterAll(async () => {
  await app?.close();
});

describe('the route policy', () => {
  it("never answers one user from another's cached acceptances (the cache is per user, not per numeric id)", async () => {
    const alice = await siteUser('alice');
    const accepted = await app.http().post('/api/privacy-centre/acceptances').set(auth(alice.jwt)).send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(accepted.status).toBe(201);
    const service = plugin().service('acceptances');
    expect(await service.overdue({ id: alice.id, documentId: alice.documentId })).toEqual([]);
    // Another user behind the same numeric id (another auth strategy's user, an id the database
    // gave again after a deletion): they accepted nothing, whatever alice's cached entry says.
    const overdue = await service.overdue({ id: alice.id, documentId: 'someoneelse0000000000000' });
    expect(overdue.map((p: { slug: string }) => p.slug)).toEqual([SLUG]);
    // And alice is still let in.
    expect(await service.overdue({ id: alice.id, documentId: alice.documentId })).toEqual([]);
  });

  it('refuses only users-permissions users: an admin (or any other strategy) on a route with the policy is not a site user', async () => {
    const policy = app.strapi.policy(POLICY) as unknown as (ctx: object, config: object, deps: object) => Promise<boolean>;
    const adminUser = await app.strapi.db.query('admin::user').findOne({ where: {} });
    const asAdmin = { state: { user: { id: adminUser.id, documentId: adminUser.documentId }, auth: { strategy: { name: 'admin' } } } };
    await expect(policy(asAdmin, {}, { strapi: app.strapi })).resolves.toBe(true);
    // A users-permissions user who accepted nothing is refused.
    const bob = await siteUser('bob');
    const asBob = { state: { user: { id: bob.id, documentId: bob.documentId }, auth: { strategy: { name: 'users-permissions' } } } };
    await expect(policy(asBob, {}, { strapi: app.strapi })).rejects.toMatchObject({ name: 'PolicyAcceptanceRequired' });
    expect((await app.http().get('/api/member-area').set(auth(bob.jwt))).status).toBe(403);
  });
});

describe('a role that may not accept', () => {
  it('is not locked out by the route policy (POST /acceptances would answer it 403 for good)', async () => {
    const roles = app.strapi.db.query('plugin::users-permissions.role');
    const role = await roles.create({ data: { name: 'Crew', type: 'crew', description: 'no acceptance action' } });
    await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'api::member-area.member-area.find', role: role.id } });
    const greta = await siteUser('greta');
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: greta.id }, data: { role: role.id } });
    expect((await app.http().post('/api/privacy-centre/acceptances').set(auth(greta.jwt)).send({ slug: SLUG, version: 1, hash: v1.hash })).status).toBe(403);
    expect((await app.http().get('/api/member-area').set(auth(greta.jwt))).status).toBe(200);
    // Given the action, the role is asked like any other.
    await app.strapi.db.query('plugin::users-permissions.permission').create({ data: { action: 'plugin::privacy-centre.public-acceptances.accept', role: role.id } });
    const refused = await app.http().get('/api/member-area').set(auth(greta.jwt));
    expect(refused.status).toBe(403);
    expect(refused.body.error.name).toBe('PolicyAcceptanceRequired');
    expect((await app.http().post('/api/privacy-centre/acceptances').set(auth(greta.jwt)).send({ slug: SLUG, version: 1, hash: v1.hash })).status).toBe(201);
    expect((await app.http().get('/api/member-area').set(auth(greta.jwt))).status).toBe(200);
  });
});

describe('the admin acceptance list', () => {
  it.each(['Infinity', '1e300', '99999999999999999999', '-5', 'abc', '1.5'])('page=%s: an answer, never a 500', async (page) => {
    const response = await app.http().get(`/privacy-centre/policies/versions/${v1.documentId}/acceptances?page=${page}&pageSize=${page}`).set(auth(admin));
    expect(response.status).toBe(200);
    expect(Number.isSafeInteger(response.body.meta.pagination.page)).toBe(true);
    expect(response.body.meta.pagination.pageSize).toBeGreaterThanOrEqual(1);
    expect(response.body.meta.pagination.pageSize).toBeLessThanOrEqual(100);
  });
});

describe('deleting users by every path pseudonymises their acceptances', () => {
  const CONSENTS = 'plugin::privacy-centre.consent-record';
  const acceptedBy = async (name: string) => {
    const user = await siteUser(name);
    const response = await app.http().post('/api/privacy-centre/acceptances').set(auth(user.jwt)).set('User-Agent', 'Deleted/1.0').send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(response.status).toBe(201);
    return { ...user, consentId: response.body.data.consentId as string };
  };
  const expectStripped = async (users: Array<{ consentId: string }>) => {
    for (const user of users) {
      const row = await app.strapi.db.query(CONSENTS).findOne({ where: { consentId: user.consentId } });
      expect(row).toMatchObject({ kind: 'policy', ipPrefix: null, userAgent: null, sourceUrl: null });
      expect(row.signature).toEqual(expect.any(String));
    }
  };
  const CM = '/content-manager/collection-types/plugin::users-permissions.user';

  it("the Content Manager's delete and bulk delete", async () => {
    const one = await acceptedBy('cmone');
    expect((await app.http().delete(`${CM}/${one.documentId}`).set(auth(admin))).status).toBe(200);
    const [two, three] = [await acceptedBy('cmtwo'), await acceptedBy('cmthree')];
    const bulk = await app.http().post(`${CM}/actions/bulkDelete`).set(auth(admin)).send({ documentIds: [two.documentId, three.documentId] });
    expect(bulk.status).toBe(200);
    await expectStripped([one, two, three]);
  });

  it('strapi.db.query deleteMany', async () => {
    const [four, five] = [await acceptedBy('dbfour'), await acceptedBy('dbfive')];
    await app.strapi.db.query('plugin::users-permissions.user').deleteMany({ where: { id: { $in: [four.id, five.id] } } });
    await expectStripped([four, five]);
  });
});

describe('data subjects', () => {
  it("a user's acceptance receipt, pasted into the search, finds their acceptances; an altered one is refused", async () => {
    const dana = await siteUser('dana');
    const accepted = await app.http().post('/api/privacy-centre/acceptances').set(auth(dana.jwt)).send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(accepted.status).toBe(201);
    const receipt = accepted.body.data;
    const search = (query: string) => app.http().post('/privacy-centre/subjects/search').set(auth(admin)).send({ query });
    const found = await search(JSON.stringify(receipt));
    expect(found.status).toBe(200);
    expect(found.body.data.policyAcceptances.map((a: { consentId: string }) => a.consentId)).toEqual([receipt.consentId]);
    // Changed after signing, or another user's pseudonym put in: not this site's receipt.
    expect((await search(JSON.stringify({ ...receipt, givenAt: new Date(0).toISOString() }))).status).toBe(400);
    expect((await search(JSON.stringify({ ...receipt, subjectRef: 'x'.repeat(43) }))).status).toBe(400);
    expect((await search(JSON.stringify({ ...receipt, kind: 'cookie' }))).status).toBe(400);
  });
});

describe('acceptances are append-only through every Strapi write path', () => {
  const CONSENTS = 'plugin::privacy-centre.consent-record';
  const outcome = (promise: Promise<unknown>) => promise.then(() => 'it went through', (error: Error) => error.message);
  const everything = async () => JSON.stringify(await app.strapi.db.connection('privacy_centre_consent_records').where('kind', 'policy').orderBy('id'));

  it('Document Service, Content Manager, db.query (incl. *Many): no acceptance created, changed or deleted, no key squatted', async () => {
    const erin = await siteUser('erin');
    const accepted = await app.http().post('/api/privacy-centre/acceptances').set(auth(erin.jwt)).send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(accepted.status).toBe(201);
    const row = await app.strapi.db.query(CONSENTS).findOne({ where: { consentId: accepted.body.data.consentId } });
    expect(row.acceptanceKey).toMatch(/^[0-9a-f]{64}$/);
    const before = await everything();
    // The key of a user's next acceptance, taken beforehand, would block it.
    const frank = await siteUser('frank');
    const { acceptanceKeyOf } = await import('../../server/src/acceptance');
    const squatted = acceptanceKeyOf(plugin().service('keys').pseudonyms('site-user', frank.documentId)[0], SLUG, 1);
    const forged = { consentId: 'forgedforgedforgedforg', kind: 'policy', action: 'given', subjectRef: row.subjectRef, policySlug: SLUG, policyVersion: 1, policyHash: v1.hash, givenAt: new Date().toISOString(), acceptanceKey: squatted };
    const documents = app.strapi.documents(CONSENTS as any) as any;
    const query = app.strapi.db.query(CONSENTS);
    const attempts: Record<string, () => Promise<unknown>> = {
      'documents.create': () => documents.create({ data: forged }),
      'documents.update key': () => documents.update({ documentId: row.documentId, data: { acceptanceKey: null } }),
      'documents.update version': () => documents.update({ documentId: row.documentId, data: { policyVersion: 2 } }),
      'documents.delete': () => documents.delete({ documentId: row.documentId }),
      'db.create': () => query.create({ data: forged }),
      'db.createMany': () => query.createMany({ data: [forged] }),
      'db.update': () => query.update({ where: { id: row.id }, data: { acceptanceKey: squatted } }),
      'db.updateMany': () => query.updateMany({ where: { kind: 'policy' }, data: { acceptanceKey: null } }),
      'db.delete': () => query.delete({ where: { id: row.id } }),
      'db.deleteMany': () => query.deleteMany({ where: { kind: 'policy' } }),
      'knex update': () => app.strapi.db.connection('privacy_centre_consent_records').where('id', row.id).update({ acceptance_key: squatted }),
      'knex delete': () => app.strapi.db.connection('privacy_centre_consent_records').where('id', row.id).delete(),
    };
    const cm = '/content-manager/collection-types/plugin::privacy-centre.consent-record';
    const cmCreate = await app.http().post(cm).set(auth(admin)).send(forged);
    const cmUpdate = await app.http().put(`${cm}/${row.documentId}`).set(auth(admin)).send({ acceptanceKey: null, policyVersion: 2 });
    const cmDelete = await app.http().delete(`${cm}/${row.documentId}`).set(auth(admin));
    for (const [name, attempt] of Object.entries(attempts)) {
      expect([name, await outcome(attempt())]).not.toEqual([name, 'it went through']);
    }
    for (const response of [cmCreate, cmUpdate, cmDelete]) expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await everything()).toBe(before);
    // Frank's acceptance is his to make.
    const franks = await app.http().post('/api/privacy-centre/acceptances').set(auth(frank.jwt)).send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(franks.status).toBe(201);
  });
});

describe('what an acceptance keeps of the request', () => {
  it("the page's address without its query, fragment or credentials (an e-mail, a token); no raw IP", async () => {
    const hana = await siteUser('hana');
    const response = await app
      .http()
      .post('/api/privacy-centre/acceptances')
      .set(auth(hana.jwt))
      .set('Referer', 'https://user:pw@northwind.example/account/terms?email=hana%40members.example&token=s3cr3t-reset#step-2')
      .set('X-Forwarded-For', '198.51.100.123')
      .send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(response.status).toBe(201);
    const row = await app.strapi.db.query('plugin::privacy-centre.consent-record').findOne({ where: { consentId: response.body.data.consentId } });
    expect(row.sourceUrl).toBe('https://northwind.example/account/terms');
    expect(JSON.stringify(row)).not.toMatch(/hana|s3cr3t|198\.51\.100\.123|pw@/);
    const listed = await app.http().get(`/privacy-centre/policies/versions/${v1.documentId}/acceptances?pageSize=100`).set(auth(admin));
    expect(JSON.stringify(listed.body.data.find((a: { consentId: string }) => a.consentId === row.consentId))).not.toMatch(/s3cr3t|hana%40/);
  });
});
