// Strapi's own list: the plugin puts its fast path in itself, right after strapi::poweredBy
// (PRIVACY_CENTRE_INSTALL_MIDDLEWARES=false leaves it out; bench/policy.js compares both).
// APP_BODY_GUARD_ALL_ROUTES=true lists the plugin's body guard for every route, as the README shows.
export default ({ env }) => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  ...(env.bool('APP_BODY_GUARD_ALL_ROUTES', false) ? [{ name: 'plugin::privacy-centre.body-guard', config: { allRoutes: true } }] : []),
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
