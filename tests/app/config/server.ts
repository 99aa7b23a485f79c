export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: {
    // Fixed keys are fine for a test app; a real app reads them from its environment.
    keys: env.array('APP_KEYS', ['privacy-centre-test-key-1', 'privacy-centre-test-key-2']),
  },
  url: env('PUBLIC_URL', ''),
  // No npm look-up for a newer Strapi at every start.
  logger: { updates: { enabled: false } },
});
