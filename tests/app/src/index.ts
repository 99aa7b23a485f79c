export default {
  register() {},
  async bootstrap({ strapi }) {
    if (process.env.PRIVACY_CENTRE_DEMO_SEED === '1') {
      const { seedDemo } = await import('./seed/demo');
      await seedDemo(strapi);
    }
    // The bench compares the plugin's route with Strapi's own REST route for a single type:
    // that route must be public, as a site would make it.
    const role = await strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'public' } });
    if (!role) return;
    const action = 'api::policy-page.policy-page.find';
    const existing = await strapi.db
      .query('plugin::users-permissions.permission')
      .findOne({ where: { action, role: role.id } });
    if (!existing) {
      await strapi.db
        .query('plugin::users-permissions.permission')
        .create({ data: { action, role: role.id } });
    }
  },
};
