export default {
  register() {},
  async bootstrap({ strapi }) {
    // bench/consent-scale-pg.js: SIGUSR2 runs the plugin's retention purge in this process (as its
    // nightly cron would) and writes its duration and counts to the file named here.
    if (process.env.BENCH_PURGE_RESULT) {
      const fs = await import('node:fs');
      process.on('SIGUSR2', async () => {
        const started = Date.now();
        try {
          const result = await strapi.plugin('privacy-centre').service('retention').run();
          fs.writeFileSync(process.env.BENCH_PURGE_RESULT, JSON.stringify({ ms: Date.now() - started, result }));
        } catch (error) {
          fs.writeFileSync(process.env.BENCH_PURGE_RESULT, JSON.stringify({ ms: Date.now() - started, error: String(error) }));
        }
      });
    }
    // bench/consent.js BENCH_UNWRITTEN=1 (a diagnostic, never a site): every consent is validated,
    // signed and answered as usual, but its record is not written. What the rest of the path costs,
    // against the same run's /_health: how much of the gap the write itself could ever close.
    if (process.env.APP_BENCH_UNWRITTEN === '1') {
      strapi.plugin('privacy-centre').service('consent-writer').write = async () => {};
      strapi.log.warn('[tests/app] APP_BENCH_UNWRITTEN=1: consent records are NOT written (bench diagnostic)');
    }
    if (process.env.PRIVACY_CENTRE_DEMO_SEED === '1') {
      const { seedDemo } = await import('./seed/demo');
      await seedDemo(strapi);
    }
    // The benches compare the plugin's routes with Strapi's own REST routes: a single type
    // holding a policy (bench/policy.js) and a collection type holding consents (bench/consent.js).
    // Those routes must be public, as a site would make them.
    // The members area (tests/app/src/api/member-area) is open to everyone: the plugin's route
    // policy is what refuses a signed-in user who has not accepted the required policies.
    const grants = {
      public: ['api::policy-page.policy-page.find', 'api::consent-entry.consent-entry.create', 'api::member-area.member-area.find'],
      authenticated: ['api::member-area.member-area.find'],
    };
    for (const [type, actions] of Object.entries(grants)) {
      const role = await strapi.db.query('plugin::users-permissions.role').findOne({ where: { type } });
      if (!role) continue;
      for (const action of actions) {
        const existing = await strapi.db
          .query('plugin::users-permissions.permission')
          .findOne({ where: { action, role: role.id } });
        if (!existing) {
          await strapi.db
            .query('plugin::users-permissions.permission')
            .create({ data: { action, role: role.id } });
        }
      }
    }
  },
};
