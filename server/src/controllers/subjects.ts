import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { actionUid } from '../permissions/actions';
import { bodyOf } from './link-pages';

type Context = Parameters<Core.MiddlewareHandler>[0];

const body = (ctx: Context): Record<string, any> => bodyOf(ctx);

/** A JSON download: never cached, named by what and when. */
const download = (ctx: Context, name: string, value: unknown) => {
  ctx.set('Content-Type', 'application/json; charset=utf-8');
  ctx.set('Content-Disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.json"`);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = JSON.stringify(value, null, 2);
};

/**
 * Admin API of data subjects: thin, the rules live in services/subjects and
 * services/subject-requests. A person is named in a POST body, never in a URL (which proxies and
 * access logs keep).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const subjects = () => strapi.plugin('privacy-centre').service('subjects');
  const requests = () => strapi.plugin('privacy-centre').service('subject-requests');
  return {
    async listRequests(ctx: Context) {
      ctx.body = await requests().list(ctx.query);
    },
    async summary(ctx: Context) {
      ctx.body = { data: await requests().summary() };
    },
    async findRequest(ctx: Context) {
      ctx.body = { data: await requests().findOne(String(ctx.params.documentId)) };
    },
    async createRequest(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await requests().create((ctx.request as any).body, ctx.state.user) };
    },
    async updateRequest(ctx: Context) {
      ctx.body = { data: await requests().update(String(ctx.params.documentId), (ctx.request as any).body, ctx.state.user) };
    },
    async acknowledgeRequest(ctx: Context) {
      ctx.body = { data: await requests().acknowledge(String(ctx.params.documentId), (ctx.request as any).body ?? {}, ctx.state.user) };
    },
    async metrics(ctx: Context) {
      ctx.body = { data: await requests().metrics(ctx.query) };
    },
    /** CCPA § 7102 metrics as CSV: counts only, no person in it. */
    async metricsExport(ctx: Context) {
      const csv = await requests().metricsCsv(ctx.query);
      const { year, jurisdiction } = ctx.query as Record<string, string | undefined>;
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="request-metrics-${/^\d{4}$/.test(year ?? '') ? year : new Date().getUTCFullYear()}${jurisdiction && /^[A-Z0-9_]{1,16}$/.test(jurisdiction) ? `-${jurisdiction}` : ''}.csv"`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = csv;
    },
    async extendRequest(ctx: Context) {
      ctx.body = { data: await requests().extend(String(ctx.params.documentId), (ctx.request as any).body, ctx.state.user) };
    },
    /**
     * Needs subjects.manage (the route) and what carrying it out does: subjects.export to send an
     * export, subjects.erase to erase; otherwise manage alone would reach both.
     */
    async carryOut(ctx: Context) {
      const documentId = String(ctx.params.documentId);
      const { type } = await requests().findOne(documentId);
      const needed = type === 'erasure' ? actionUid('subjects', 'erase') : actionUid('subjects', 'export');
      if (!ctx.state.userAbility?.can(needed)) throw new errors.ForbiddenError(`carrying out this request needs the ${needed} permission`);
      ctx.body = { data: await requests().carryOut(documentId, ctx.state.user) };
    },
    async search(ctx: Context) {
      ctx.body = { data: await subjects().search(body(ctx).query, ctx.state.user) };
    },
    async export(ctx: Context) {
      download(ctx, 'personal-data', await subjects().exportFor(body(ctx).query, ctx.state.user));
    },
    async erasurePlan(ctx: Context) {
      ctx.body = { data: await subjects().erasurePlan(body(ctx).query) };
    },
    async erase(ctx: Context) {
      ctx.body = { data: { erased: await subjects().eraseFor(body(ctx).query, body(ctx).confirm, ctx.state.user) } };
    },
    async evidence(ctx: Context) {
      ctx.body = { data: await subjects().evidence(body(ctx).query, ctx.state.user) };
    },
    async evidenceBundle(ctx: Context) {
      download(ctx, 'evidence', await subjects().evidenceBundle(body(ctx).query, ctx.state.user));
    },
  };
};
