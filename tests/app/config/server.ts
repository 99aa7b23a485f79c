export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    // Fixed keys are fine for a test app; a real app reads them from its environment.
    keys: env.array('APP_KEYS', ['privacy-centre-test-key-1', 'privacy-centre-test-key-2']),
  },
  url: env('PUBLIC_URL', ''),
  // APP_OPENAPI=public serves Strapi's own generated document at /api/openapi.json
  // (tests/integration/contract.test.ts).
  openapi: { 'content-api': { access: env('APP_OPENAPI', 'disabled') } },
  // No npm look-up for a newer Strapi at every start.
  logger: { updates: { enabled: false } },
});
