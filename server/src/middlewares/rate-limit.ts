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
export default (config: { scope?: string } = {}, { strapi }: { strapi: Core.Strapi }) => {
  const settings = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const windows = new LRUCache<string, Window>({ max: 100_000 });
  const scope = config.scope ?? 'public';

  return async (ctx: any, next: () => Promise<void>) => {
    const { rateLimit, ipTruncation } = settings();
    if (!rateLimit.enabled) return next();
    const client = truncateIp(ctx.request.ip, ipTruncation.ipv4PrefixLength, ipTruncation.ipv6PrefixLength) ?? 'unknown';
    const key = `${scope}\u0000${client}`;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + rateLimit.windowSeconds * 1000 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > rateLimit.max) {
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
      return;
    }
    return next();
  };
};
