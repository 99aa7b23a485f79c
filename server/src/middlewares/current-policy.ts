import type { Core } from '@strapi/strapi';
import { currentPolicyPath } from './paths';
import { parseLocale, parseSlug, send } from '../controllers/public-policies';

export const CURRENT_POLICY_MIDDLEWARE = 'plugin::privacy-centre.current-policy';

/** The only query strings the fast path reads: none, or one plain `locale=` (as the route reads them). */
const SIMPLE_QUERY = /^(?:locale=[A-Za-z0-9-]{1,35})?$/;

/**
 * The fast path of the hottest public route, `GET <api prefix>/privacy-centre/policies/:slug/current`.
 *
 * The plugin puts it right before `strapi::body` (see register.ts; the README says how to
 * place it yourself or leave it out), so every middleware the app lists ahead of the body parser
 * still applies. A cached answer is then sent before Strapi parses the body and matches the
 * router, which is most of the cost of a request.
 *
 * It answers exactly as the route does, or not at all: it reads the slug and locale with the
 * route's own functions, takes only the query strings both parsers read alike (none, or one
 * plain `locale=`), and sends only answers the route has built (and so validated) already.
 * Everything else falls through to the route.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const path = currentPolicyPath(strapi);
  const publicPolicies = () => strapi.plugin('privacy-centre').service('policy-public');

  return async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    // A request carrying a body is the route's to judge (strapi::body may refuse it).
    if (ctx.get('Transfer-Encoding') || Number(ctx.get('Content-Length') || 0) > 0) return next();
    const match = path.exec(ctx.path);
    if (!match || !SIMPLE_QUERY.test(ctx.querystring)) return next();
    let slug: string;
    let locale: string | undefined;
    try {
      slug = parseSlug(match[1]);
      locale = parseLocale(ctx.querystring ? ctx.querystring.slice('locale='.length) : undefined);
    } catch {
      return next(); // the route answers it with its error
    }
    const cached = await publicPolicies().cachedCurrent(slug, locale);
    if (!cached) return next();
    send(ctx, cached);
  };
};
