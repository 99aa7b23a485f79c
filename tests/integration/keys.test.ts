import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { sampleLocales, TEST_SECRET } from '../helpers/policies';
import { startSmtp } from '../helpers/smtp';
import type { TestDatabase } from '../helpers/database';
import { canonicalJson } from '../../server/src/policy/canonical';
import { signText } from '../../server/src/signing';
import { makeToken } from '../../server/src/newsletter/tokens';
import { receiptOf } from '../../server/src/services/consents';

/**
 * Keys across the README's rotation steps ("Rotating the secret": the new secret with the old
 * one in previousSecrets, then the new one alone), on one database, starting from an install of
 * before the keyring (proofs and links made with HMACs of the secret):
 * - pseudonyms never change: the person is found, exported and erased by address at the end,
 *   and an erased address that signs up again is recognised;
 * - links in messages received before any rotation keep working;
 * - every proof stays verifiable: legacy HMAC receipts here, Ed25519 ones by anyone holding the
 *   published JWKS, checked in a separate Node process by the README's own code.
 */
const NEW_SECRET = 'the-new-secret-after-rotation-0123456789abcdef';
const KEYRING = 'plugin_privacy-centre_keyring';
const CONSENTS = 'privacy_centre_consent_records';
const ADDRESS = 'Rotation.Person@example.fi';

let database: TestDatabase;
let app: TestStrapi | undefined;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let revision: number;
const saved: Record<string, any> = {};

const boot = async (secret: string, previousSecrets: string[] = [], extra: Record<string, unknown> = {}) => {
  app = await bootStrapi(
    {
      SMTP_PORT: String(smtp.port),
      PRIVACY_CENTRE_SECRET: secret,
      PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ previousSecrets, newsletter: { resendIntervalMinutes: 0 }, ...extra }),
    },
    database ? { database } : {}
  );
  database = app.database;
  return app;
};
const restart = async (secret: string, previousSecrets: string[] = []) => {
  await app!.close({ keepDatabase: true });
  return boot(secret, previousSecrets);
};
const admin = async () => {
  const { token } = await createAdmin(app!);
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (url: string) => app!.http().get(`/privacy-centre${url}`).set(auth),
    post: (url: string, body: object = {}) => app!.http().post(`/privacy-centre${url}`).set(auth).send(body),
    put: (url: string, body: object = {}) => app!.http().put(`/privacy-centre${url}`).set(auth).send(body),
  };
};
const api = () => app!.http();
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const CONTROLLER = { name: 'Rotation Oy', address: 'Katu 1, 00100 Helsinki, Finland', email: 'privacy@rotation.example', url: 'https://rotation.example' };
/** A confirmed users-permissions user, signed in through the real /api/auth/local. */
const siteUser = async () => {
  const email = 'member@rotation.example';
  const password = 'Member-passw0rd';
  const role = await app!.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
  const user = await app!.strapi.plugin('users-permissions').service('user').add({ username: 'member', email, password, provider: 'local', confirmed: true, blocked: false, role: role.id });
  const login = await api().post('/api/auth/local').send({ identifier: email, password });
  expect(login.status).toBe(200);
  return { documentId: user.documentId as string, email, password };
};
const signIn = async () => (await api().post('/api/auth/local').send({ identifier: saved.member.email, password: saved.member.password })).body.jwt as string;
const knex = () => app!.strapi.db.connection;
const linkIn = (text: string, route: string) => new RegExp(`https?://\\S+/${route}\\?token=[A-Za-z0-9_.-]+`).exec(text)?.[0];
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const jwks = async () => (await api().get('/api/privacy-centre/keys')).body;
const verifyAcceptance = async (receipt: unknown) => (await api().post('/api/privacy-centre/acceptances/verify').send({ receipt })).body.data;
const verifyReceipt = async (receipt: unknown) => (await api().post('/api/privacy-centre/consents/verify').send({ receipt })).body.data;
const consent = async (state: Record<string, boolean>) => {
  const answer = await api().post('/api/privacy-centre/consents').send({ state, declarationRevision: revision, subjectId: 'rotation-browser-1' });
  expect(answer.status).toBe(201);
  return answer.body.data;
};

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(async () => {
  if (app) await app.close();
  else await database?.drop();
  await smtp?.close();
});

it('an install of before the keyring: its HMAC proofs, pseudonyms and links are kept when the keyring is made', async () => {
  // allowRestore lets this test delete the Ed25519-signed records below, to leave what 0.2 left.
  await boot(TEST_SECRET, [], { allowRestore: true });
  const http = await admin();
  const draft = await http.post('/policies/drafts', { slug: 'privacy-policy', locales: { en: sampleLocales('keys').en } });
  expect((await http.post(`/policies/drafts/${draft.body.data.documentId}/publish`)).status).toBe(200);
  expect((await http.post('/cookies/publish')).status).toBe(200);
  revision = (await api().get('/api/privacy-centre/cookies')).body.data.revision;

  // A confirmed subscriber, and a consent.
  expect((await api().post('/api/privacy-centre/newsletter/subscribe').send({ email: ADDRESS, list: 'default' })).status).toBe(202);
  const message = await smtp.waitFor(ADDRESS);
  expect((await api().post('/api/privacy-centre/newsletter/confirm').send({ token: tokenOf(linkIn(message.parsed.text!, 'newsletter/confirm')!) })).status).toBe(200);
  const subscription = await app!.strapi.plugin('privacy-centre').service('newsletter').subscriptionOf(ADDRESS, 'default');
  // Its address's keyed hash, as 0.2 made it: an HMAC with the secret.
  expect(subscription.emailHash).not.toBe(signText(TEST_SECRET, 'newsletter-address', ADDRESS)); // made with a fresh install's key
  const receipt = await consent({ necessary: true, statistics: true });

  // Now make it look as 0.2 left it: the keyring gone, every proof, hash and link an HMAC of the secret.
  const policy = await knex()('privacy_centre_policy_versions').where({ slug: 'privacy-policy' }).first();
  await knex()('privacy_centre_policy_versions').where({ id: policy.id }).update({ signature: signText(TEST_SECRET, 'policy-version', `${policy.hash}:published`) });
  const declaration = await knex()('privacy_centre_cookie_declarations').where({ revision }).first();
  await knex()('privacy_centre_cookie_declarations').where({ id: declaration.id }).update({ signature: signText(TEST_SECRET, 'cookie-declaration', declaration.hash) });
  const legacyHash = signText(TEST_SECRET, 'newsletter-address', ADDRESS);
  await knex()('privacy_centre_newsletter_subscriptions').where({ id: subscription.id }).update({ email_hash: legacyHash });
  // A receipt signed by 0.2 (a copy of the consent under another id, HMAC-signed), given before the upgrade.
  const row = await knex()(CONSENTS).where({ consent_id: receipt.consentId }).first();
  const legacyId = `legacy${receipt.consentId.slice(6)}`;
  const record = await app!.strapi.db.query('plugin::privacy-centre.consent-record').findOne({ where: { consentId: receipt.consentId } });
  const legacyReceipt = { ...receiptOf({ ...record, consentId: legacyId, subjectId: 'legacy-browser-1', requestId: null }), signature: '' };
  const { signature: _s, ...legacyBody } = legacyReceipt;
  legacyReceipt.signature = signText(TEST_SECRET, 'consent-receipt', canonicalJson(legacyBody));
  const { id: _id, ...columns } = row;
  await knex()(CONSENTS).insert({ ...columns, document_id: `legacydoc${Date.now()}`, consent_id: legacyId, subject_id: 'legacy-browser-1', request_id: null, request_hash: null, signature: legacyReceipt.signature });
  // No proof of 0.2 named a key: the records signed since (the consent, the sign-up's events) go.
  await knex()(CONSENTS).where('signature', 'like', '%.%').delete();
  await knex()('strapi_core_store_settings').where({ key: KEYRING }).delete();
  saved.legacyReceipt = legacyReceipt;
  saved.legacyUnsubscribe = makeToken(TEST_SECRET, 'unsubscribe', { s: subscription.documentId, l: 'default' });

  // The upgrade: the keyring is made, keeping the secret for what it made.
  await restart(TEST_SECRET);
  const keys = await jwks();
  expect(keys.keys).toHaveLength(1);
  expect(keys.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', use: 'sig', retiredAt: null });
  expect(keys.keys[0]).not.toHaveProperty('d');
  // The version and the revision are sealed again with Ed25519 (audited), and still served.
  const resealed = await knex()('privacy_centre_policy_versions').where({ id: policy.id }).first();
  expect(resealed.signature.startsWith(`${keys.keys[0].kid}.`)).toBe(true);
  expect((await api().get('/api/privacy-centre/policies/privacy-policy/current')).status).toBe(200);
  expect((await api().get('/api/privacy-centre/cookies')).status).toBe(200);
  expect(await verifyReceipt(saved.legacyReceipt)).toEqual({ authentic: true, matchesRecord: true, reason: 'ok' });
  // Found by address through the 0.2 hash.
  const found = (await (await admin()).post('/subjects/search', { query: ADDRESS })).body.data;
  expect(found.subscriptions).toHaveLength(1);
});

it('runs the README rotation: new secret with the old one listed, then the new one alone', async () => {
  // A site user who must accept the privacy policy accepts it before any rotation.
  const settings = await (await admin()).put('/settings', { controller: CONTROLLER, acceptance: { required: ['privacy-policy'], graceDays: 0 } });
  expect(settings.status).toBe(200);
  saved.member = await siteUser();
  saved.member.jwt = await signIn();
  const current = (await api().get('/api/privacy-centre/policies/privacy-policy/current')).body.data;
  const accepted = await api().post('/api/privacy-centre/acceptances').set(bearer(saved.member.jwt)).send({ slug: 'privacy-policy', version: current.version, hash: current.hash });
  expect(accepted.status).toBe(201);
  saved.acceptanceReceipt = accepted.body.data;
  // A message received before any rotation: its one-click link and List-Unsubscribe header.
  const before = smtp.messagesTo(ADDRESS).length;
  const newsletter = app!.strapi.plugin('privacy-centre').service('newsletter');
  saved.oneClick = await newsletter.unsubscribeUrl(ADDRESS, 'default');
  saved.receiptKey1 = await consent({ necessary: true, marketing: true });
  const firstKid = (await jwks()).keys[0].kid;
  expect(saved.receiptKey1.signature.startsWith(`${firstKid}.`)).toBe(true);
  expect(smtp.messagesTo(ADDRESS).length).toBe(before);

  await restart(NEW_SECRET, [TEST_SECRET]);
  let keys = (await jwks()).keys;
  expect(keys.map((k: any) => k.kid)[0]).toBe(firstKid);
  expect(keys).toHaveLength(2);
  expect(keys[0].retiredAt).toEqual(expect.any(String));
  expect(keys[1].retiredAt).toBeNull();
  const rotated = await app!.strapi.db.query('plugin::privacy-centre.audit-event').findMany({ where: { action: 'keys.rotate' } });
  expect(rotated).toHaveLength(1);
  const sealedCopies = async () => Object.keys(JSON.parse((await knex()('strapi_core_store_settings').where({ key: KEYRING }).first()).value).sealed).length;
  expect(await sealedCopies()).toBe(2);

  // A rolling deploy: an instance still on the old secret restarts. It opens the keyring and
  // leaves it alone (no reseal dropping the new secret's copy, no second rotation).
  await restart(TEST_SECRET);
  expect(await sealedCopies()).toBe(2);
  expect((await jwks()).keys).toHaveLength(2);

  await restart(NEW_SECRET);
  keys = (await jwks()).keys;
  expect(keys).toHaveLength(2);
  const stored = await knex()('strapi_core_store_settings').where({ key: KEYRING }).first();
  // Sealed under the new secret alone now; nothing secret readable in the row.
  expect(Object.keys(JSON.parse(stored.value).sealed)).toHaveLength(1);
  for (const secret of [TEST_SECRET, NEW_SECRET]) expect(stored.value).not.toContain(secret);

  // Every receipt still verifies: legacy HMAC, the first key's, and a new one by the second key.
  expect(await verifyReceipt(saved.legacyReceipt)).toMatchObject({ authentic: true, reason: 'ok' });
  expect(await verifyReceipt(saved.receiptKey1)).toMatchObject({ authentic: true, reason: 'ok' });
  const receiptKey2 = await consent({ necessary: true, preferences: true });
  expect(receiptKey2.signature.startsWith(`${keys[1].kid}.`)).toBe(true);
  expect(await verifyReceipt(receiptKey2)).toMatchObject({ authentic: true, reason: 'ok' });
  // A forged receipt still fails.
  expect(await verifyReceipt({ ...receiptKey2, state: { ...receiptKey2.state, marketing: true } })).toMatchObject({ authentic: false, reason: 'bad-signature' });
  saved.receiptKey2 = receiptKey2;

  // The policy sealed with the retired key is still served.
  expect((await api().get('/api/privacy-centre/policies/privacy-policy/current')).status).toBe(200);
});

it('after rotation, the person is found and exported by address, and links from before work', async () => {
  const http = await admin();
  const found = (await http.post('/subjects/search', { query: ADDRESS.replace('example.fi', 'EXAMPLE.FI') })).body.data;
  expect(found.subscriptions).toHaveLength(1);
  const exported = await http.post('/subjects/export', { query: ADDRESS });
  expect(exported.status).toBe(200);
  expect(JSON.stringify(exported.body).toLowerCase()).toContain(ADDRESS.toLowerCase());

  // The 0.2 link's page opens; the link of the message received before rotation unsubscribes.
  expect((await api().get(`/api/privacy-centre/newsletter/unsubscribe?token=${saved.legacyUnsubscribe}`)).status).toBe(200);
  const oneClick = await api().post(pathOf(saved.oneClick)).type('form').send('List-Unsubscribe=One-Click');
  expect(oneClick.status).toBe(200);
  const subscription = await app!.strapi.plugin('privacy-centre').service('newsletter').subscriptionOf(ADDRESS, 'default');
  expect(subscription.status).toBe('unsubscribed');
});

it('a third party checks a receipt, a seal and an evidence bundle with the published JWKS alone, in another process', async () => {
  const http = await admin();
  const bundle = (await http.post('/subjects/evidence/bundle', { query: saved.receiptKey2 })).body;
  expect(bundle.signature).toMatch(/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{86}$/);
  const policy = await knex()('privacy_centre_policy_versions').where({ slug: 'privacy-policy' }).first();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-verify-'));
  const write = (name: string, value: unknown) => fs.writeFileSync(path.join(dir, name), JSON.stringify(value));
  write('jwks.json', await jwks());
  write('receipts.json', [saved.receiptKey1, saved.receiptKey2]);
  write('seal.json', { hash: policy.hash, lifecycle: policy.lifecycle, signature: policy.signature });
  write('bundle.json', bundle);

  // The README's verification code, as printed there, run with node and nothing else.
  const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  const code = /<!-- verify-offline -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  fs.writeFileSync(path.join(dir, 'verify.js'), code!);
  const run = () => execFileSync(process.execPath, ['verify.js'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(run().trim().split('\n')).toEqual(['receipt ok', 'receipt ok', 'seal ok', 'bundle ok']);

  // It can fail: a receipt altered, a seal of another hash, a bundle whose evidence changed.
  write('receipts.json', [{ ...saved.receiptKey1, state: { ...saved.receiptKey1.state, marketing: false } }]);
  write('seal.json', { hash: 'f'.repeat(64), lifecycle: policy.lifecycle, signature: policy.signature });
  write('bundle.json', { ...bundle, generatedAt: '2020-01-01T00:00:00.000Z' });
  expect(run().trim().split('\n')).toEqual(['receipt FORGED', 'seal FORGED', 'bundle FORGED']);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('erases by address after rotation, and recognises the erased address signing up again', async () => {
  const http = await admin();
  const erased = await http.post('/subjects/erase', { query: ADDRESS, confirm: true });
  expect(erased.status).toBe(200);
  const rows = await knex()('privacy_centre_newsletter_subscriptions').select('email', 'email_hash');
  expect(rows).toHaveLength(1);
  expect(rows[0].email).toBeNull();
  // Signing up again finds the same row through its unchanged pseudonym.
  const before = smtp.messagesTo(ADDRESS).length;
  expect((await api().post('/api/privacy-centre/newsletter/subscribe').send({ email: ADDRESS, list: 'default' })).status).toBe(202);
  const deadline = Date.now() + 15_000;
  while (smtp.messagesTo(ADDRESS).length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(smtp.messagesTo(ADDRESS).length).toBe(before + 1);
  const after = await knex()('privacy_centre_newsletter_subscriptions').select('email', 'email_hash');
  expect(after).toHaveLength(1);
  expect(after[0].email_hash).toBe(rows[0].email_hash);
});

it("after rotation, a site user's acceptance still counts: me, the route policy, the admin count, evidence, and the notice of a change reaches them", async () => {
  const jwt = await signIn();
  const me = await api().get('/api/privacy-centre/acceptances/me').set(bearer(jwt));
  expect(me.status).toBe(200);
  const policy = me.body.data.policies.find((p: { slug: string }) => p.slug === 'privacy-policy');
  expect(policy).toMatchObject({ mustAccept: false, overdue: false });
  expect(policy.accepted.version).toBe(saved.acceptanceReceipt.policy.version);
  expect((await api().get('/api/member-area').set(bearer(jwt))).status).toBe(200);
  expect(await verifyAcceptance(saved.acceptanceReceipt)).toMatchObject({ authentic: true, matchesRecord: true, reason: 'ok' });

  const http = await admin();
  const version = await app!.strapi.db.query('plugin::privacy-centre.policy-version').findOne({ where: { slug: 'privacy-policy', version: saved.acceptanceReceipt.policy.version } });
  const counted = await http.get(`/policies/versions/${version.documentId}/acceptances`);
  expect(counted.status).toBe(200);
  expect(counted.body.summary).toMatchObject({ accepted: 1 });
  expect(counted.body.data.map((row: any) => row.user?.documentId)).toEqual([saved.member.documentId]);
  const evidence = await http.post('/subjects/evidence', { query: saved.member.email });
  const acceptances = evidence.body.data.records.filter((r: any) => r.record.kind === 'policy');
  expect(acceptances).toHaveLength(1);
  expect(acceptances[0].receipt.authentic).toBe(true);

  // A material change: the user who accepted before the rotation is told, and the delivery is theirs in the evidence.
  const draft = await http.post('/policies/drafts', { slug: 'privacy-policy', materialChange: true, locales: { en: sampleLocales('rotated').en } });
  const effectiveAt = new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString();
  const published = await http.post(`/policies/drafts/${draft.body.data.documentId}/publish`, { effectiveAt, noticeReason: 'rotation test' });
  expect(published.status).toBe(200);
  const notices = app!.strapi.plugin('privacy-centre').service('notices');
  await notices.idle();
  await notices.work();
  const mail = await smtp.waitFor(saved.member.email);
  expect(mail.parsed.subject).toMatch(/changes take effect/);
  const after = await http.post('/subjects/evidence', { query: saved.member.email });
  expect(after.body.data.notices).toEqual([expect.objectContaining({ slug: 'privacy-policy', version: published.body.data.version, status: 'sent', messageId: mail.parsed.messageId })]);
});

it('refuses to boot with a secret that sealed nothing, or without the keyring its proofs need, saying what to do', async () => {
  await app!.close({ keepDatabase: true });
  app = undefined;
  await expect(boot('a-third-secret-nobody-listed-0123456789abcdef')).rejects.toThrow(/previousSecrets/);
  await boot(NEW_SECRET);
  // The keyring row lost (a partial restore, a SQL console): not silently made anew.
  await knex()('strapi_core_store_settings').where({ key: KEYRING }).delete();
  await app!.close({ keepDatabase: true });
  app = undefined;
  await expect(boot(NEW_SECRET)).rejects.toThrow(/keyring is missing from the database/);
});
