module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  // Fixed keys: this app lives for one test run.
  app: { keys: ['install-check-key-1', 'install-check-key-2'] },
  logger: { updates: { enabled: false } },
});
