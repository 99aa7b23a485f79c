import type { Core } from '@strapi/strapi';
// co-body is the reader strapi::body (koa-body) itself uses: the same limits, charsets and JSON
// strictness, so a body reads here exactly as it would on the route.
import coBody from 'co-body';
import { OWN_RECORD, recordConsent } from '../controllers/public-consents';
import { BODY_LIMITS, reply } from './body-guard';
import { consentsPath } from './paths';
import { overRateLimit } from './rate-limit';

export const CONSENT_FAST_PATH_MIDDLEWARE = 'plugin::privacy-centre.consent-fast-path';

/**
 * The fast path of `POST <api prefix>/privacy-centre/consents`, the plugin's hottest write.
 *
 * Placed with the other plugin middlewares right before `strapi::body` (every middleware the app
 * lists ahead of it and the body guard's size checks have run), it reads the body and records the
 * consent without Strapi's body parsing and router, which are most of the cost of a request. It takes only what the route would read the same way: exactly
 * this path, no query string, a plain `application/json` or `text/plain` body of a declared
 * length, not compressed. Everything else falls through to the route. Both count against the
 * same rate limit and answer through the same function.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const path = consentsPath(strapi);

  /**
   * Whether the route is still the plugin's own, read as strapi::body would read it: the app
   * has not replaced the handler, added policies or middlewares to the route, nor given
   * strapi::body options of its own (limits, strictness, text off). Otherwise the route answers.
   */
  let enabled: boolean | undefined;
  const isEnabled = () => {
    if (enabled !== undefined) return enabled;
    const handler = strapi.plugin('privacy-centre').controller('public-consents')?.record as any;
    const routes = (strapi.plugin('privacy-centre').routes as any)?.['content-api']?.routes ?? [];
    const route = routes.find((r: any) => r.method === 'POST' && r.path === '/consents');
    const middlewares = route?.config?.middlewares ?? [];
    const bodyEntry = ((strapi.config.get('middlewares') as unknown[]) ?? []).find(
      (e: any) => e === 'strapi::body' || e?.name === 'strapi::body' || e?.resolve === 'strapi::body'
    ) as any;
    const bodyOptions = typeof bodyEntry === 'object' && bodyEntry?.config ? Object.keys(bodyEntry.config) : [];
    enabled =
      Boolean(handler?.[OWN_RECORD]) &&
      route?.handler === 'public-consents.record' &&
      !(route?.config?.policies ?? []).length &&
      middlewares.length === 1 &&
      middlewares[0]?.name === 'plugin::privacy-centre.rate-limit' &&
      bodyOptions.length === 0;
    if (!enabled) strapi.log.info('[privacy-centre] POST /consents is customised here: the consent fast path steps aside');
    return enabled;
  };

  return async (ctx: any, next: () => Promise<void>) => {
    if (ctx.method !== 'POST' || !path.test(ctx.path) || ctx.querystring) return next();
    if (ctx.get('Transfer-Encoding') || !ctx.get('Content-Length')) return next();
    // Over the limit: the body guard's answer (413, closing the connection), wherever it runs.
    if (Number(ctx.get('Content-Length')) > BODY_LIMITS.public) return next();
    const encoding = ctx.get('Content-Encoding');
    if (encoding && encoding.toLowerCase() !== 'identity') return next();
    const type = ctx.is('application/json', 'text/plain');
    if (type !== 'application/json' && type !== 'text/plain') return next();
    if (!isEnabled()) return next();
    let body: unknown;
    try {
      body =
        type === 'application/json'
          ? await coBody.json(ctx, { limit: BODY_LIMITS.public, strict: true })
          : await coBody.text(ctx, { limit: BODY_LIMITS.public });
    } catch (error) {
      // As the body guard answers what strapi::body cannot read.
      if ((error as { status?: number }).status === 413) {
        reply(ctx, 413, 'PayloadTooLargeError', `This request body is larger than ${ctx.method} ${ctx.path} accepts`);
      } else {
        reply(ctx, 400, 'BadRequestError', `The request body could not be read: it is not well-formed ${String(ctx.get('Content-Type') || 'data').split(';')[0]}`);
      }
      return;
    }
    // From here on, errors are the route's (the body guard must not read them as a body's).
    ctx.state.privacyCentreFastPath = true;
    // Counted after the body is read, as on the route (strapi::body runs before its rate limit).
    if (await overRateLimit(strapi, 'consents', ctx)) return;
    await recordConsent(strapi, ctx, body);
  };
};
