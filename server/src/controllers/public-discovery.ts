import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';
import { CookieObservationInput, OBSERVATION_ORDER } from '../contract/schemas';
import { validated } from '../contract/validate';

type Context = Parameters<Core.MiddlewareHandler>[0];

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** Cookie discovery's intake: thin, the counting lives in services/discovery. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async observe(ctx: Context) {
    if (!(strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig).discovery.enabled) {
      throw new errors.NotFoundError('Cookie discovery is turned off on this site');
    }
    let body: unknown = (ctx.request as any).body;
    // navigator.sendBeacon sends the JSON as text/plain.
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        throw new errors.ValidationError('the body must be a JSON object (also when sent as text/plain)');
      }
    }
    if (!isPlainObject(body)) throw new errors.ValidationError('the body must be a JSON object');
    // zod's strict objects do not see an own __proto__ (JSON.parse makes one): refused like any unknown field.
    if (Object.hasOwn(body, '__proto__')) throw new errors.ValidationError('unknown field: __proto__');
    strapi.plugin('privacy-centre').service('discovery').observe(validated(CookieObservationInput, body, OBSERVATION_ORDER));
    // A tiny body: Koa turns an empty JSON answer into a 204, and sendBeacon reads none anyway.
    ctx.status = 202;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: { status: 'accepted' } };
  },
});
