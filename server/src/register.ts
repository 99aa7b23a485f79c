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

/** The plugin's middlewares, in the order they are put in place. */
// The body guard before the consent fast path: its size and encoding checks hold there too.
export const PLUGIN_MIDDLEWARES = [CURRENT_POLICY_MIDDLEWARE, BODY_GUARD_MIDDLEWARE, CONSENT_FAST_PATH_MIDDLEWARE];

type MiddlewareEntry = string | { name?: string; resolve?: string; config?: unknown };
const nameOf = (entry: MiddlewareEntry) => (typeof entry === 'string' ? entry : entry.name);

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
 * `installMiddlewares: false`: right after `strapi::poweredBy` (or `strapi::cors`), so logging,
 * error JSON, security headers and CORS apply to what they answer, and always before
 * `strapi::body`. Runs in register: Strapi builds the middleware stack between register and
 * bootstrap.
 */
export function installMiddlewares(strapi: Core.Strapi) {
  const config = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  if (!config.installMiddlewares) return;
  const list = [...((strapi.config.get('middlewares') as MiddlewareEntry[] | undefined) ?? STRAPI_DEFAULT_MIDDLEWARES)];
  const missing = PLUGIN_MIDDLEWARES.filter((name) => !list.some((entry) => nameOf(entry) === name));
  if (!missing.length) return;
  const after = ['strapi::poweredBy', 'strapi::cors'].map((name) => list.findIndex((e) => nameOf(e) === name)).find((i) => i >= 0);
  const body = list.findIndex((e) => nameOf(e) === 'strapi::body');
  let at = after === undefined ? 0 : after + 1;
  if (body >= 0 && at > body) at = body;
  list.splice(at, 0, ...missing);
  // The consent fast path must come after the body guard, wherever the app listed the guard.
  const guard = list.findIndex((e) => nameOf(e) === BODY_GUARD_MIDDLEWARE);
  const fast = list.findIndex((e) => nameOf(e) === CONSENT_FAST_PATH_MIDDLEWARE);
  if (missing.includes(CONSENT_FAST_PATH_MIDDLEWARE) && guard > fast) {
    const [entry] = list.splice(fast, 1);
    list.splice(guard, 0, entry);
  }
  strapi.config.set('middlewares', list);
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // In register, so the guard holds for every caller of strapi.documents() and strapi.db.query()
  // (the Content Manager included) from the first request on.
  registerPolicyVersionGuard(strapi);
  registerFrozenRecordGuard(strapi, cookieDeclarationRule);
  registerFrozenRecordGuard(strapi, consentRecordRule);
  installMiddlewares(strapi);
  redactTokensInRequestLogs(strapi);

  // A locale added, changed or deleted, or a new default, is seen at once on this instance, within
  // the TTL on others, and moves the Last-Modified of the answers that depend on it.
  const localesChanged = async () => {
    await strapi.plugin('privacy-centre').service('locales').changed();
    strapi.plugin('privacy-centre').service('answer-cache').clear();
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
