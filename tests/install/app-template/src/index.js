const fs = require('fs');
const path = require('path');

module.exports = {
  register() {},
  // Tells the test what this app loaded, and from where.
  bootstrap({ strapi }) {
    const plugin = strapi.plugin('privacy-centre');
    const report = {
      loaded: Boolean(plugin),
      contentTypes: plugin ? Object.keys(plugin.contentTypes || {}).sort() : [],
      packageJson: require.resolve('strapi-plugin-privacy-centre/package.json'),
      strapiVersion: require('@strapi/strapi/package.json').version,
    };
    fs.writeFileSync(path.join(__dirname, '..', 'install-check.json'), JSON.stringify(report, null, 2));
  },
};
