import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import type { PrivacyCentreConfig } from '../config';
import { truncateIp } from '../ip';

export const RATE_LIMIT_MIDDLEWARE = 'plugin::privacy-centre.rate-limit';

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Per-client rate limit of the plugin's public write routes (route middleware; `config.scope`
 * names the counter, e.g. `consents`). The client is its truncated IP, the same network prefix
 * that is stored as proof (Strapi's `server.proxy` decides whether X-Forwarded-For is believed),
 * so the raw address is not kept here either. Counters live in this instance's memory, bounded:
 * behind a load balancer each instance counts its own share. Over the limit: 429 with
 * Retry-After, in Strapi's error shape.
 */
/** Counters per Strapi instance and scope, so that the consent fast path and the route share them. */
const counters = new WeakMap<object, Map<string, LRUCache<string, Window>>>();

/**
 * Counts a request of `scope` from the client's network; true when it is over the limit, in
 * which case the 429 answer is set on `ctx`.
 */
export function overRateLimit(strapi: Core.Strapi, scope: string, ctx: any): boolean {
  const { rateLimit, ipTruncation } = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  if (!rateLimit.enabled) return false;
  let scopes = counters.get(strapi);
  if (!scopes) counters.set(strapi, (scopes = new Map()));
  let windows = scopes.get(scope);
  if (!windows) scopes.set(scope, (windows = new LRUCache<string, Window>({ max: 100_000 })));
  const client = truncateIp(ctx.request.ip, ipTruncation.ipv4PrefixLength, ipTruncation.ipv6PrefixLength) ?? 'unknown';
  const now = Date.now();
  let window = windows.get(client);
  if (!window || window.resetAt <= now) {
    window = { count: 0, resetAt: now + rateLimit.windowSeconds * 1000 };
    windows.set(client, window);
  }
  window.count += 1;
  if (window.count <= rateLimit.max) return false;
  const retryAfter = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
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
    if (overRateLimit(strapi, scope, ctx)) return;
    return next();
  };
};
