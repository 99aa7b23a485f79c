import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { parseLocale, send } from './public-policies';
import { DeclarationIntegrityError } from '../services/cookie-declarations';
import { ConsentWriteError } from '../services/consent-writer';
import { ChainForkError, RequestConflictError } from '../services/consents';
import { params, queries } from '../contract/schemas';
import { validated } from '../contract/validate';

type Context = Parameters<Core.MiddlewareHandler>[0];

const error = (ctx: Context, status: number, name: string, message: string) => {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { data: null, error: { status, name, message } };
};

/** What the plugin's own failures answer: clear, in Strapi's error shape. */
export async function answering(ctx: Context, handle: () => Promise<void>) {
  try {
    await handle();
  } catch (thrown) {
    if (thrown instanceof ConsentWriteError) {
      ctx.set('Retry-After', '1');
      return error(ctx, 503, 'ServiceUnavailableError', thrown.message);
    }
    if (thrown instanceof RequestConflictError) {
      return error(ctx, 409, 'ConflictError', 'this requestId was used for another decision: a retry must send the same body');
    }
    if (thrown instanceof ChainForkError) {
      return error(ctx, 409, 'ConflictError', 'previousConsentId was updated or withdrawn already: continue from the latest receipt (a retry must send the same requestId)');
    }
    if (thrown instanceof DeclarationIntegrityError) {
      return error(ctx, 500, 'IntegrityError', `cookie declaration revision ${thrown.revision} fails its integrity check and cannot be used. The site owner has been notified.`);
    }
    throw thrown;
  }
}

/** Marks the plugin's own `record` handler: the fast path steps aside when an app replaced it. */
export const OWN_RECORD = Symbol.for('privacy-centre.public-consents.record');

/**
 * `POST /consents`: records the decision in `body` and answers its receipt. The route and the
 * fast path (middlewares/consent-fast-path.ts) both answer through this, so they answer alike.
 */
export async function recordConsent(strapi: Core.Strapi, ctx: Context, body: unknown) {
  await answering(ctx, async () => {
    const { receipt, created } = await strapi.plugin('privacy-centre').service('consents').record(body, {
      ip: ctx.request.ip,
      userAgent: ctx.get('User-Agent') || undefined,
      gpc: ctx.get('Sec-GPC').trim() === '1',
      referer: ctx.get('Referer') || undefined,
      jurisdiction: await strapi.plugin('privacy-centre').service('regions').resolve((name: string) => ctx.get(name) || undefined),
    });
    ctx.status = created ? 201 : 200;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: receipt };
  });
}

/** Public API of the cookie declaration and consent: thin, the rules live in services. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const consents = () => strapi.plugin('privacy-centre').service('consents');
  const declarations = () => strapi.plugin('privacy-centre').service('cookie-declarations');
  const regions = () => strapi.plugin('privacy-centre').service('regions');

  return {
    async declaration(ctx: Context) {
      const locale = parseLocale(ctx.query.locale);
      await answering(ctx, async () => {
        const header = (name: string) => ctx.get(name) || undefined;
        const gpc = ctx.get('Sec-GPC').trim() === '1';
        const representation = await declarations().publicAnswer(locale, {
          jurisdiction: await regions().resolve(header),
          gpc,
          table: await regions().table(),
        });
        if (!representation) throw new errors.NotFoundError('No cookie declaration has been published yet');
        // The answer depends on these request headers: a shared cache must key on them.
        ctx.vary('Sec-GPC');
        for (const name of regions().decidingHeaders()) ctx.vary(name);
        send(ctx, representation);
      });
    },

    async consentMode(ctx: Context) {
      const { format = 'json' } = validated(queries.consentModeFormat, ctx.query);
      await answering(ctx, async () => {
        const representation = await declarations().consentModeAnswer(format);
        if (!representation) throw new errors.NotFoundError('No cookie declaration has been published yet');
        send(ctx, representation, format === 'script' ? 'text/javascript; charset=utf-8' : undefined);
      });
    },

    record: Object.assign(
      async (ctx: Context) => {
        await recordConsent(strapi, ctx, (ctx.request as any).body);
      },
      { [OWN_RECORD]: true }
    ),

    async status(ctx: Context) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: await consents().status(validated(params.consentId, ctx.params.consentId)) };
    },

    async verify(ctx: Context) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: await consents().verify((ctx.request as any).body) };
    },
  };
};
