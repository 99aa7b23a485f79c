import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { sampleLocales, TEST_SECRET } from '../helpers/policies';
import type { TestDatabase } from '../helpers/database';

/**
 * The signature that seals a published version, across restarts on one database: an Ed25519
 * seal stays valid through a rotation of the secret (its key stays published); versions from
 * before signatures existed are signed only when the configuration says so, never from what the
 * database holds. (Seals of 0.2, HMACs, are renewed at boot: tests/integration/keys.test.ts.)
 */
const UID = 'plugin::privacy-centre.policy-version';
const NEW_SECRET = 'rotated-secret-for-the-signature-test-0123456789';
let database: TestDatabase;
let app: TestStrapi | undefined;
let first: any;
let second: any;

const boot = async (config: Record<string, unknown> = {}) => {
  const { secret, ...extra } = config;
  app = await bootStrapi(
    secret ? { PRIVACY_CENTRE_SECRET: String(secret), PRIVACY_CENTRE_EXTRA_CONFIG: JSON.stringify({ previousSecrets: [], ...extra }) } : {},
    database ? { database } : {}
  );
  database = app.database;
  return app;
};
const restart = async (config: Record<string, unknown> = {}) => {
  await app!.close({ keepDatabase: true });
  return boot(config);
};
const signatureOf = async (documentId: string) => (await app!.strapi.db.query(UID).findOne({ where: { documentId } })).signature;
const sealChecks = (hash: string, signature: string) =>
  app!.strapi.plugin('privacy-centre').service('keys').verify('policy-version', `${hash}:published`, signature) as boolean;
const currentKid = () => app!.strapi.plugin('privacy-centre').service('keys').jwks().keys.at(-1).kid as string;
const auditOf = (action: string) => app!.strapi.db.query('plugin::privacy-centre.audit-event').findMany({ where: { action } });

afterAll(async () => {
  await app?.close();
});

async function publish(token: string, slug: string) {
  const http = app!.http();
  const draft = await http.post('/privacy-centre/policies/drafts').set('Authorization', `Bearer ${token}`).send({ slug, locales: { en: sampleLocales(slug).en } });
  const done = await app!.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set('Authorization', `Bearer ${token}`).send({});
  expect(done.status).toBe(200);
  return done.body.data;
}

it('seals each published version with the current Ed25519 key, served with the version', async () => {
  await boot({ secret: TEST_SECRET });
  const { token } = await createAdmin(app!);
  first = await publish(token, 'signed-one');
  second = await publish(token, 'signed-two');
  const signature = await signatureOf(first.documentId);
  expect(signature.startsWith(`${currentKid()}.`)).toBe(true);
  expect(sealChecks(first.hash, signature)).toBe(true);
  expect(sealChecks(second.hash, signature)).toBe(false);
  expect((await app!.http().get('/api/privacy-centre/policies/signed-one/current')).body.data.signature).toBe(signature);
});

it('keeps every seal through a rotation (new secret with the old one, then alone): nothing re-signed', async () => {
  const before = await signatureOf(first.documentId);
  await restart({ secret: NEW_SECRET, previousSecrets: [TEST_SECRET] });
  await restart({ secret: NEW_SECRET });
  expect(await signatureOf(first.documentId)).toBe(before);
  expect(before.startsWith(`${currentKid()}.`)).toBe(false);
  expect(sealChecks(first.hash, before)).toBe(true);
  expect(await auditOf('policy.signature.renew')).toHaveLength(0);
  expect((await app!.http().get('/api/privacy-centre/policies/signed-one/current')).status).toBe(200);
});

it('signs unsigned versions only when told to (signUnsignedVersions), and never on its own', async () => {
  const knex = () => app!.strapi.db.connection('privacy_centre_policy_versions');
  // A version without a signature: as published before signatures existed, or stripped below the plugin.
  await knex().where({ document_id: first.documentId }).update({ signature: null });
  await restart({ secret: NEW_SECRET });
  expect(await signatureOf(first.documentId)).toBeNull();
  expect((await app!.http().get('/api/privacy-centre/policies/signed-one/current')).status).toBe(500);

  // The deliberate, one-off setting signs it (its hash still verifies), audited.
  await restart({ secret: NEW_SECRET, signUnsignedVersions: true });
  expect(sealChecks(first.hash, await signatureOf(first.documentId))).toBe(true);
  const events = await auditOf('policy.signature.renew');
  expect(events.at(-1).details).toMatchObject({ signedFirst: ['signed-one v1'] });
  expect((await app!.http().get('/api/privacy-centre/policies/signed-one/current')).status).toBe(200);
});
