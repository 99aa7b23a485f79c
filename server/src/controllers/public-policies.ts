import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { params, queries } from '../contract/schemas';
import { validated } from '../contract/validate';
import type { Representation } from '../services/answer-cache';
import { IntegrityError } from '../services/policy-versions';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** The route's reading of `:slug`; the fast-path middleware reads it the same way. */
export const parseSlug = (slug: unknown): string => validated(params.slug, slug);

/** The route's reading of `?locale=`; the fast-path middleware reads it the same way. */
export const parseLocale = (locale: unknown): string | undefined => validated(queries.locale, locale);

/** Sends a cached representation, or 304 when the client's copy is still valid. */
export const send = (ctx: Context, representation: Representation, contentType = 'application/json; charset=utf-8') => {
  ctx.status = 200;
  ctx.set('ETag', representation.etag);
  ctx.set('Last-Modified', representation.lastModified);
  ctx.set('Cache-Control', representation.cacheControl);
  if (representation.contentLanguage) ctx.set('Content-Language', representation.contentLanguage);
  // Appended, never set: strapi::cors has put `Origin` there for a CDN to key on.
  ctx.vary('Accept-Encoding');
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  // Set as a header, not ctx.type, which looks the type up again on every request.
  ctx.set('Content-Type', contentType);
  ctx.body = representation.bytes;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const versions = () => strapi.plugin('privacy-centre').service('policy-versions');
  const publicPolicies = () => strapi.plugin('privacy-centre').service('policy-public');

  const notFound = async (slug: string, what: string) => {
    if (!(await versions().slugExists(slug))) return new errors.NotFoundError(`No policy "${slug}" has been published`);
    return new errors.NotFoundError(`${slug} has ${what}`);
  };

  /** A version that fails its integrity check is not served: a 500 that says why, no content. */
  const serve = async (ctx: Context, build: () => Promise<Representation | null>, missing: () => Promise<Error>) => {
    let representation: Representation | null;
    try {
      representation = await build();
    } catch (error) {
      if (!(error instanceof IntegrityError)) throw error;
      ctx.status = 500;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        data: null,
        error: {
          status: 500,
          name: 'IntegrityError',
          message: `${error.slug} v${error.version} cannot be served: its stored content no longer matches the seal (hash and signature) made at publication. The site owner has been notified.`,
        },
      };
      return;
    }
    if (!representation) throw await missing();
    send(ctx, representation);
  };

  return {
    async current(ctx: Context) {
      const slug = parseSlug(ctx.params.slug);
      const locale = parseLocale(ctx.query.locale);
      await serve(ctx, () => publicPolicies().current(slug, locale), () => notFound(slug, 'no version in force yet'));
    },

    async upcoming(ctx: Context) {
      const slug = parseSlug(ctx.params.slug);
      const locale = parseLocale(ctx.query.locale);
      await serve(ctx, () => publicPolicies().upcoming(slug, locale), () => notFound(slug, 'no scheduled version'));
    },

    async version(ctx: Context) {
      const slug = parseSlug(ctx.params.slug);
      const raw = validated(params.version, ctx.params.version);
      const locale = parseLocale(ctx.query.locale);
      await serve(ctx, () => publicPolicies().version(slug, Number(raw), locale), () => notFound(slug, `no published version ${raw}`));
    },

    async changes(ctx: Context) {
      const slug = parseSlug(ctx.params.slug);
      const raw = validated(params.version, ctx.params.version);
      const locale = parseLocale(ctx.query.locale);
      await serve(ctx, () => publicPolicies().changes(slug, Number(raw), locale), () => notFound(slug, `no published version ${raw}`));
    },

    async versions(ctx: Context) {
      const slug = parseSlug(ctx.params.slug);
      await serve(ctx, () => publicPolicies().versions(slug), () => notFound(slug, 'no published version'));
    },
  };
};
