module.exports = () => ({
  auth: { secret: 'install-check-admin-jwt-secret' },
  apiToken: { salt: 'install-check-api-token-salt' },
  transfer: { token: { salt: 'install-check-transfer-salt' } },
  secrets: { encryptionKey: 'install-check-encryption-key' },
  flags: { nps: false, promoteEE: false },
  // No `strapi build` here: the admin API routes answer without the panel's bundle.
  serveAdminPanel: false,
});
