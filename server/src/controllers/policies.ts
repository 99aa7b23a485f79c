import type { Core } from '@strapi/strapi';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** Admin API for policy versions: thin, the rules live in services/policies.ts. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const policies = () => strapi.plugin('privacy-centre').service('policies');
  const body = (ctx: Context) => (ctx.request as any).body ?? {};

  return {
    async list(ctx: Context) {
      ctx.body = { data: await policies().listDocuments(), meta: await policies().locales() };
    },
    async locales(ctx: Context) {
      ctx.body = { data: await policies().locales() };
    },
    async findOne(ctx: Context) {
      ctx.body = { data: await policies().getVersion(ctx.params.documentId) };
    },
    async createDraft(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await policies().createDraft(body(ctx), ctx.state.user) };
    },
    async updateDraft(ctx: Context) {
      ctx.body = { data: await policies().updateDraft(ctx.params.documentId, body(ctx), ctx.state.user) };
    },
    async deleteDraft(ctx: Context) {
      await policies().deleteDraft(ctx.params.documentId, ctx.state.user);
      ctx.status = 204;
    },
    async importText(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await policies().importText(body(ctx), ctx.state.user) };
    },
    async publish(ctx: Context) {
      ctx.body = { data: await policies().publish(ctx.params.documentId, body(ctx), ctx.state.user) };
    },
    async withdraw(ctx: Context) {
      ctx.body = { data: await policies().withdraw(ctx.params.documentId, ctx.state.user) };
    },
  };
};
