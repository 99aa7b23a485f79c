import { samplePolicy, sampleCookieCategories } from './sample-policy';
import { seedMonth } from './demo-month';

/**
 * Seeds the demo idempotently: run twice, it neither fails nor duplicates anything.
 * Called from the app's bootstrap when PRIVACY_CENTRE_DEMO_SEED=1 (scripts/demo.js sets it).
 */
export async function seedDemo(strapi: any) {
  const locales = strapi.plugin('i18n').service('locales');
  if (!(await locales.find()).some((l: { code: string }) => l.code === 'fi')) {
    await locales.create({ code: 'fi', name: 'Finnish (fi)' });
  }

  const plugin = strapi.plugin('privacy-centre');
  const existing = await strapi.db
    .query('plugin::privacy-centre.policy-version')
    .count({ where: { slug: 'privacy-policy' } });
  if (!existing) {
    const draft = await plugin.service('policy-drafts').createDraft({ slug: 'privacy-policy', locales: samplePolicy });
    await plugin.service('policy-publication').publish(draft.documentId, {});
  }

  // The four default categories exist from the plugin's first boot: give them the club's texts
  // in English and Finnish, declare its cookies, and publish the declaration once.
  const cookies = plugin.service('cookies');
  const declarations = plugin.service('cookie-declarations');
  if ((await declarations.latestNumber()) === null) {
    const existing = await cookies.definitions();
    for (const { definitions, key, text } of sampleCookieCategories) {
      await cookies.updateCategory(key, { locales: text });
      for (const definition of definitions) {
        if (!existing.some((d: { name: string }) => d.name === definition.name)) {
          await cookies.createDefinition({ ...definition, category: key });
        }
      }
    }
    await declarations.publish(null);
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

  // A site user (users-permissions) who must accept the privacy policy (scripts/demo.js requires
  // it through PRIVACY_CENTRE_EXTRA_CONFIG `acceptance`) and has not yet: the demo prints the
  // login and a curl of acceptances/me.
  const memberEmail = process.env.DEMO_MEMBER_EMAIL || 'member@example.com';
  if (strapi.plugin('users-permissions') && !(await strapi.db.query('plugin::users-permissions.user').findOne({ where: { email: memberEmail } }))) {
    const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'authenticated' } });
    await strapi.plugin('users-permissions').service('user').add({
      username: 'demo-member',
      email: memberEmail,
      password: process.env.DEMO_MEMBER_PASSWORD || 'Member-Demo-2026',
      provider: 'local',
      confirmed: true,
      blocked: false,
      role: role?.id,
    });
  }

  // A month of consent decisions and newsletter sign-ups, so the overview's charts show trends
  // (PRIVACY_CENTRE_DEMO_MONTH=0 leaves it out: a browser test of the example site needs none).
  if (process.env.PRIVACY_CENTRE_DEMO_MONTH !== '0') await seedMonth(strapi);
}
