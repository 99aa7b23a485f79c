import type { Core } from '@strapi/strapi';

/** What a logged URL shows in place of a link token's value. */
export const REDACTED = '[redacted]';

/** The plugin's paths, public (`<api prefix>/privacy-centre/…`) and admin (`/privacy-centre/…`). */
const PLUGIN_PATH = /\/privacy-centre(?:\/|$)/i;

/** A query parameter name as qs (Strapi's query parser) decodes it: `+` is a space, `%74` a `t`. */
const decodedName = (name: string) => {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
};

/**
 * The URL as it may be logged: on the plugin's paths, the value of every query parameter whose
 * name starts with `token` (however the client spelt or encoded it, so also `%74oken=` and
 * `token[]=`, which the routes read as the token too or refuse) is replaced by `[redacted]`.
 * Other URLs are returned as they are.
 */
export function redactTokens(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0 || !PLUGIN_PATH.test(url.slice(0, mark))) return url;
  const pairs = url.slice(mark + 1).split('&');
  let changed = false;
  for (let i = 0; i < pairs.length; i += 1) {
    const equals = pairs[i].indexOf('=');
    if (equals < 0) continue;
    const name = pairs[i].slice(0, equals);
    if (!decodedName(name).trim().toLowerCase().startsWith('token')) continue;
    pairs[i] = `${name}=${REDACTED}`;
    changed = true;
  }
  return changed ? `${url.slice(0, mark)}?${pairs.join('&')}` : url;
}

/**
 * Keeps link tokens out of request logs. Strapi's request logger (`strapi::logger`) writes
 * `ctx.url` once the request is answered, and other loggers write `ctx.originalUrl`; on the
 * plugin's paths both now show `token=[redacted]`. They are redefined on the app's context
 * prototype (as `strapi::query` redefines `request.query`), not by a middleware, so that it holds
 * wherever the app lists its logger, and for the whole request (a middleware that put the URL back
 * after `next()` would restore it before the logger reads it). What routes read is untouched:
 * `ctx.query`, `ctx.querystring`, `ctx.path` and `ctx.request.url` come from the raw URL.
 */
export function redactTokensInRequestLogs(strapi: Core.Strapi) {
  const context = strapi.server.app.context as object;
  Object.defineProperty(context, 'url', {
    configurable: true,
    get(this: any) {
      return redactTokens(this.request.url);
    },
    set(this: any, value: string) {
      this.request.url = value;
    },
  });
  // Koa sets it on every new context (`context.originalUrl = request.originalUrl = req.url`).
  Object.defineProperty(context, 'originalUrl', {
    configurable: true,
    get(this: any) {
      return redactTokens(this.request.originalUrl);
    },
    set(this: any, value: string) {
      this.request.originalUrl = value;
    },
  });
}
