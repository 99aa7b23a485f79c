// Strapi's own list: the plugin puts its fast paths in itself, right before strapi::body
// (PRIVACY_CENTRE_INSTALL_MIDDLEWARES=false leaves them out; bench/policy.js compares both).
// APP_BODY_GUARD_ALL_ROUTES=true lists the plugin's body guard for every route, as the README shows.
// APP_TEST_BLOCK=before-body|after-body lists the app's own `global::block` there.
// APP_BENCH_FLOOR=1 lists `global::bench-floor` right before strapi::body (bench/ only).
// PRIVACY_CENTRE_CONTRACT_CHECK=1 (set by the integration tests' bootStrapi) lists
// `global::contract-check` first: every answer of the plugin's public routes is checked against
// its OpenAPI document.
// APP_SECURITY_CONFIG (JSON) gives strapi::security a config of its own; APP_SECURITY_NONCE=1 adds
// a CSP nonce computed per request (a function, as helmet allows): tests/integration/security-replay.
const security = (env) => {
  const config = env('APP_SECURITY_CONFIG', '') ? JSON.parse(env('APP_SECURITY_CONFIG')) : null;
  if (env('APP_SECURITY_NONCE', '') !== '1') return config ? { name: 'strapi::security', config } : 'strapi::security';
  const nonce = () => `'nonce-${require('node:crypto').randomBytes(9).toString('base64url')}'`;
  const directives = { ...config?.contentSecurityPolicy?.directives, 'script-src': ["'self'", () => nonce()] };
  return { name: 'strapi::security', config: { ...config, contentSecurityPolicy: { ...config?.contentSecurityPolicy, useDefaults: true, directives } } };
};

export default ({ env }) => {
  const block = env('APP_TEST_BLOCK', '');
  const list = [
    ...(env('PRIVACY_CENTRE_CONTRACT_CHECK', '') === '1' ? ['global::contract-check'] : []),
    // APP_BENCH_FLOOR=first: the floor ahead of every middleware (what Strapi's own cost, bench/ only).
    ...(env('APP_BENCH_FLOOR', '') === 'first' ? ['global::bench-floor'] : []),
    'strapi::logger',
    'strapi::errors',
    security(env),
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
  // APP_BENCH_FLOOR=after:<name>: the floor right after that middleware (bench/ only: what each costs).
  const after = env('APP_BENCH_FLOOR', '').startsWith('after:') ? env('APP_BENCH_FLOOR').slice('after:'.length) : '';
  if (after) list.splice(list.findIndex((e) => (typeof e === 'string' ? e : e.name) === after) + 1, 0, 'global::bench-floor');
  return list;
};
