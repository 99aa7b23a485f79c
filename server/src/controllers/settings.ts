import type { Core } from '@strapi/strapi';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = () => strapi.plugin('privacy-centre').service('settings');
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  return {
    async find(ctx) {
      ctx.body = { data: { settings: await settings().get(), config: settings().describeConfig() } };
    },
    async update(ctx) {
      const before = await settings().get();
      const after = await settings().update(ctx.request.body);
      await audit().record(ctx.state.user, 'settings.update', 'settings', { before, after });
      ctx.body = { data: { settings: after, config: settings().describeConfig() } };
    },
  } satisfies Record<string, Core.MiddlewareHandler>;
};
