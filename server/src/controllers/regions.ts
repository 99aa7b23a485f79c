import type { Core } from '@strapi/strapi';

/** Settings → Regions: thin, the rules (and the audit) live in services/regions. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const regions = () => strapi.plugin('privacy-centre').service('regions');
  return {
    async find(ctx) {
      ctx.body = { data: await regions().describe() };
    },
    async update(ctx) {
      ctx.body = { data: await regions().update(ctx.request.body, ctx.state.user) };
    },
    async reset(ctx) {
      ctx.body = { data: await regions().reset(ctx.state.user) };
    },
  } satisfies Record<string, Core.MiddlewareHandler>;
};
