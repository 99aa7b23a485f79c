// As a user configures the plugin: by its id only. No `resolve`: Strapi must find the package
// in node_modules by its name, from the tarball npm installed.
module.exports = () => ({
  'privacy-centre': {
    enabled: true,
    config: { secret: 'install-check-secret-0123456789abcdef0123456789' },
  },
  'users-permissions': {
    config: { jwtSecret: 'install-check-users-permissions-jwt-secret' },
  },
});
