import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import { truncateIp } from '../ip';

export const RATE_LIMIT_MIDDLEWARE = 'plugin::privacy-centre.rate-limit';

/**
 * Per-client rate limit of the plugin's public write routes (route middleware; `config.scope`
 * names the counter, e.g. `consents`). The client is its truncated IP, the same network prefix
 * that is stored as proof (Strapi's `server.proxy` decides whether X-Forwarded-For is believed),
 * so the raw address is not kept here either. The counters are the rate-limits service's
 * (`rateLimit.store`: this instance's memory, or the database or Redis shared by every
 * instance). Over the limit: 429 with Retry-After, in Strapi's error shape.
 */

type RateLimits = { consume(scope: string, client: string): Promise<number> };
const services = new WeakMap<object, RateLimits>();

/**
 * Counts a request of `scope` from the client's network; true when it is over the limit, in
 * which case the 429 answer is set on `ctx`.
 */
export async function overRateLimit(strapi: Core.Strapi, scope: string, ctx: any): Promise<boolean> {
  const { rateLimit, ipTruncation } = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  if (!rateLimit.enabled) return false;
  let limits = services.get(strapi);
  if (!limits) services.set(strapi, (limits = strapi.plugin('privacy-centre').service('rate-limits') as RateLimits));
  const client = truncateIp(ctx.request.ip, ipTruncation.ipv4PrefixLength, ipTruncation.ipv6PrefixLength) ?? 'unknown';
  const retryAfter = await limits.consume(scope, client);
  if (retryAfter === 0) return false;
  ctx.status = 429;
  ctx.set('Retry-After', String(retryAfter));
  ctx.body = {
    data: null,
    error: {
      status: 429,
      name: 'RateLimitError',
      message: `Too many requests from your network: at most ${rateLimit.max} every ${rateLimit.windowSeconds} s. Try again in ${retryAfter} s.`,
      details: { retryAfter },
    },
  };
  return true;
}

export default (config: { scope?: string } = {}, { strapi }: { strapi: Core.Strapi }) => {
  const scope = config.scope ?? 'public';
  return async (ctx: any, next: () => Promise<void>) => {
    if (await overRateLimit(strapi, scope, ctx)) return;
    return next();
  };
};
