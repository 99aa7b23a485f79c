export default ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET', 'privacy-centre-test-admin-jwt-secret') },
  apiToken: { salt: env('API_TOKEN_SALT', 'privacy-centre-test-api-token-salt') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT', 'privacy-centre-test-transfer-salt') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY', 'privacy-centre-test-encryption-key') },
  flags: { nps: false, promoteEE: false },
  // The admin is served by `strapi start` from the built bundle (tests/e2e and the demo).
  serveAdminPanel: env.bool('SERVE_ADMIN', true),
});
