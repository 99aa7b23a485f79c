/**
 * Public API, mounted by Strapi under /api/privacy-centre. Public by design (auth: false):
 * a frontend shows these to every visitor.
 */
const open = { auth: false as const };

export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/policies/:slug/current', handler: 'public-policies.current', config: open },
    { method: 'GET', path: '/policies/:slug/upcoming', handler: 'public-policies.upcoming', config: open },
    { method: 'GET', path: '/policies/:slug/versions', handler: 'public-policies.versions', config: open },
    { method: 'GET', path: '/policies/:slug/versions/:version', handler: 'public-policies.version', config: open },
  ],
};
