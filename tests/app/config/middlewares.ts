// PRIVACY_CENTRE_FAST_PATH=false leaves the plugin's fast path out (bench/policy.js compares both).
const fastPath = process.env.PRIVACY_CENTRE_FAST_PATH !== 'false';

export default [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  // The plugin's optional fast path for the current policy (see the README, "Hot path").
  ...(fastPath ? ['plugin::privacy-centre.current-policy'] : []),
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
