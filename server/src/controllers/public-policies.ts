import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { LOCALE_PATTERN, SLUG_PATTERN } from '../services/policies';
import type { Representation } from '../services/policy-cache';

type Context = Parameters<Core.MiddlewareHandler>[0];

export const slugOf = (ctx: Context) => {
  const { slug } = ctx.params;
  if (typeof slug !== 'string' || slug.length > 64 || !SLUG_PATTERN.test(slug)) {
    throw new errors.ValidationError('slug must be lowercase letters, digits and dashes, e.g. "privacy-policy"');
  }
  return slug;
};

export const localeOf = (ctx: Context): string | undefined => {
  const { locale } = ctx.query;
  if (locale === undefined) return undefined;
  if (typeof locale !== 'string' || locale.length > 35 || !LOCALE_PATTERN.test(locale)) {
    throw new errors.ValidationError('locale must be a locale code such as "en", "fi" or "pt-BR"');
  }
  return locale;
};

/** Sends a cached representation, or 304 when the client's copy is still valid. */
export const send = (ctx: Context, representation: Representation) => {
  ctx.status = 200;
  ctx.set('ETag', representation.etag);
  ctx.set('Last-Modified', representation.lastModified);
  ctx.set('Cache-Control', representation.cacheControl);
  ctx.set('Content-Language', representation.contentLanguage);
  ctx.set('Vary', 'Accept-Encoding');
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  // Set as a header, not ctx.type, which looks the type up again on every request.
  ctx.set('Content-Type', 'application/json; charset=utf-8');
  ctx.body = representation.bytes;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const policies = () => strapi.plugin('privacy-centre').service('policies');
  const publicPolicies = () => strapi.plugin('privacy-centre').service('policy-public');

  const notFound = async (slug: string, what: string) => {
    if (!(await policies().slugExists(slug))) {
      return new errors.NotFoundError(`No policy "${slug}" has been published`);
    }
    return new errors.NotFoundError(`${slug} has ${what}`);
  };

  return {
    async current(ctx: Context) {
      const slug = slugOf(ctx);
      const representation = await publicPolicies().current(slug, localeOf(ctx));
      if (!representation) throw await notFound(slug, 'no version in force yet');
      send(ctx, representation);
    },

    async upcoming(ctx: Context) {
      const slug = slugOf(ctx);
      const representation = await publicPolicies().upcoming(slug, localeOf(ctx));
      if (!representation) throw await notFound(slug, 'no scheduled version');
      send(ctx, representation);
    },

    async version(ctx: Context) {
      const slug = slugOf(ctx);
      const raw = ctx.params.version;
      if (!/^[1-9][0-9]{0,8}$/.test(raw ?? '')) {
        throw new errors.ValidationError('version must be a positive whole number, e.g. /versions/3');
      }
      const representation = await publicPolicies().version(slug, Number(raw), localeOf(ctx));
      if (!representation) throw await notFound(slug, `no published version ${raw}`);
      send(ctx, representation);
    },

    async versions(ctx: Context) {
      const slug = slugOf(ctx);
      const versions = await policies().changelog(slug);
      if (!versions.length) throw await notFound(slug, 'no published version');
      ctx.set('Cache-Control', 'public, max-age=60, must-revalidate');
      ctx.body = { data: { slug, versions } };
    },
  };
};
