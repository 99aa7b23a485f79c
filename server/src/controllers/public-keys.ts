import type { Core } from '@strapi/strapi';
import { sha256Hex } from '../policy/canonical';

type Context = Parameters<Core.MiddlewareHandler>[0];

/**
 * `GET /keys`: every public key that ever signed a proof, as a JWK Set (RFC 7517) at the top
 * level (not under `data`), so that JOSE tools and the README's few lines of Node read it as is.
 * Retired keys stay listed forever: old proofs must stay checkable.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async jwks(ctx: Context) {
    const keys = strapi.plugin('privacy-centre').service('keys');
    // A key made by an instance that booted later is served here within seconds.
    await keys.reload();
    const text = JSON.stringify(keys.jwks());
    ctx.status = 200;
    ctx.set('ETag', `"${sha256Hex(text).slice(0, 40)}"`);
    // A new key appears only when the secret is rotated; five minutes of staleness is harmless
    // (a verifier meeting an unknown kid fetches again).
    ctx.set('Cache-Control', 'public, max-age=300');
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.set('Content-Type', 'application/json; charset=utf-8');
    ctx.body = text;
  },
});
