import type { Core } from '@strapi/strapi';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** Admin API of the cookie declaration: thin, the rules live in services/cookies and cookie-declarations. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const cookies = () => strapi.plugin('privacy-centre').service('cookies');
  const declarations = () => strapi.plugin('privacy-centre').service('cookie-declarations');
  const locales = () => strapi.plugin('privacy-centre').service('locales');
  const discovery = () => strapi.plugin('privacy-centre').service('discovery');
  const body = (ctx: Context) => (ctx.request as any).body ?? {};

  return {
    async overview(ctx: Context) {
      const { codes, defaultLocale } = await locales().get();
      ctx.body = { data: await cookies().overview(), meta: { codes, defaultLocale } };
    },
    async createCategory(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await cookies().createCategory(body(ctx), ctx.state.user) };
    },
    async updateCategory(ctx: Context) {
      ctx.body = { data: await cookies().updateCategory(ctx.params.key, body(ctx), ctx.state.user) };
    },
    async deleteCategory(ctx: Context) {
      await cookies().deleteCategory(ctx.params.key, ctx.state.user);
      ctx.status = 204;
    },
    async reorderCategories(ctx: Context) {
      ctx.body = { data: await cookies().reorderCategories(body(ctx), ctx.state.user) };
    },
    async createDefinition(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await cookies().createDefinition(body(ctx), ctx.state.user) };
    },
    async updateDefinition(ctx: Context) {
      ctx.body = { data: await cookies().updateDefinition(ctx.params.documentId, body(ctx), ctx.state.user) };
    },
    async deleteDefinition(ctx: Context) {
      await cookies().deleteDefinition(ctx.params.documentId, ctx.state.user);
      ctx.status = 204;
    },
    async reorderDefinitions(ctx: Context) {
      ctx.body = { data: await cookies().reorderDefinitions(body(ctx), ctx.state.user) };
    },
    async revisions(ctx: Context) {
      ctx.body = { data: await declarations().list() };
    },
    async revision(ctx: Context) {
      const number = Number(ctx.params.revision);
      const found = /^[1-9][0-9]{0,8}$/.test(ctx.params.revision) ? await declarations().revision(number) : null;
      if (!found) return ctx.notFound(`No cookie declaration revision ${String(ctx.params.revision).slice(0, 12)}`);
      ctx.body = { data: found };
    },
    /** Cookie discovery: the Discovery tab's lists (services/discovery). */
    async discovery(ctx: Context) {
      ctx.body = { data: await discovery().report(ctx.query) };
    },
    async defineObserved(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await discovery().define(body(ctx), ctx.state.user) };
    },
    async ignoreObserved(ctx: Context) {
      const { rule, created } = await discovery().ignore(body(ctx), ctx.state.user);
      ctx.status = created ? 201 : 200;
      ctx.body = { data: { documentId: rule.documentId, pattern: rule.pattern, note: rule.note ?? '', createdBy: rule.author, createdAt: rule.createdAt } };
    },
    async unignoreObserved(ctx: Context) {
      await discovery().unignore(ctx.params.documentId, ctx.state.user);
      ctx.status = 204;
    },
    async publish(ctx: Context) {
      ctx.body = { data: await declarations().publish(ctx.state.user) };
    },
  };
};
