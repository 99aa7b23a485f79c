import type { Core } from '@strapi/strapi';
import { send } from '../controllers/public-policies';

/**
 * Optional fast path for the hottest public route, `GET /api/privacy-centre/policies/:slug/current`.
 *
 * The route works without it. A site that serves the policy to every visitor can add
 * `'plugin::privacy-centre.current-policy'` to config/middlewares.ts right after
 * `strapi::poweredBy` (after logger, errors, security and cors, so logging, error JSON,
 * security headers and CORS still apply): a cached answer is then sent before Strapi parses
 * the query, body and session and matches the router, which is most of the cost of a request.
 * Anything it cannot answer from the cache falls through to the normal route.
 */
const PATH = /^\/api\/privacy-centre\/policies\/([^/]+)\/current\/?$/;

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: any, next: () => Promise<void>) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !PATH.test(ctx.path)) return next();
    // Anything but a single ?locale= is for the route to validate and refuse.
    const { locale, ...other } = ctx.query;
    if (Object.keys(other).length || (locale !== undefined && typeof locale !== 'string')) return next();
    // Only answers already built (and so validated) by the route are in the cache.
    const cached = strapi
      .plugin('privacy-centre')
      .service('policy-cache')
      .get('current', PATH.exec(ctx.path)![1], locale ?? '');
    if (!cached) return next();
    send(ctx, cached);
  };
};
