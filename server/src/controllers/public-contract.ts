import type { Core } from '@strapi/strapi';
import document from '../contract/openapi.json';
import { sha256Hex } from '../policy/canonical';

type Context = Parameters<Core.MiddlewareHandler>[0];

// The committed document, serialised once: it changes only with the plugin.
const text = JSON.stringify(document);
const etag = `"${sha256Hex(text).slice(0, 40)}"`;

/** `GET /openapi.json`: the plugin's own OpenAPI 3.1 document of its public routes. */
export default (_: { strapi: Core.Strapi }) => ({
  async document(ctx: Context) {
    ctx.status = 200;
    ctx.set('ETag', etag);
    // It changes only when the plugin is upgraded: an hour of staleness is harmless.
    ctx.set('Cache-Control', 'public, max-age=3600');
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.set('Content-Type', 'application/json; charset=utf-8');
    ctx.body = text;
  },
});
