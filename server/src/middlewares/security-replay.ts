import path from 'node:path';
import { types } from 'node:util';
import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import type { HeaderChanges, ReplayCounts } from '../services/security-replay';
import { consentsPath, currentPolicyPath } from './paths';

const SECURITY = 'strapi::security';

type Headers = Record<string, number | string | string[] | undefined>;
type Middleware = (ctx: any, next: () => Promise<void>) => Promise<void>;

/**
 * Whether a config is plain data all through: plain objects and arrays (no getters, no symbol
 * keys, no Proxy, nothing inherited), strings, numbers, booleans and null. Anything else may give
 * another value at each request (a function as a CSP nonce, a getter, a Set or Map that helmet
 * iterates, an object's own toString), so such a config is never replayed.
 */
export function isPlainData(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return true;
  if (typeof value !== 'object' || types.isProxy(value)) return false;
  if (seen.has(value)) return true;
  seen.add(value);
  const prototype = Object.getPrototypeOf(value);
  const plain = Array.isArray(value) ? prototype === Array.prototype : prototype === Object.prototype || prototype === null;
  if (!plain || Object.getOwnPropertySymbols(value).length) return false;
  // Every own property a plain value (array items included: an index may be a getter too).
  return Object.entries(Object.getOwnPropertyDescriptors(value)).every(
    ([name, descriptor]) => 'value' in descriptor && (Array.isArray(value) && name === 'length' ? true : isPlainData(descriptor.value, seen))
  );
}

/** isPlainData, false when reading the value throws (a getter or a Proxy that throws, a config too deep). */
const safelyPlain = (value: unknown) => {
  try {
    return isPlainData(value);
  } catch {
    return false;
  }
};

const sameValue = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((item, i) => item === b[i]) : a === b;

const copy = <T>(value: T): T => (Array.isArray(value) ? ([...value] as T) : value);

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
 * nothing else), calling through to whatever the response had. `done` gets the calls when `run`
 * calls next, or null when the headers changed in a way the calls do not account for. The
 * response gets its own methods back however `run` ends (returns, rejects or throws).
 */
export function recordingHeaderCalls(res: any, run: (next: () => Promise<void>) => Promise<void>, next: () => Promise<void>, done: (changes: HeaderChanges | null) => void) {
  const calls: HeaderChanges = [];
  const before = res.getHeaders();
  const own = { setHeader: Object.hasOwn(res, 'setHeader'), removeHeader: Object.hasOwn(res, 'removeHeader') };
  const { setHeader, removeHeader } = res;
  res.setHeader = function (name: string, value: number | string | string[]) {
    calls.push([name, copy(value)]);
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
  let running: Promise<void>;
  try {
    running = run(() => {
      restore();
      done(sameHeaders(applyChanges(before, calls), res.getHeaders()) ? calls : null);
      return next();
    });
  } catch (error) {
    restore();
    throw error;
  }
  return Promise.resolve(running).finally(restore);
}

/**
 * `security` (one instance of strapi::security, built with `config`) for the requests `routeOf`
 * names: the first request of each route runs it with its header calls recorded, the next ones
 * get the same calls. The records belong to this instance: a route-level strapi::security with a
 * config of its own records its own. Every other request runs `security`.
 */
export function replayingSecurity(
  security: Middleware,
  config: unknown,
  routeOf: (ctx: any) => string | null,
  counts: ReplayCounts
): Middleware {
  /** null: not replayable (the calls did not account for every change, or the config is no longer plain data). */
  const recorded = new Map<string, HeaderChanges | null>();
  return (ctx, next) => {
    const route = routeOf(ctx);
    if (!route) return security(ctx, next);
    const changes = recorded.get(route);
    if (changes) {
      counts.replayed += 1;
      for (const [name, ...value] of changes) {
        if (value.length) ctx.res.setHeader(name, copy(value[0]));
        else ctx.res.removeHeader(name);
      }
      return next();
    }
    if (changes === null) return security(ctx, next);
    return recordingHeaderCalls(ctx.res, (inner) => security(ctx, inner), next, (calls) => {
      // Read again here: something may have changed the config after the middleware was built.
      const replayable = calls && safelyPlain(config) ? calls : null;
      recorded.set(route, replayable);
      counts.recorded += 1;
      if (replayable) counts.routes.add(route);
    });
  };
}

/**
 * Whether `factory` is Strapi's own strapi::security: the `security` export of a loaded
 * `@strapi/core/dist/middlewares/security.js` (found among the loaded modules, not resolved from
 * the plugin, which may see another copy of @strapi/core than Strapi's under pnpm or a link).
 */
function isStrapiSecurity(factory: unknown): boolean {
  const file = path.join('@strapi', 'core', 'dist', 'middlewares', 'security.js');
  const loaded = typeof require === 'undefined' ? [] : Object.values(require.cache);
  return loaded.some((module) => module?.filename.endsWith(file) && module.exports?.security === factory);
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
 * `/documentation`, the GraphQL playground's endpoint or the admin's: settings that do not change
 * while the app runs, so the answer is the same for every path of one route.
 * So, through Strapi's own `extend` of a registered middleware, the route's first request runs
 * strapi::security with its setHeader and removeHeader calls recorded, kept only if they account
 * for every change it made to the headers; the next requests get the same calls, then go on down
 * the same list. Every other request runs strapi::security as before, and so does every request
 * when its config is not plain data (a function as a CSP nonce, a getter, a Set: see isPlainData)
 * or when strapi::security is no longer Strapi's own (a plugin registered before this one wrapped
 * it, and may answer per request). The config is checked when the middleware is built and again at
 * the first request; a config changed in place after that is not seen (Strapi's is read at boot).
 * `replaySecurityHeaders: false` turns it off.
 */
export function replaySecurityHeaders(strapi: Core.Strapi) {
  const config = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const registry = strapi.get('middlewares') as { get(uid: string): unknown; extend(uid: string, wrap: (factory: any) => any): unknown };
  const factory = registry.get(SECURITY);
  if (!config.replaySecurityHeaders || !factory) return;
  if (!isStrapiSecurity(factory)) {
    strapi.log.debug(`[privacy-centre] ${SECURITY} is not @strapi/core's own (wrapped, or not found among the loaded modules): it runs for every request of the fast paths too`);
    return;
  }
  registry.extend(SECURITY, (strapiFactory: (config: unknown, context: { strapi: Core.Strapi }) => unknown) => (securityConfig: unknown, context: { strapi: Core.Strapi }) => {
    const security = strapiFactory(securityConfig, context) as Middleware | undefined;
    if (typeof security !== 'function' || !safelyPlain(securityConfig)) return security;
    const policy = currentPolicyPath(strapi);
    const consents = consentsPath(strapi);
    const routeOf = (ctx: any): string | null => {
      if ((ctx.method === 'GET' || ctx.method === 'HEAD') && policy.test(ctx.path)) return `${ctx.method} current`;
      if (ctx.method === 'POST' && consents.test(ctx.path)) return 'POST consents';
      return null;
    };
    return replayingSecurity(security, securityConfig, routeOf, strapi.plugin('privacy-centre').service('security-replay').counts);
  });
}
