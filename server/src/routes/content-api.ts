/** Public API, mounted by Strapi under /api/privacy-centre. Public by design (auth: false). */
export default {
  type: 'content-api',
  routes: [] as Array<Record<string, unknown>>,
};
