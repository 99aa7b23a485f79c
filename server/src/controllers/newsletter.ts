import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** Admin API of the newsletter: thin, the rules live in services/newsletter-admin. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const admin = () => strapi.plugin('privacy-centre').service('newsletter-admin');
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  return {
    async list(ctx: Context) {
      ctx.body = await admin().list(ctx.query);
    },
    async detail(ctx: Context) {
      ctx.body = { data: await admin().detail(String(ctx.params.documentId)) };
    },
    async unsubscribe(ctx: Context) {
      ctx.body = { data: await admin().unsubscribe(String(ctx.params.documentId), (ctx.request as any).body?.reason, ctx.state.user) };
    },
    async stats(ctx: Context) {
      ctx.body = { data: await admin().stats(ctx.query) };
    },
    async export(ctx: Context) {
      const format = ctx.query.format ?? 'csv';
      if (format !== 'ndjson' && format !== 'csv') throw new errors.ValidationError('format must be ndjson or csv');
      const { format: _format, ...filters } = ctx.query as Record<string, unknown>;
      const stream = admin().export(filters, format);
      await audit().record(ctx.state.user, 'newsletter.export', `subscribers (${format})`, { filters });
      ctx.set('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="subscribers-${new Date().toISOString().slice(0, 10)}.${format}"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = stream;
    },
  };
};
