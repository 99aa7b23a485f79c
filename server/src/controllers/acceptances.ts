import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** Admin API of policy acceptances, per published version: thin, the rules live in services/acceptances. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const plugin = () => strapi.plugin('privacy-centre');

  /** The slug and number of a published version, by its documentId. */
  const versionOf = async (ctx: Context) => {
    const rows = await plugin().service('policy-versions').rowsOf(String(ctx.params.documentId));
    const row = rows.find((r: { version?: number | null; lifecycle: string }) => r.version && r.lifecycle === 'published');
    if (!row) throw new errors.NotFoundError('No published policy version with this documentId');
    return { slug: row.slug as string, version: row.version as number };
  };

  return {
    /** How many active users accepted this version, how many must still, and a page of its acceptances. */
    async list(ctx: Context) {
      const { slug, version } = await versionOf(ctx);
      const [summary, page] = await Promise.all([
        plugin().service('acceptances').versionSummary(slug, version),
        plugin().service('acceptances').list(slug, version, ctx.query),
      ]);
      ctx.body = { ...page, summary };
    },

    /** A streamed CSV; audited, since it lists who accepted. */
    async export(ctx: Context) {
      const { slug, version } = await versionOf(ctx);
      const stream = plugin().service('acceptances').exportCsv(slug, version);
      await plugin().service('audit').record(ctx.state.user, 'acceptances.export', `${slug} v${version}`, {});
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="acceptances-${slug}-v${version}.csv"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = stream;
    },
  };
};
