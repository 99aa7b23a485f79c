import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** Admin API of the consent log: thin, the rules live in services/consents. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const consents = () => strapi.plugin('privacy-centre').service('consents');
  const audit = () => strapi.plugin('privacy-centre').service('audit');

  return {
    async list(ctx: Context) {
      ctx.body = await consents().list(ctx.query);
    },
    async detail(ctx: Context) {
      ctx.body = { data: await consents().detail(String(ctx.params.consentId)) };
    },
    async verify(ctx: Context) {
      ctx.body = { data: await consents().verify((ctx.request as any).body) };
    },
    async stats(ctx: Context) {
      ctx.body = { data: await consents().stats(ctx.query) };
    },
    /** A streamed download; audited, since it carries proof of many visitors' choices. */
    async export(ctx: Context) {
      const format = ctx.query.format ?? 'ndjson';
      if (format !== 'ndjson' && format !== 'csv' && format !== 'jsonld') throw new errors.ValidationError('format must be ndjson, csv or jsonld');
      const { format: _format, ...filters } = ctx.query as Record<string, unknown>;
      const stream = consents().export(filters, format);
      await audit().record(ctx.state.user, 'consents.export', `consent log (${format})`, { filters });
      const date = new Date().toISOString().slice(0, 10);
      const types = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8', jsonld: 'application/ld+json; charset=utf-8' };
      ctx.set('Content-Type', types[format as keyof typeof types]);
      ctx.set('Content-Disposition', `attachment; filename="consents-${date}.${format}"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = stream;
    },
  };
};
