import type { Core } from '@strapi/strapi';
import { pageTexts, renderPage } from '../newsletter/pages';
import { bodyOf as body, htmlPage as html, isForm, linkToken } from './link-pages';
import { maskEmail } from '../newsletter/texts';
import { NewsletterBusyError, SUBSCRIBE_ANSWER, type Outcome } from '../services/newsletter';
import type { RequestFacts } from '../services/consents';

type Context = Parameters<Core.MiddlewareHandler>[0];
type Row = Record<string, any>;

const facts = (ctx: Context): RequestFacts => ({
  ip: ctx.request.ip,
  userAgent: ctx.get('User-Agent') || undefined,
  gpc: ctx.get('Sec-GPC').trim() === '1',
  referer: ctx.get('Referer') || undefined,
});

const json = (ctx: Context, status: number, data: unknown) => {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = data;
};

const failure = (outcome: Outcome) =>
  outcome === 'expired'
    ? { title: 'expiredTitle', body: 'expiredBody', name: 'ExpiredLinkError' }
    : outcome === 'stale'
      ? { title: 'staleTitle', body: 'staleBody', name: 'StaleLinkError' }
      : { title: 'invalidTitle', body: 'invalidBody', name: 'InvalidLinkError' };

/**
 * Public newsletter routes. A GET never changes anything (mail scanners open every link): it
 * shows a page with one button, whose POST does the work. One-click unsubscribe (RFC 8058) is a
 * POST answered 200 without a redirect.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const newsletter = () => strapi.plugin('privacy-centre').service('newsletter');
  const settings = () => strapi.plugin('privacy-centre').service('settings');
  const pageLocale = (ctx: Context, row: Row | null) => row?.language ?? ctx.acceptsLanguages()?.[0] ?? 'en';
  const values = (row: Row | null) => ({ list: row?.list ?? '', email: maskEmail(row?.email ?? null) });

  const problemPage = (ctx: Context, outcome: Outcome, row: Row | null) => {
    const keys = failure(outcome);
    const { title, body: text } = pageTexts(pageLocale(ctx, row), keys, values(row));
    html(ctx, 400, renderPage({ locale: pageLocale(ctx, row), title, body: text }));
  };

  return {
    async subscribe(ctx: Context) {
      try {
        newsletter().accept(body(ctx), facts(ctx), isForm(ctx));
      } catch (error) {
        if (error instanceof NewsletterBusyError) {
          ctx.set('Retry-After', '5');
          return json(ctx, 503, { data: null, error: { status: 503, name: 'ServiceUnavailableError', message: 'Too many sign-ups right now: please try again in a moment' } });
        }
        throw error;
      }
      ctx.status = 202;
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = SUBSCRIBE_ANSWER;
    },

    /** The confirmation link: a page with one Confirm button (or the site's own page). */
    async confirmPage(ctx: Context) {
      const token = linkToken(ctx, 'url');
      const { reading, row } = await newsletter().lookup('confirm', token);
      if (!reading.ok || !row) return problemPage(ctx, reading.ok ? 'invalid' : reading.reason === 'expired' ? 'expired' : 'invalid', row);
      const { confirmRedirectUrl } = (await settings().get()).newsletter;
      if (confirmRedirectUrl) return ctx.redirect(`${confirmRedirectUrl}${confirmRedirectUrl.includes('?') ? '&' : '?'}token=${encodeURIComponent(String(token))}`);
      const { title, body: text, texts } = pageTexts(pageLocale(ctx, row), { title: 'confirmTitle', body: 'confirmBody' }, values(row));
      html(ctx, 200, renderPage({ locale: pageLocale(ctx, row), title, body: text, form: { action: ctx.path, token: String(token), button: texts.confirmButton } }));
    },

    async confirm(ctx: Context) {
      const token = linkToken(ctx, 'body');
      const { outcome, row } = await newsletter().confirm(token, facts(ctx));
      const ok = outcome === 'done' || outcome === 'already';
      if (!isForm(ctx)) {
        if (ok) return json(ctx, 200, { data: { status: 'subscribed', list: row?.list } });
        const { name } = failure(outcome);
        return json(ctx, 400, { data: null, error: { status: 400, name, message: `This confirmation link is ${outcome === 'expired' ? 'expired' : outcome === 'stale' ? 'replaced by a newer one' : 'not valid'}` } });
      }
      if (!ok) return problemPage(ctx, outcome, row);
      const { title, body: text } = pageTexts(pageLocale(ctx, row), { title: 'confirmedTitle', body: 'confirmedBody' }, values(row));
      html(ctx, 200, renderPage({ locale: pageLocale(ctx, row), title, body: text }));
    },

    /** The unsubscribe link: a page with one button and an optional reason (or the site's own page). */
    async unsubscribePage(ctx: Context) {
      const token = linkToken(ctx, 'url');
      const { reading, row } = await newsletter().lookup('unsubscribe', token);
      if (!reading.ok) return problemPage(ctx, 'invalid', null);
      const { unsubscribeRedirectUrl } = (await settings().get()).newsletter;
      if (unsubscribeRedirectUrl) return ctx.redirect(`${unsubscribeRedirectUrl}${unsubscribeRedirectUrl.includes('?') ? '&' : '?'}token=${encodeURIComponent(String(token))}`);
      const locale = pageLocale(ctx, row);
      if (!row || row.status === 'unsubscribed') {
        const { title, body: text } = pageTexts(locale, { title: 'unsubscribedTitle', body: 'unsubscribedBody' }, values(row));
        return html(ctx, 200, renderPage({ locale, title, body: text }));
      }
      const { title, body: text, texts } = pageTexts(locale, { title: 'unsubscribeTitle', body: 'unsubscribeBody' }, values(row));
      html(ctx, 200, renderPage({ locale, title, body: text, form: { action: ctx.path, token: String(token), button: texts.unsubscribeButton, reasonLabel: texts.reasonLabel } }));
    },

    /**
     * One-click (RFC 8058: `List-Unsubscribe=One-Click`, form-encoded or multipart, token in the
     * URL; 200, never a redirect), the page's button (a form with the token and a reason), or a
     * frontend's JSON `{token, reason?}`. Idempotent.
     */
    async unsubscribe(ctx: Context) {
      const fields = body(ctx);
      const oneClick = fields['List-Unsubscribe'] === 'One-Click';
      const token = linkToken(ctx, 'url-then-body');
      const method = oneClick ? 'one-click' : isForm(ctx) ? 'page' : 'frontend';
      const { outcome, row } = await newsletter().unsubscribe(token, { reason: oneClick ? undefined : fields.reason, method }, facts(ctx));
      const ok = outcome !== 'invalid';
      if (oneClick) {
        ctx.status = ok ? 200 : 400;
        ctx.set('Cache-Control', 'no-store');
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = ok ? 'Unsubscribed.\n' : 'This unsubscribe link is not valid.\n';
        return;
      }
      if (!isForm(ctx)) {
        if (ok) return json(ctx, 200, { data: { status: 'unsubscribed' } });
        return json(ctx, 400, { data: null, error: { status: 400, name: 'InvalidLinkError', message: 'This unsubscribe link is not valid' } });
      }
      if (!ok) return problemPage(ctx, 'invalid', null);
      const { title, body: text } = pageTexts(pageLocale(ctx, row), { title: 'unsubscribedTitle', body: 'unsubscribedBody' }, values(row));
      html(ctx, 200, renderPage({ locale: pageLocale(ctx, row), title, body: text }));
    },
  };
};
