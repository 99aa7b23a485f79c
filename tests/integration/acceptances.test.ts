import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { ensureLocales, sampleLocales } from '../helpers/policies';
import { actionUid } from '../../server/src/permissions/actions';

/**
 * Policy acceptance by signed-in users (users-permissions): which policies ask for it, what
 * `acceptances/me` says, accepting (receipts, idempotency, races), the route policy
 * `policies-accepted` on the test app's members area and its cache, the admin's counts and
 * export, and the acceptances in the data-subject search, export, evidence and erasure.
 */
let app: TestStrapi;
let admin: string;
const SLUG = 'terms';
const DAY = 24 * 3600 * 1000;

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const plugin = () => app.strapi.plugin('privacy-centre');
const adminPost = (url: string, body: object) => app.http().post(`/privacy-centre${url}`).set(auth(admin)).send(body);
const policyRecords = () => app.strapi.db.query('plugin::privacy-centre.consent-record').count({ where: { kind: 'policy' } });

const controller = { name: 'Northwind Rowing Club ry', address: 'Rantatie 1, 00100 Helsinki, Finland', email: 'privacy@northwind.example', url: 'https://northwind.example' };
const setAcceptance = async (acceptance: object) => {
  const response = await app.http().put('/privacy-centre/settings').set(auth(admin)).send({ controller, acceptance });
  expect(response.status).toBe(200);
  return response;
};

async function publish(slug: string, tag: string, materialChange: boolean, effectiveAt?: string) {
  const draft = await adminPost('/policies/drafts', { slug, materialChange, locales: sampleLocales(tag) });
  expect(draft.status).toBe(201);
  // A material change taking effect within the notice period (30 days) says why (see notice.test).
  const reason = materialChange ? { noticeReason: 'the test takes effect at once' } : {};
  const published = await adminPost(`/policies/drafts/${draft.body.data.documentId}/publish`, { ...(effectiveAt ? { effectiveAt } : {}), ...reason });
  expect(published.status).toBe(200);
  return published.body.data;
}

let users = 0;
/** A confirmed users-permissions user, signed in through the real /api/auth/local. */
async function siteUser(name: string) {
  users += 1;
  const email = `${name}.${users}@members.example`;
  const password = 'Member-passw0rd';
  const role = await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const user = await app.strapi.plugin('users-permissions').service('user').add({
    username: `${name}${users}`,
    email,
    password,
    provider: 'local',
    confirmed: true,
    blocked: false,
    role: role.id,
  });
  const login = await app.http().post('/api/auth/local').send({ identifier: email, password });
  expect(login.status).toBe(200);
  return { id: user.id as number, documentId: user.documentId as string, email, jwt: login.body.jwt as string };
}
type User = Awaited<ReturnType<typeof siteUser>>;

const me = (user: User) => app.http().get('/api/privacy-centre/acceptances/me').set(auth(user.jwt));
const accept = (user: User, body: unknown) =>
  app.http().post('/api/privacy-centre/acceptances').set(auth(user.jwt)).set('User-Agent', 'MemberApp/1.0').send(body as object);
const members = (user?: User) => {
  const request = app.http().get('/api/member-area');
  return user ? request.set(auth(user.jwt)) : request;
};
const termsOf = async (user: User) => (await me(user)).body.data.policies.find((p: { slug: string }) => p.slug === SLUG);

let v1: { version: number; hash: string; effectiveAt: string };
let alice: User;
let bob: User;

beforeAll(async () => {
  app = await bootStrapi();
  await ensureLocales(app, ['fi']);
  admin = (await createAdmin(app)).token;
  v1 = await publish(SLUG, 'one', false);
  alice = await siteUser('alice');
  bob = await siteUser('bob');
});
afterAll(async () => {
  await app?.close();
});

describe('which policies need acceptance', () => {
  it('none by default: me lists nothing and the members area lets everyone in', async () => {
    const settings = await app.http().get('/privacy-centre/settings').set(auth(admin));
    expect(settings.body.data.settings.acceptance).toEqual({ required: [], graceDays: 0 });
    const answer = await me(alice);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ graceDays: 0, policies: [] });
    expect((await members(alice)).status).toBe(200);
    expect((await accept(alice, { slug: SLUG, version: 1, hash: v1.hash })).status).toBe(404);
  });

  it('refuses bad settings with 400 and keeps the previous ones', async () => {
    for (const acceptance of [
      { required: ['Not A Slug'] },
      { required: [SLUG, SLUG] },
      { required: SLUG },
      { graceDays: -1 },
      { graceDays: 1.5 },
      { graceDays: 10_000 },
      { required: [SLUG], colour: 'red' },
    ]) {
      const response = await app.http().put('/privacy-centre/settings').set(auth(admin)).send({ controller, acceptance });
      expect(response.status).toBe(400);
    }
    const settings = await app.http().get('/privacy-centre/settings').set(auth(admin));
    expect(settings.body.data.settings.acceptance).toEqual({ required: [], graceDays: 0 });
  });

  it('Settings make terms required (audited); a required slug without any version asks nothing', async () => {
    await setAcceptance({ required: [SLUG, 'house-rules'], graceDays: 0 });
    const events = await app.strapi.db.query('plugin::privacy-centre.audit-event').findMany({ where: { action: 'settings.update' } });
    expect(events.at(-1).details.after.acceptance).toEqual({ required: [SLUG, 'house-rules'], graceDays: 0 });
    const answer = await me(alice);
    expect(answer.body.data.policies.map((p: { slug: string }) => p.slug)).toEqual([SLUG, 'house-rules']);
    expect(answer.body.data.policies[1]).toEqual({ slug: 'house-rules', current: null, accepted: null, mustAccept: false, deadline: null, overdue: false });
  });
});

describe('a user who accepted nothing', () => {
  it('must accept the first version, due when it took effect (no grace)', async () => {
    const terms = await termsOf(alice);
    expect(terms).toEqual({
      slug: SLUG,
      current: { version: 1, hash: v1.hash, effectiveAt: v1.effectiveAt, url: `http://localhost:1337/api/privacy-centre/policies/${SLUG}/versions/1` },
      accepted: null,
      mustAccept: true,
      deadline: v1.effectiveAt,
      overdue: true,
    });
  });

  it('is refused by the members area with PolicyAcceptanceRequired; anonymous visitors pass', async () => {
    const refused = await members(alice);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      data: null,
      error: {
        status: 403,
        name: 'PolicyAcceptanceRequired',
        message: expect.stringContaining('terms version 1'),
        details: { policies: [{ slug: SLUG, version: 1, url: `http://localhost:1337/api/privacy-centre/policies/${SLUG}/versions/1` }] },
      },
    });
    const anonymous = await members();
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.data.member).toBe(false);
  });
});

describe('bad input changes nothing', () => {
  it.each([
    ['no body', undefined],
    ['a list', [1]],
    ['a text', 'terms'],
    ['an unknown key', { slug: SLUG, version: 1, hash: 'x'.repeat(64), extra: true }],
    ['a version as text', { slug: SLUG, version: '1', hash: 'a'.repeat(64) }],
    ['a version of 0', { slug: SLUG, version: 0, hash: 'a'.repeat(64) }],
    ['a fractional version', { slug: SLUG, version: 1.5, hash: 'a'.repeat(64) }],
    ['a short hash', { slug: SLUG, version: 1, hash: 'abc' }],
    ['an upper-case hash', { slug: SLUG, version: 1, hash: 'A'.repeat(64) }],
    ['a nested object', { slug: { $ne: null }, version: 1, hash: 'a'.repeat(64) }],
    ['a bad slug', { slug: '../terms', version: 1, hash: 'a'.repeat(64) }],
  ])('%s: 400', async (_label, body) => {
    const response = await accept(alice, body);
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('ValidationError');
    expect(await policyRecords()).toBe(0);
  });

  it('a huge body: 413; a deeply nested one: 400', async () => {
    const huge = await accept(alice, { slug: SLUG, version: 1, hash: v1.hash, pad: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    let nested: object = {};
    for (let i = 0; i < 2000; i += 1) nested = { a: nested };
    const deep = await app.http().post('/api/privacy-centre/acceptances').set(auth(alice.jwt)).set('Content-Type', 'application/json').send(JSON.stringify({ slug: SLUG, version: 1, hash: v1.hash, deep: nested }));
    expect([400, 413]).toContain(deep.status);
    expect(await policyRecords()).toBe(0);
  });

  it('a slug that is not required: 404; another version or a wrong hash: 409', async () => {
    expect((await accept(alice, { slug: 'cookie-policy', version: 1, hash: v1.hash })).status).toBe(404);
    expect((await accept(alice, { slug: 'house-rules', version: 1, hash: v1.hash })).status).toBe(409);
    const stale = await accept(alice, { slug: SLUG, version: 2, hash: v1.hash });
    expect(stale.status).toBe(409);
    expect(stale.body.error.name).toBe('ConflictError');
    expect((await accept(alice, { slug: SLUG, version: 1, hash: 'f'.repeat(64) })).status).toBe(409);
    expect(await policyRecords()).toBe(0);
  });

  it('no JWT, a forged or an expired one: refused, nothing recorded', async () => {
    const none = await app.http().post('/api/privacy-centre/acceptances').send({ slug: SLUG, version: 1, hash: v1.hash });
    expect([401, 403]).toContain(none.status);
    const [header, payload] = alice.jwt.split('.');
    const forged = await app.http().post('/api/privacy-centre/acceptances').set(auth(`${header}.${payload}.${'A'.repeat(43)}`)).send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(forged.status).toBe(401);
    const jwt = app.strapi.plugin('users-permissions').service('jwt');
    const expired = jwt.issue({ id: alice.id }, { expiresIn: -10 });
    expect((await app.http().get('/api/privacy-centre/acceptances/me').set(auth(expired))).status).toBe(401);
    // Another user's id in a token this server did not sign.
    const other = Buffer.from(JSON.stringify({ id: bob.id, iat: 1 })).toString('base64url');
    expect((await app.http().get('/api/privacy-centre/acceptances/me').set(auth(`${header}.${other}.${alice.jwt.split('.')[2]}`))).status).toBe(401);
    expect(await policyRecords()).toBe(0);
  });
});

describe('accepting', () => {
  let receipt: any;

  it('records a policy consent record with the proof and answers a signed receipt', async () => {
    const response = await app
      .http()
      .post('/api/privacy-centre/acceptances')
      .set(auth(alice.jwt))
      .set('User-Agent', 'AcceptanceTest/1.0')
      .set('Referer', 'https://northwind.example/account')
      .set('X-Forwarded-For', '203.0.113.77')
      .send({ slug: SLUG, version: 1, hash: v1.hash });
    expect(response.status).toBe(201);
    receipt = response.body.data;
    const [pseudonym] = plugin().service('keys').pseudonyms('site-user', alice.documentId);
    expect(receipt).toEqual({
      consentId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      kind: 'policy',
      action: 'given',
      subjectRef: pseudonym,
      policy: { slug: SLUG, version: 1, hash: v1.hash },
      givenAt: expect.any(String),
      signature: expect.stringMatching(/^[^.]+\.[A-Za-z0-9_-]{86}$/),
    });
    const row = await app.strapi.db.query('plugin::privacy-centre.consent-record').findOne({ where: { consentId: receipt.consentId } });
    expect(row).toMatchObject({ kind: 'policy', action: 'given', subjectRef: pseudonym, policySlug: SLUG, policyVersion: 1, policyHash: v1.hash, via: 'plugin', userAgent: 'AcceptanceTest/1.0', sourceUrl: 'https://northwind.example/account', signature: receipt.signature });
    expect(row.ipPrefix).not.toContain('77');
    expect(JSON.stringify(row)).not.toContain(alice.email);
  });

  it('accepting again answers the same receipt (200) and writes nothing', async () => {
    const again = await accept(alice, { slug: SLUG, version: 1, hash: v1.hash });
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(receipt);
    expect(await policyRecords()).toBe(1);
  });

  it('the receipt verifies; a changed one or one of another kind does not', async () => {
    const verify = (body: unknown) => app.http().post('/api/privacy-centre/acceptances/verify').send(body as object);
    expect((await verify({ receipt })).body.data).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
    expect((await verify({ receipt: { ...receipt, policy: { ...receipt.policy, version: 2 } } })).body.data.reason).toBe('bad-signature');
    expect((await verify({ receipt: { ...receipt, subjectRef: 'x'.repeat(43) } })).body.data.reason).toBe('bad-signature');
    expect((await verify({ receipt: { consentId: receipt.consentId } })).body.data.reason).toBe('malformed');
    expect((await verify({ receipt: { ...receipt, extra: 'not signed' } })).body.data.reason).toBe('malformed');
    expect((await verify([])).body.data.reason).toBe('malformed');
    // A consent receipt's signature is for another purpose: never an acceptance's.
    expect((await app.http().post('/api/privacy-centre/consents/verify').send({ receipt })).body.data.authentic).toBe(false);
  });

  it('me now says accepted, nothing to do; the members area lets her in', async () => {
    const terms = await termsOf(alice);
    expect(terms.accepted).toEqual({ version: 1, hash: v1.hash, acceptedAt: receipt.givenAt, consentId: receipt.consentId });
    expect(terms.mustAccept).toBe(false);
    expect(terms.deadline).toBeNull();
    expect((await members(alice)).status).toBe(200);
  });

  it('ten accepts at once by one user leave one record and one receipt', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => accept(bob, { slug: SLUG, version: 1, hash: v1.hash })));
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(answers.filter((a) => a.status === 201).length).toBeLessThanOrEqual(1);
    expect(new Set(answers.map((a) => a.body.data.consentId)).size).toBe(1);
    const [pseudonym] = plugin().service('keys').pseudonyms('site-user', bob.documentId);
    expect(await app.strapi.db.query('plugin::privacy-centre.consent-record').count({ where: { kind: 'policy', subjectRef: pseudonym } })).toBe(1);
  });

  it('a blocked user is refused by the routes', async () => {
    const mallory = await siteUser('mallory');
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: mallory.id }, data: { blocked: true } });
    expect((await me(mallory)).status).toBe(401);
    expect((await accept(mallory, { slug: SLUG, version: 1, hash: v1.hash })).status).toBe(401);
  });

  it("a user's answer never shows another user's acceptance", async () => {
    const carol = await siteUser('carol');
    const terms = await termsOf(carol);
    expect(terms.accepted).toBeNull();
    expect(terms.mustAccept).toBe(true);
  });
});

describe('new versions', () => {
  let v2: { version: number; hash: string };
  let v3: { version: number; hash: string; effectiveAt: string };

  it('a non-material version never asks again', async () => {
    v2 = await publish(SLUG, 'two', false);
    const terms = await termsOf(alice);
    expect(terms.current.version).toBe(2);
    expect(terms.accepted.version).toBe(1);
    expect(terms.mustAccept).toBe(false);
    expect((await members(alice)).status).toBe(200);
    // Still only the version in force may be accepted.
    expect((await accept(alice, { slug: SLUG, version: 1, hash: v1.hash })).status).toBe(409);
    expect((await accept(alice, { slug: SLUG, version: 2, hash: v1.hash })).status).toBe(409);
  });

  it('a material version with grace days: asked, not yet refused; refused once the grace ends', async () => {
    await setAcceptance({ required: [SLUG, 'house-rules'], graceDays: 3 });
    expect((await members(alice)).status).toBe(200); // warm the cache before the new version
    v3 = await publish(SLUG, 'three', true);
    const terms = await termsOf(alice);
    expect(terms.mustAccept).toBe(true);
    expect(terms.deadline).toBe(new Date(Date.parse(v3.effectiveAt) + 3 * DAY).toISOString());
    expect(terms.overdue).toBe(false);
    expect((await members(alice)).status).toBe(200);

    // Around the deadline, by the service's clock.
    const user = { id: alice.id, documentId: alice.documentId };
    const deadline = Date.parse(terms.deadline);
    const at = async (now: number) => (await plugin().service('acceptances').statusOf(user, now)).policies[0].overdue;
    expect(await at(deadline - 1)).toBe(false);
    expect(await at(deadline)).toBe(true);

    // No grace: the settings change reaches the route policy at once.
    await setAcceptance({ required: [SLUG, 'house-rules'], graceDays: 0 });
    const refused = await members(alice);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.policies).toEqual([{ slug: SLUG, version: 3, url: expect.stringMatching(/\/policies\/terms\/versions\/3$/) }]);
  });

  it('accepting the new version lets her in at once (the cache is invalidated)', async () => {
    const response = await accept(alice, { slug: SLUG, version: 3, hash: v3.hash });
    expect(response.status).toBe(201);
    expect((await members(alice)).status).toBe(200);
    expect((await termsOf(alice)).accepted.version).toBe(3);
  });

  it('a scheduled material version refuses her once it takes effect, not before', async () => {
    expect((await members(alice)).status).toBe(200);
    // Five seconds ahead: on a loaded CI machine a publication and two requests have taken more than 1.5.
    const effectiveAt = new Date(Date.now() + 5000).toISOString();
    await publish(SLUG, 'four', true, effectiveAt);
    const before = await members(alice);
    const terms = await termsOf(alice);
    if (Date.now() >= Date.parse(effectiveAt)) throw new Error('publishing took past the effective time: the case before it was not reached');
    expect(before.status).toBe(200);
    expect(terms.current.version).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(effectiveAt) - Date.now() + 50)));
    const refused = await members(alice);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.policies[0].version).toBe(4);
  });

  // What it costs is measured in bench/acceptance.js (against the same route without the policy);
  // here: a cached answer reads nothing from the database.
  it('answers from memory once cached: no database query per request', async () => {
    const v4 = (await termsOf(alice)).current;
    expect((await accept(alice, { slug: SLUG, version: 4, hash: v4.hash })).status).toBe(201);
    const service = plugin().service('acceptances');
    const user = { id: alice.id, documentId: alice.documentId };
    expect(await service.overdue(user)).toEqual([]);
    const connection = app.strapi.db.connection;
    let queries = 0;
    const count = () => (queries += 1);
    connection.on('query', count);
    try {
      for (let i = 0; i < 2000; i += 1) expect(await service.overdue(user)).toEqual([]);
    } finally {
      connection.removeListener('query', count);
    }
    expect(queries).toBe(0);
    // The control: the listener sees queries at all.
    connection.on('query', count);
    try {
      await termsOf(alice);
    } finally {
      connection.removeListener('query', count);
    }
    expect(queries).toBeGreaterThan(0);
  });
});

describe('the admin', () => {
  let v1DocumentId: string;

  beforeAll(async () => {
    const rows = await app.strapi.db.query('plugin::privacy-centre.policy-version').findMany({ where: { slug: SLUG, version: 1 } });
    v1DocumentId = rows[0].documentId;
  });

  it('counts, per version, the active users who accepted it and those who still must', async () => {
    const response = await app.http().get(`/privacy-centre/policies/versions/${v1DocumentId}/acceptances`).set(auth(admin));
    expect(response.status).toBe(200);
    expect(response.body.summary).toMatchObject({ slug: SLUG, version: 1, required: true, askedNow: false, accepted: 2 });
    expect(response.body.meta.pagination.total).toBe(2);
    expect(response.body.data.map((row: any) => row.user?.documentId).sort()).toEqual([alice.documentId, bob.documentId].sort());
    const v4 = await app.strapi.db.query('plugin::privacy-centre.policy-version').findOne({ where: { slug: SLUG, version: 4 } });
    const current = await app.http().get(`/privacy-centre/policies/versions/${v4.documentId}/acceptances?pageSize=1`).set(auth(admin));
    // alice accepted v4; bob and carol (and any other active user) must still.
    expect(current.body.summary).toMatchObject({ version: 4, askedNow: true, accepted: 1 });
    expect(current.body.summary.mustStill).toBe(current.body.summary.activeUsers - 1);
    expect(current.body.data).toHaveLength(1);
  });

  it('exports them as CSV, and needs policies.read', async () => {
    const csv = await app.http().get(`/privacy-centre/policies/versions/${v1DocumentId}/acceptances/export`).set(auth(admin)).buffer(true).parse((res, done) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => done(null, text));
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = String(csv.body).trim().split('\n');
    expect(lines[0]).toContain('consentId');
    expect(lines).toHaveLength(3);
    const outsider = (await createAdmin(app, [actionUid('consents', 'read')])).token;
    expect((await app.http().get(`/privacy-centre/policies/versions/${v1DocumentId}/acceptances`).set(auth(outsider))).status).toBe(403);
    expect((await app.http().get(`/privacy-centre/policies/versions/${v1DocumentId}/acceptances/export`).set(auth(outsider))).status).toBe(403);
  });
});

describe('data subjects', () => {
  const subjects = (path: string, body: object) => app.http().post(`/privacy-centre/subjects/${path}`).set(auth(admin)).send(body);

  it("search by the user's e-mail finds their acceptances (through their documentId)", async () => {
    const found = await subjects('search', { query: alice.email });
    expect(found.status).toBe(200);
    expect(found.body.data.found).toBe(true);
    expect(found.body.data.policyAcceptances.map((a: any) => a.policy.version)).toEqual([1, 3, 4]);
    const bobs = await subjects('search', { query: bob.email });
    expect(bobs.body.data.policyAcceptances).toHaveLength(1);
  });

  it('export and evidence carry them, the evidence checks their signatures', async () => {
    const exported = await subjects('export', { query: alice.email });
    expect(exported.status).toBe(200);
    expect(exported.body.policyAcceptances).toHaveLength(3);
    const evidence = await subjects('evidence', { query: alice.email });
    const policy = evidence.body.data.records.filter((r: any) => r.record.kind === 'policy');
    expect(policy).toHaveLength(3);
    expect(policy.every((r: any) => r.receipt.authentic === true && r.policy.matches === true)).toBe(true);
    expect(evidence.body.data.checks.allHashesMatch).toBe(true);
  });

  it('erasure strips the personal details and keeps the proof, which still verifies', async () => {
    const before = await policyRecords();
    const erased = await subjects('erase', { query: alice.email, confirm: true });
    expect(erased.status).toBe(200);
    expect(await policyRecords()).toBe(before);
    const [pseudonym] = plugin().service('keys').pseudonyms('site-user', alice.documentId);
    const rows = await app.strapi.db.query('plugin::privacy-centre.consent-record').findMany({ where: { kind: 'policy', subjectRef: pseudonym } });
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ ipPrefix: null, userAgent: null, sourceUrl: null });
      const receipt = { consentId: row.consentId, kind: 'policy', action: 'given', subjectRef: row.subjectRef, policy: { slug: row.policySlug, version: row.policyVersion, hash: row.policyHash }, givenAt: row.givenAt, signature: row.signature };
      expect((await app.http().post('/api/privacy-centre/acceptances/verify').send({ receipt })).body.data.reason).toBe('ok');
    }
    // Still accepted: the proof is what counts.
    expect((await members(alice)).status).toBe(200);
  });

  it('deleting a user pseudonymises their acceptances and breaks nothing', async () => {
    const [pseudonym] = plugin().service('keys').pseudonyms('site-user', bob.documentId);
    const before = await app.strapi.db.query('plugin::privacy-centre.consent-record').findOne({ where: { kind: 'policy', subjectRef: pseudonym } });
    expect(before.userAgent).not.toBeNull();
    await app.strapi.documents('plugin::users-permissions.user').delete({ documentId: bob.documentId });
    const after = await app.strapi.db.query('plugin::privacy-centre.consent-record').findOne({ where: { kind: 'policy', subjectRef: pseudonym } });
    expect(after).toMatchObject({ consentId: before.consentId, signature: before.signature, ipPrefix: null, userAgent: null, sourceUrl: null });
    // His token no longer works; the search by consentId still finds the proof.
    expect((await me(bob)).status).toBe(401);
    const found = await subjects('search', { query: before.consentId });
    expect(found.body.data.policyAcceptances).toHaveLength(1);
    const v1 = await app.strapi.db.query('plugin::privacy-centre.policy-version').findOne({ where: { slug: SLUG, version: 1 } });
    const listed = await app.http().get(`/privacy-centre/policies/versions/${v1.documentId}/acceptances`).set(auth(admin));
    expect(listed.status).toBe(200);
    expect(listed.body.data.find((row: any) => row.consentId === before.consentId).user).toBeNull();
  });
});
