import type { Core } from '@strapi/strapi';
import { renderPage } from '../newsletter/pages';
import { bodyOf as body, htmlPage as html, isForm, linkToken } from './link-pages';
import { textLocale } from '../newsletter/texts';
import { REQUEST_ANSWER, RequestsBusyError } from '../services/subject-requests';
import { requestText } from '../subjects/texts';

type Context = Parameters<Core.MiddlewareHandler>[0];
type Row = Record<string, any>;

/**
 * Self-service data-subject requests. `POST /requests` answers the same 202 for every address;
 * the link it e-mails opens a page with one button (a GET changes nothing: scanners open links),
 * whose POST carries the request out.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const requests = () => strapi.plugin('privacy-centre').service('subject-requests');
  const localeOf = (ctx: Context, row: Row | null) => textLocale(row?.language ?? ctx.acceptsLanguages()?.[0] ?? 'en');
  const page = (ctx: Context, status: number, row: Row | null, title: string, text: string, form?: { token: string; button: string }) => {
    const locale = localeOf(ctx, row);
    html(ctx, status, renderPage({
      locale,
      title: requestText(locale, title),
      body: text,
      ...(form ? { form: { action: ctx.path, token: form.token, button: form.button } } : {}),
    }));
  };
  const problem = (ctx: Context, reason: 'invalid' | 'expired') =>
    page(ctx, 400, null, `${reason}Title`, requestText(localeOf(ctx, null), `${reason}Body`));

  return {
    async create(ctx: Context) {
      try {
        // The headers, for the jurisdiction: only those config trusts are read (services/regions).
        requests().accept(body(ctx), (name: string) => ctx.get(name) || undefined);
      } catch (error) {
        if (error instanceof RequestsBusyError) {
          ctx.status = 503;
          ctx.set('Retry-After', '5');
          ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'Too many requests right now: please try again in a moment' } };
          return;
        }
        throw error;
      }
      ctx.status = 202;
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = REQUEST_ANSWER;
    },

    async confirmPage(ctx: Context) {
      const token = linkToken(ctx, 'url');
      const { reading, row } = await requests().lookup(token);
      if (!reading.ok) return problem(ctx, reading.reason);
      if (!row || row.origin !== 'self-service' || row.status === 'refused') return problem(ctx, 'invalid');
      const locale = localeOf(ctx, row);
      const type = row.type as 'access' | 'erasure';
      const text = `${requestText(locale, 'pageBody', {}, type)}${type === 'erasure' ? ` ${requestText(locale, 'erasureWarning')}` : ''}`;
      page(ctx, 200, row, 'pageTitle', text, { token: String(token), button: requestText(locale, 'button') });
    },

    async confirm(ctx: Context) {
      const token = linkToken(ctx, 'body');
      const { outcome, row } = await requests().confirm(token);
      if (!isForm(ctx)) {
        if (outcome === 'invalid' || outcome === 'expired') {
          ctx.status = 400;
          ctx.set('Cache-Control', 'no-store');
          ctx.body = { data: null, error: { status: 400, name: outcome === 'expired' ? 'ExpiredLinkError' : 'InvalidLinkError', message: `This request link is ${outcome === 'expired' ? 'expired' : 'not valid'}` } };
          return;
        }
        ctx.set('Cache-Control', 'no-store');
        if (outcome === 'failed') {
          ctx.status = 503;
          ctx.body = { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: `The request is recorded but could not be finished now; it will be answered by ${row?.dueAt ?? 'its due date'}` } };
          return;
        }
        ctx.body = { data: { status: outcome === 'waiting' ? (row?.awaitingApproval ? 'waiting-for-approval' : 'in-progress') : 'completed', type: row?.type, dueAt: row?.dueAt } };
        return;
      }
      if (outcome === 'invalid' || outcome === 'expired') return problem(ctx, outcome);
      const locale = localeOf(ctx, row);
      const due = { due: String(row?.dueAt ?? '').slice(0, 10) };
      if (outcome === 'failed') return page(ctx, 503, row, 'failedTitle', requestText(locale, 'failedBody', due));
      if (outcome === 'waiting') return page(ctx, 200, row, 'waitingTitle', requestText(locale, 'waitingBody', due));
      const done = row?.type === 'erasure' ? 'doneErasure' : 'doneAccess';
      page(ctx, 200, row, `${done}Title`, requestText(locale, `${done}Body`));
    },
  };
};
