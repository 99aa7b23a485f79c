import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import type { HeaderChanges } from '../services/security-replay';
import { consentsPath, currentPolicyPath } from './paths';

const SECURITY = 'strapi::security';

type Headers = Record<string, number | string | string[] | undefined>;

/** Whether a value holds a function anywhere: helmet calls such a CSP value for every request (a nonce). */
export function holdsFunction(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value === 'function') return true;
  if (!value || typeof value !== 'object' || seen.has(value)) return false;
  seen.add(value);
  return Object.values(value).some((inner) => holdsFunction(inner, seen));
}

const sameValue = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((item, i) => item === b[i]) : a === b;

/** Headers as `res.getHeaders()` reads them (names in lower case) after `changes`. */
export function applyChanges(headers: Headers, changes: HeaderChanges): Headers {
  const result = { ...headers };
  for (const [name, ...value] of changes) {
    if (value.length) result[name.toLowerCase()] = value[0];
    else delete result[name.toLowerCase()];
  }
  return result;
}

/** Whether two readings of a response's headers hold the same names and values. */
export function sameHeaders(a: Headers, b: Headers): boolean {
  const names = Object.keys(a).filter((name) => a[name] !== undefined);
  return names.length === Object.keys(b).filter((name) => b[name] !== undefined).length && names.every((name) => sameValue(a[name], b[name]));
}

/**
 * Runs `run` with the response's setHeader and removeHeader recorded (helmet changes headers with
 * nothing else), calling through to Node's. `done` gets the calls when `run` calls next, or null
 * when the headers changed in a way the calls do not account for.
 */
function recordingHeaderCalls(res: any, run: (next: () => Promise<void>) => Promise<void>, next: () => Promise<void>, done: (changes: HeaderChanges | null) => void) {
  const calls: HeaderChanges = [];
  const before = res.getHeaders();
  // Whatever the response has now (Node's, or an earlier middleware's own), called through and put back.
  const own = { setHeader: Object.hasOwn(res, 'setHeader'), removeHeader: Object.hasOwn(res, 'removeHeader') };
  const { setHeader, removeHeader } = res;
  res.setHeader = function (name: string, value: number | string | string[]) {
    calls.push([name, Array.isArray(value) ? [...value] : value]);
    return setHeader.call(this, name, value);
  };
  res.removeHeader = function (name: string) {
    calls.push([name]);
    return removeHeader.call(this, name);
  };
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (own.setHeader) res.setHeader = setHeader;
    else delete res.setHeader;
    if (own.removeHeader) res.removeHeader = removeHeader;
    else delete res.removeHeader;
  };
  return run(() => {
    restore();
    done(sameHeaders(applyChanges(before, calls), res.getHeaders()) ? calls : null);
    return next();
  }).finally(restore);
}

/**
 * strapi::security (Strapi 5.54) builds helmet anew for every request: a deep merge of its
 * config with Strapi's defaults, then helmet's checks of every CSP directive. Measured here, that
 * is 0.14 ms of CPU a request, more than half of what any answer at the fast paths' place costs
 * (bench/policy.js with APP_BENCH_FLOOR=after:strapi::security).
 *
 * For the two fast-path routes (`GET`/`HEAD …/policies/:slug/current`, `POST …/consents`), what it
 * does to the headers is the same for every request of one method and route: its config is read
 * once, and what varies by request in its code is the method and whether the path starts with
 * `/documentation`, the GraphQL playground's endpoint or the admin's, which these paths never do.
 * So, through Strapi's own `extend` of a registered middleware, the route's first request runs
 * strapi::security with its setHeader and removeHeader calls recorded (services/security-replay),
 * kept only if they account for every change it made to the headers; the next requests get the
 * same calls, then go on down the same list. Every other request, and
 * every request when the app's security config holds a function (a CSP nonce, computed per
 * request), runs strapi::security as before. `replaySecurityHeaders: false` turns it off.
 */
export function replaySecurityHeaders(strapi: Core.Strapi) {
  const config = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const registry = strapi.get('middlewares') as { get(uid: string): unknown; extend(uid: string, wrap: (factory: any) => any): unknown };
  if (!config.replaySecurityHeaders || !registry.get(SECURITY)) return;
  registry.extend(SECURITY, (factory: (config: unknown, context: { strapi: Core.Strapi }) => unknown) => (securityConfig: unknown, context: { strapi: Core.Strapi }) => {
    const security = factory(securityConfig, context) as ((ctx: any, next: () => Promise<void>) => Promise<void>) | undefined;
    if (typeof security !== 'function' || holdsFunction(securityConfig)) return security;
    const policy = currentPolicyPath(strapi);
    const consents = consentsPath(strapi);
    const routeOf = (ctx: any): string | null => {
      if ((ctx.method === 'GET' || ctx.method === 'HEAD') && policy.test(ctx.path)) return `${ctx.method} current`;
      if (ctx.method === 'POST' && consents.test(ctx.path)) return 'POST consents';
      return null;
    };
    const replay = () => strapi.plugin('privacy-centre').service('security-replay');
    return (ctx: any, next: () => Promise<void>) => {
      const route = routeOf(ctx);
      if (!route) return security(ctx, next);
      const changes = replay().replay(route) as HeaderChanges | null | undefined;
      if (changes) {
        for (const [name, ...value] of changes) {
          if (value.length) ctx.res.setHeader(name, value[0]);
          else ctx.res.removeHeader(name);
        }
        return next();
      }
      // Recorded as not replayable (headers changed otherwise than by those two calls): run it.
      if (changes === null) return security(ctx, next);
      return recordingHeaderCalls(ctx.res, (inner) => security(ctx, inner), next, (calls) => replay().record(route, calls));
    };
  });
}
