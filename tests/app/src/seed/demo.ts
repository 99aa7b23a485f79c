import { samplePolicy, sampleCookieCategories } from './sample-policy';

/**
 * Seeds the demo idempotently: run twice, it neither fails nor duplicates anything.
 * Called from the app's bootstrap when PRIVACY_CENTRE_DEMO_SEED=1 (scripts/demo.js sets it).
 */
export async function seedDemo(strapi: any) {
  const locales = strapi.plugin('i18n').service('locales');
  if (!(await locales.find()).some((l: { code: string }) => l.code === 'fi')) {
    await locales.create({ code: 'fi', name: 'Finnish (fi)' });
  }

  const policies = strapi.plugin('privacy-centre').service('policies');
  const existing = await strapi.db
    .query('plugin::privacy-centre.policy-version')
    .count({ where: { slug: 'privacy-policy' } });
  if (!existing) {
    const draft = await policies.createDraft({ slug: 'privacy-policy', locales: samplePolicy });
    await policies.publish(draft.documentId, {});
  }

  for (const { definitions, ...category } of sampleCookieCategories) {
    const categories = strapi.db.query('plugin::privacy-centre.cookie-category');
    let row = await categories.findOne({ where: { key: category.key } });
    if (!row) row = await strapi.documents('plugin::privacy-centre.cookie-category').create({ data: category });
    for (const definition of definitions) {
      const found = await strapi.db
        .query('plugin::privacy-centre.cookie-definition')
        .findOne({ where: { name: definition.name } });
      if (!found) {
        await strapi
          .documents('plugin::privacy-centre.cookie-definition')
          .create({ data: { ...definition, category: row.documentId } });
      }
    }
  }

  const email = process.env.DEMO_ADMIN_EMAIL || 'admin@example.com';
  const password = process.env.DEMO_ADMIN_PASSWORD || 'Privacy-Demo-2026';
  const user = await strapi.db.query('admin::user').findOne({ where: { email } });
  if (!user) {
    const superAdmin = await strapi.service('admin::role').getSuperAdmin();
    await strapi.service('admin::user').create({
      email,
      firstname: 'Demo',
      lastname: 'Administrator',
      password,
      isActive: true,
      registrationToken: null,
      roles: [superAdmin.id],
    });
  }
}
