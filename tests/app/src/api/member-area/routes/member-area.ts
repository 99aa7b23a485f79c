// A members-only page of the test app, as a site would guard one: the plugin's route policy
// refuses a signed-in user who has not accepted the required policies past the deadline.
export default {
  routes: [
    {
      method: 'GET',
      path: '/member-area',
      handler: 'member-area.find',
      config: { policies: ['plugin::privacy-centre.policies-accepted'] },
    },
    // The same page without the route policy: bench/acceptance.js measures what the policy costs.
    { method: 'GET', path: '/member-area/unguarded', handler: 'member-area.find' },
  ],
};
