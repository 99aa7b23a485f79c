// Strapi's own list: the plugin puts its fast path in itself, right after strapi::poweredBy
// (PRIVACY_CENTRE_INSTALL_MIDDLEWARES=false leaves it out; bench/policy.js compares both).
export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
