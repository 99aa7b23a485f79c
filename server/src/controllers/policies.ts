import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { actionUid } from '../permissions/actions';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** Admin API for policy versions: thin, the rules live in services/policy-*.ts. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = (name: 'policy-versions' | 'policy-drafts' | 'policy-publication' | 'locales' | 'notices') =>
    strapi.plugin('privacy-centre').service(name);
  const body = (ctx: Context) => (ctx.request as any).body ?? {};

  return {
    async list(ctx: Context) {
      ctx.body = { data: await service('policy-versions').listDocuments(), meta: await service('locales').get() };
    },
    async locales(ctx: Context) {
      ctx.body = { data: await service('locales').get() };
    },
    async findOne(ctx: Context) {
      ctx.body = { data: await service('policy-versions').getVersion(ctx.params.documentId) };
    },
    async verify(ctx: Context) {
      ctx.body = { data: await service('policy-versions').verifyAll(ctx.state.user) };
    },
    async createDraft(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await service('policy-drafts').createDraft(body(ctx), ctx.state.user) };
    },
    async updateDraft(ctx: Context) {
      ctx.body = { data: await service('policy-drafts').updateDraft(ctx.params.documentId, body(ctx), ctx.state.user) };
    },
    async deleteDraft(ctx: Context) {
      await service('policy-drafts').deleteDraft(ctx.params.documentId, ctx.state.user);
      ctx.status = 204;
    },
    async importText(ctx: Context) {
      // The route asks for policies.create; writing into an existing draft is an edit as well.
      if ((await service('policy-drafts').writesExistingDraft(body(ctx))) && !ctx.state.userAbility?.can(actionUid('policies', 'update'))) {
        // A PolicyError is the 403 whose message Strapi passes on (a ForbiddenError's is replaced).
        throw new errors.PolicyError('Importing into an existing draft edits it: that needs the policies.update permission too');
      }
      ctx.status = 201;
      ctx.body = { data: await service('policy-drafts').importText(body(ctx), ctx.state.user) };
    },
    async publish(ctx: Context) {
      ctx.body = { data: await service('policy-publication').publish(ctx.params.documentId, body(ctx), ctx.state.user) };
    },
    async withdraw(ctx: Context) {
      ctx.body = { data: await service('policy-publication').withdraw(ctx.params.documentId, ctx.state.user) };
    },
    /** `data: null` for a version that has no notice (not material). */
    async notice(ctx: Context) {
      ctx.body = { data: await service('notices').progress(ctx.params.documentId) };
    },
    async pauseNotice(ctx: Context) {
      ctx.body = { data: await service('notices').pause(ctx.params.documentId, ctx.state.user) };
    },
    async resumeNotice(ctx: Context) {
      ctx.body = { data: await service('notices').resume(ctx.params.documentId, ctx.state.user) };
    },
  };
};
