// Strapi's own list: the plugin puts its fast paths in itself, right before strapi::body
// (PRIVACY_CENTRE_INSTALL_MIDDLEWARES=false leaves them out; bench/policy.js compares both).
// APP_BODY_GUARD_ALL_ROUTES=true lists the plugin's body guard for every route, as the README shows.
// APP_TEST_BLOCK=before-body|after-body lists the app's own `global::block` there.
// APP_BENCH_FLOOR=1 lists `global::bench-floor` right before strapi::body (bench/ only).
// PRIVACY_CENTRE_CONTRACT_CHECK=1 (set by the integration tests' bootStrapi) lists
// `global::contract-check` first: every answer of the plugin's public routes is checked against
// its OpenAPI document.
export default ({ env }) => {
  const block = env('APP_TEST_BLOCK', '');
  return [
    ...(env('PRIVACY_CENTRE_CONTRACT_CHECK', '') === '1' ? ['global::contract-check'] : []),
    'strapi::logger',
    'strapi::errors',
    'strapi::security',
    // Strapi's defaults (every origin, credentials) plus the request headers c15t sends on
    // every call (its browser test): the README's "c15t" section shows the same for a site.
    {
      name: 'strapi::cors',
      config: { headers: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'x-c15t-version', 'X-Request-ID'] },
    },
    'strapi::poweredBy',
    ...(block === 'before-body' ? ['global::block'] : []),
    ...(env.bool('APP_BODY_GUARD_ALL_ROUTES', false) ? [{ name: 'plugin::privacy-centre.body-guard', config: { allRoutes: true } }] : []),
    'strapi::query',
    // bench/: what any answer at the fast paths' place costs (src/middlewares/bench-floor.ts).
    ...(env('APP_BENCH_FLOOR', '') === '1' ? ['global::bench-floor'] : []),
    'strapi::body',
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
    ...(block === 'after-body' ? ['global::block'] : []),
  ];
};
