import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from './config';
import { registerPolicyVersionGuard } from './guards/policy-version';
import { registerFrozenRecordGuard } from './guards/frozen-records';
import { cookieDeclarationRule } from './guards/cookie-declaration';
import { consentRecordRule } from './guards/consent-record';
import { BODY_GUARD_MIDDLEWARE } from './middlewares/body-guard';
import { CURRENT_POLICY_MIDDLEWARE } from './middlewares/current-policy';
import { CONSENT_FAST_PATH_MIDDLEWARE } from './middlewares/consent-fast-path';
import { redactTokensInRequestLogs } from './middlewares/redact-tokens';
import { replaySecurityHeaders } from './middlewares/security-replay';
import contractDocument from './contract/openapi.json';
import { toDocumentationOverride } from './contract/openapi30';

/** The plugin's middlewares, in the order they are put in place. */
// The body guard before the consent fast path: its size and encoding checks hold there too.
export const PLUGIN_MIDDLEWARES = [CURRENT_POLICY_MIDDLEWARE, BODY_GUARD_MIDDLEWARE, CONSENT_FAST_PATH_MIDDLEWARE];

/** The middlewares that answer requests themselves, skipping whatever is listed after them. */
const FAST_PATHS = [CURRENT_POLICY_MIDDLEWARE, CONSENT_FAST_PATH_MIDDLEWARE];

/**
 * Strapi's middlewares that may follow `strapi::body` without being skipped by a fast path's
 * answer: session and query only extend the app when they are created (their place in the list
 * does nothing), favicon answers `/favicon.ico` alone, and public only adds routes.
 */
const INERT_AFTER_BODY = ['strapi::session', 'strapi::query', 'strapi::favicon', 'strapi::public'];

type MiddlewareEntry = string | { name?: string; resolve?: string; config?: unknown };
const nameOf = (entry: MiddlewareEntry) => (typeof entry === 'string' ? entry : entry.name ?? entry.resolve);

/** Strapi's own list, used when an app has no config/middlewares. */
const STRAPI_DEFAULT_MIDDLEWARES = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::session',
  'strapi::query',
  'strapi::body',
  'strapi::favicon',
  'strapi::public',
];

/**
 * Puts the plugin's middlewares into the app's list, unless the app lists them itself or sets
 * `installMiddlewares: false`: right before `strapi::body`, so that every middleware the app lists
 * ahead of it (its own block lists, bot filters and audit loggers as well as Strapi's logging,
 * error JSON, security headers and CORS) also sees what the fast paths answer. A middleware listed
 * after `strapi::body` would be skipped by their answers: then the fast paths stay out (the routes
 * answer) and one warning says why. The body guard goes in either way. Runs in register: Strapi
 * builds the middleware stack between register and bootstrap.
 */
export function installMiddlewares(strapi: Core.Strapi) {
  const config = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  if (!config.installMiddlewares) return;
  const list = [...((strapi.config.get('middlewares') as MiddlewareEntry[] | undefined) ?? STRAPI_DEFAULT_MIDDLEWARES)];
  let missing = PLUGIN_MIDDLEWARES.filter((name) => !list.some((entry) => nameOf(entry) === name));
  if (!missing.length) return;
  // strapi::body is one of Strapi's required middlewares; without it in the list, Strapi refuses to boot.
  let body = list.findIndex((e) => nameOf(e) === 'strapi::body');
  if (body < 0) body = list.length;
  const skipped = list
    .slice(body + 1)
    .map(nameOf)
    .filter((name): name is string => Boolean(name) && !INERT_AFTER_BODY.includes(name!) && !PLUGIN_MIDDLEWARES.includes(name!));
  const leftOut = missing.filter((name) => FAST_PATHS.includes(name));
  if (skipped.length && leftOut.length) {
    missing = missing.filter((name) => !FAST_PATHS.includes(name));
    const routes = leftOut.map((name) => (name === CURRENT_POLICY_MIDDLEWARE ? 'GET …/policies/:slug/current' : 'POST …/consents'));
    strapi.log.warn(
      `[privacy-centre] the fast path${routes.length > 1 ? 's' : ''} of ${routes.join(' and ')} ${routes.length > 1 ? 'are' : 'is'} off: ` +
        `${skipped.map((name) => `"${name}"`).join(', ')} ${skipped.length > 1 ? 'are' : 'is'} listed after strapi::body in config/middlewares, ` +
        `and an answer from a fast path (put right before strapi::body) would skip it. The routes answer instead. ` +
        `List it before strapi::body, if it does not need the parsed body, to have them back.`
    );
  }
  list.splice(body, 0, ...missing);
  // The consent fast path must come after the body guard, wherever the app listed the guard.
  const guard = list.findIndex((e) => nameOf(e) === BODY_GUARD_MIDDLEWARE);
  const fast = list.findIndex((e) => nameOf(e) === CONSENT_FAST_PATH_MIDDLEWARE);
  if (missing.includes(CONSENT_FAST_PATH_MIDDLEWARE) && guard > fast) {
    const [entry] = list.splice(fast, 1);
    list.splice(guard, 0, entry);
  }
  strapi.config.set('middlewares', list);
}

/**
 * With @strapi/plugin-documentation installed, its Swagger UI shows the plugin's public routes as
 * the plugin's own document describes them (as users-permissions registers its own), converted to
 * the OpenAPI 3.0 it serves; its generator leaves the plugin alone.
 */
export function registerWithDocumentation(strapi: Core.Strapi) {
  const override = strapi.plugin('documentation')?.service('override');
  if (!override?.registerOverride) return;
  override.registerOverride(toDocumentationOverride(contractDocument), { excludeFromGeneration: ['privacy-centre'] });
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // In register, so the guard holds for every caller of strapi.documents() and strapi.db.query()
  // (the Content Manager included) from the first request on.
  registerPolicyVersionGuard(strapi);
  registerFrozenRecordGuard(strapi, cookieDeclarationRule);
  registerFrozenRecordGuard(strapi, consentRecordRule);
  installMiddlewares(strapi);
  replaySecurityHeaders(strapi);
  redactTokensInRequestLogs(strapi);
  registerWithDocumentation(strapi);

  // A locale added, changed or deleted, or a new default, is seen at once on this instance, within
  // a second on others (services/generations), and moves the Last-Modified of the answers that depend on it.
  const localesChanged = async () => {
    await strapi.plugin('privacy-centre').service('locales').changed();
    await strapi.plugin('privacy-centre').service('generations').bump('settings');
  };
  strapi.db.lifecycles.subscribe({
    models: ['plugin::i18n.locale'],
    afterCreate: localesChanged,
    afterUpdate: localesChanged,
    afterDelete: localesChanged,
  } as any);
  const isDefaultLocale = (event: { result?: { key?: unknown } }) => event?.result?.key === 'plugin_i18n_default_locale';
  strapi.db.lifecycles.subscribe({
    models: ['strapi::core-store'],
    afterCreate: (event: any) => (isDefaultLocale(event) ? localesChanged() : undefined),
    afterUpdate: (event: any) => (isDefaultLocale(event) ? localesChanged() : undefined),
  } as any);
};
