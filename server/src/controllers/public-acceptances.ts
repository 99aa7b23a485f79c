import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { AcceptanceInput } from '../contract/schemas';
import { validated } from '../contract/validate';
import { AcceptanceConflictError, type SiteUser } from '../services/acceptances';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** The users-permissions user the route's auth put there; the routes never run without one. */
const userOf = (ctx: Context): SiteUser => {
  const user = ctx.state.user as Partial<SiteUser> | undefined;
  if (!user || typeof user.documentId !== 'string' || typeof user.id !== 'number') {
    throw new errors.UnauthorizedError('sign in first: these routes answer a users-permissions user (Authorization: Bearer <jwt>)');
  }
  return { id: user.id, documentId: user.documentId };
};

/** Policy acceptance by the signed-in user: what is asked of them, accepting, checking a receipt. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const acceptances = () => strapi.plugin('privacy-centre').service('acceptances');
  return {
    async me(ctx) {
      const status = await acceptances().statusOf(userOf(ctx));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: status };
    },

    async accept(ctx) {
      const user = userOf(ctx);
      const input = validated(AcceptanceInput, ctx.request.body, ['slug', 'version', 'hash']);
      try {
        const { receipt, created } = await acceptances().accept(user, input, {
          ip: ctx.request.ip,
          userAgent: ctx.get('User-Agent') || undefined,
          referer: ctx.get('Referer') || undefined,
        });
        ctx.status = created ? 201 : 200;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { data: receipt };
      } catch (error) {
        if (!(error instanceof AcceptanceConflictError)) throw error;
        ctx.status = 409;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: error.message } };
      }
    },

    async verify(ctx) {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: await acceptances().verify(ctx.request.body) };
    },
  } satisfies Record<string, Core.MiddlewareHandler>;
};
