import type { Core } from '@strapi/strapi';
import { errors, type z } from '@strapi/utils';
import {
  describeIssues,
  getSubjectQuery,
  initQuery,
  patchSubjectBody,
  postSubjectBody,
  subjectParams,
} from '../contract/c15t';
import { DeclarationIntegrityError } from '../services/cookie-declarations';
import { ConsentWriteError } from '../services/consent-writer';
import { ChainForkError, RequestConflictError } from '../services/consents';
import { recordLanguage } from '../services/c15t';

type Context = Parameters<Core.MiddlewareHandler>[0];

/** The input as the route's schema reads it, or a 400 in Strapi's shape naming every problem. */
function valid<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error);
  throw new errors.ValidationError(`${what}: ${problems.join('; ')}`, { errors: problems });
}

const fail = (ctx: Context, status: number, name: string, message: string) => {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message } };
};

/** c15t's answers are its own shapes (no `data` envelope); errors keep Strapi's. Never cached. */
async function answering(ctx: Context, handle: () => Promise<{ status?: number; body: unknown }>) {
  ctx.set('Cache-Control', 'no-store');
  try {
    const { status = 200, body } = await handle();
    ctx.status = status;
    ctx.body = body;
  } catch (thrown) {
    if (thrown instanceof ConsentWriteError) {
      // c15t retries a 503 itself (3 times, with backoff) before it queues the consent offline.
      ctx.set('Retry-After', '1');
      return fail(ctx, 503, 'ServiceUnavailableError', thrown.message);
    }
    if (thrown instanceof ChainForkError || thrown instanceof RequestConflictError) {
      return fail(ctx, 409, 'ConflictError', 'another decision of this subject was recorded at the same moment: save again');
    }
    if (thrown instanceof DeclarationIntegrityError) {
      return fail(ctx, 500, 'IntegrityError', `cookie declaration revision ${thrown.revision} fails its integrity check and cannot be used. The site owner has been notified.`);
    }
    throw thrown;
  }
}

/** c15t 2.x hosted mode: parse, validate against the contract, call the c15t service. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const c15t = () => strapi.plugin('privacy-centre').service('c15t');
  const header = (ctx: Context) => (name: string) => ctx.get(name) || undefined;

  return {
    async init(ctx: Context) {
      await answering(ctx, async () => {
        const query = valid(initQuery, ctx.query, 'invalid query');
        // The answer depends on these request headers: a shared cache must key on them.
        ctx.set('Vary', ['Accept-Language', ...strapi.plugin('privacy-centre').service('regions').decidingHeaders()].join(', '));
        return { body: await c15t().init(query.lang, header(ctx)) };
      });
    },

    async record(ctx: Context) {
      await answering(ctx, async () => {
        const body = valid(postSubjectBody, (ctx.request as any).body, 'invalid consent');
        const { created, output } = await c15t().recordSubject(body, {
          ip: ctx.request.ip,
          userAgent: ctx.get('User-Agent') || undefined,
          gpc: ctx.get('Sec-GPC').trim() === '1',
          // c15t's fetch sends the page's Referer (its origin, under the default referrer policy); Origin else.
          referer: ctx.get('Referer') || ctx.get('Origin') || undefined,
          language: recordLanguage(ctx.get('Accept-Language') || undefined),
          jurisdiction: await strapi.plugin('privacy-centre').service('regions').resolve((name: string) => ctx.get(name) || undefined),
        });
        return { status: created ? 201 : 200, body: output };
      });
    },

    async subject(ctx: Context) {
      await answering(ctx, async () => {
        const { id } = valid(subjectParams, ctx.params, 'invalid subject id');
        const query = valid(getSubjectQuery, ctx.query, 'invalid query');
        const types = query.type?.split(',').map((t) => t.trim());
        const subject = await c15t().subject(id);
        // Only cookie-banner consents are recorded here: another type finds none.
        if (types && !types.includes('cookie_banner')) subject.consents = [];
        return { body: subject };
      });
    },

    async identify(ctx: Context) {
      await answering(ctx, async () => {
        const { id } = valid(subjectParams, ctx.params, 'invalid subject id');
        const body = valid(patchSubjectBody, (ctx.request as any).body, 'invalid identify');
        return { body: await c15t().identify(id, body) };
      });
    },
  };
};
