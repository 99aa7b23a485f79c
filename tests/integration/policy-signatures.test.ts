import { bootStrapi, type TestStrapi } from '../helpers/strapi';
import { createAdmin } from '../helpers/admin';
import { sampleLocales, TEST_SECRET } from '../helpers/policies';
import { signText, verifyText } from '../../server/src/signing';
import type { TestDatabase } from '../helpers/database';

/**
 * The signature that seals a published version, across restarts on one database: a rotated
 * secret (listed in previousSecrets) re-signs at boot; versions from before signatures existed
 * are signed only when the configuration says so, never from what the database holds.
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

it('signs each published version with the secret', async () => {
  await boot();
  const { token } = await createAdmin(app!);
  first = await publish(token, 'signed-one');
  second = await publish(token, 'signed-two');
  expect(await signatureOf(first.documentId)).toBe(signText(TEST_SECRET, 'policy-version', `${first.hash}:published`));
});

it('re-signs with a rotated secret at boot, while the previous one is still listed', async () => {
  await restart({ secret: NEW_SECRET, previousSecrets: [TEST_SECRET] });
  for (const version of [first, second]) {
    expect(verifyText([NEW_SECRET], 'policy-version', `${version.hash}:published`, await signatureOf(version.documentId))).toBe(0);
  }
  const [event] = await auditOf('policy.signature.renew');
  expect(event.details).toMatchObject({ renewed: ['signed-one v1', 'signed-two v1'], signedFirst: [] });
  // ... so that the previous secret can go: still intact with the new one alone.
  await restart({ secret: NEW_SECRET });
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
  expect(verifyText([NEW_SECRET], 'policy-version', `${first.hash}:published`, await signatureOf(first.documentId))).toBe(0);
  const events = await auditOf('policy.signature.renew');
  expect(events.at(-1).details).toMatchObject({ signedFirst: ['signed-one v1'] });
  expect((await app!.http().get('/api/privacy-centre/policies/signed-one/current')).status).toBe(200);
});
