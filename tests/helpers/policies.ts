import type { TestStrapi } from './strapi';
import { createAdmin } from './admin';

/** Adds locales to Strapi's i18n (the test app starts with `en` only). */
export async function ensureLocales(app: TestStrapi, codes: string[]) {
  const service = app.strapi.plugin('i18n').service('locales');
  const existing = ((await service.find()) as Array<{ code: string }>).map((l) => l.code);
  for (const code of codes) {
    if (!existing.includes(code)) await service.create({ code, name: code });
  }
}

export const section = (heading: string, markdown: string, anchor = '') => ({ anchor, heading, markdown });

export const sampleLocales = (tag: string) => ({
  en: {
    title: `Privacy policy ${tag}`,
    summary: `What changed in ${tag}`,
    sections: [
      section('1. Who we are', `We are the controller (${tag}).`),
      section('2. Retention', '| Data | Kept |\n| --- | --- |\n| Consent records | 12 months |'),
    ],
  },
  fi: {
    title: `Tietosuojaseloste ${tag}`,
    summary: `Muutokset ${tag}`,
    sections: [section('1. Rekisterinpitäjä', `Olemme rekisterinpitäjä (${tag}).`)],
  },
});

/**
 * What a database administrator would do to edit a published version from a SQL console: drop
 * the plugin's triggers first (they refuse the edit). The plugin puts them back at its next boot.
 */
export async function dropFrozenRowTriggers(app: TestStrapi) {
  const knex = app.strapi.db.connection;
  const client = app.strapi.db.dialect.client;
  for (const suffix of ['update', 'delete']) {
    const name = `privacy_centre_policy_versions_frozen_${suffix}`;
    await knex.raw(client === 'postgres' ? `DROP TRIGGER IF EXISTS ${name} ON privacy_centre_policy_versions` : `DROP TRIGGER IF EXISTS ${name}`);
  }
}

/** The secret tests/app signs with (config/plugins.ts). */
export const TEST_SECRET = 'privacy-centre-test-secret-0123456789abcdef';

/** Publishes `privacy-policy` (sampleLocales(tag), with `fi`) and the cookie declaration through the admin API. */
export async function publishSamplePolicy(app: TestStrapi, tag: string) {
  await ensureLocales(app, ['fi']);
  const { token } = await createAdmin(app);
  const auth = { Authorization: `Bearer ${token}` };
  const draft = await app.http().post('/privacy-centre/policies/drafts').set(auth).send({ slug: 'privacy-policy', locales: sampleLocales(tag) });
  expect(draft.body.data?.documentId).toBeTruthy();
  expect((await app.http().post(`/privacy-centre/policies/drafts/${draft.body.data.documentId}/publish`).set(auth).send({})).status).toBe(200);
  expect((await app.http().post('/privacy-centre/cookies/publish').set(auth).send({})).status).toBe(200);
}
