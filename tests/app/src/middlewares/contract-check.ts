import path from 'node:path';

/**
 * Every answer of the plugin's public routes, checked against the plugin's OpenAPI document
 * (tests/helpers/contract-check.js). Listed first (outermost) by config/middlewares.ts when
 * PRIVACY_CENTRE_CONTRACT_CHECK=1, which tests/helpers/strapi.ts bootStrapi sets: it sees the
 * answer as it leaves, whoever made it (a route, a fast path, the body guard, the rate limit,
 * strapi::errors). Mismatches are kept on `strapi.privacyCentreContract`; bootStrapi's close()
 * fails the test file when there is any. An answer of the app's own middleware (global::block
 * marks it) is the app's, not the plugin's: not checked.
 */
export default (_config: unknown, { strapi }: { strapi: any }) => {
  // tests/app/dist/src/middlewares → tests/helpers (plain JS, required as is).
  const { createContractChecker } = require(path.resolve(strapi.dirs.app.root, '..', 'helpers', 'contract-check.js'));
  const prefix = String(strapi.config.get('api.rest.prefix', '/api')).replace(/\/+$/, '');
  const checker = createContractChecker(undefined, { prefix });
  const record = (strapi.privacyCentreContract = { checked: 0, mismatches: [] as string[] });

  return async (ctx: any, next: () => Promise<void>) => {
    if (!checker.inScope(ctx.path)) return next();
    try {
      await next();
    } finally {
      if (!ctx.state.answeredByApp) {
        try {
          const headers = Object.fromEntries(Object.entries(ctx.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
          const problems = checker.check({ method: ctx.method, path: ctx.path, status: ctx.status, headers, body: ctx.body });
          record.checked += 1;
          record.mismatches.push(...problems);
        } catch (error) {
          record.mismatches.push(`${ctx.method} ${ctx.path}: the check failed: ${(error as Error).message}`);
        }
      }
    }
  };
};
