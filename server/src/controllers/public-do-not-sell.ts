import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { renderPage } from '../newsletter/pages';
import { textLocale } from '../newsletter/texts';
import { publicDeclaration } from '../cookies/snapshot';
import { saleShareOf } from '../regions/categories';
import { doNotSellPageText } from '../regions/texts';
import { DoNotSellForm, DoNotSellInput, doNotSellQuery } from '../contract/schemas';
import { problemsOf, sortProblems } from '../contract/problems';
import { bodyOf, htmlPage, isForm } from './link-pages';
import { answering } from './public-consents';

type Context = Parameters<Core.MiddlewareHandler>[0];

const ORDER = ['subjectId', 'email', 'locale'];

/**
 * "Do Not Sell or Share My Personal Information". The GET shows a page with one button and
 * changes nothing (like the newsletter's pages: scanners and prefetchers open links); its POST
 * records the opt-out as a consent decision and, with an address, registers the request.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const plugin = () => strapi.plugin('privacy-centre');
  const header = (ctx: Context) => (name: string) => ctx.get(name) || undefined;
  const localeOf = (ctx: Context, asked: unknown) => textLocale(typeof asked === 'string' && asked ? asked : ctx.acceptsLanguages()?.[0] ?? 'en');
  const problemPage = (ctx: Context, locale: string) =>
    htmlPage(ctx, 400, renderPage({ locale, title: doNotSellPageText(locale, 'invalidTitle'), body: doNotSellPageText(locale, 'invalidBody') }));

  /** The sale/share categories of the latest revision, by their names in the page's language. */
  const saleShareNames = async (locale: string): Promise<string[]> => {
    const latest = await plugin().service('cookie-declarations').latest();
    if (!latest || latest.integrity !== 'ok') return [];
    const { defaultLocale } = await plugin().service('locales').get();
    const shown = publicDeclaration(latest, locale, defaultLocale);
    return shown.categories.filter((c) => !c.required && saleShareOf(latest.snapshot.categories.find((k) => k.key === c.key)!)).map((c) => c.name);
  };

  return {
    async page(ctx: Context) {
      const read = doNotSellQuery.safeParse(ctx.query);
      const locale = localeOf(ctx, read.success ? read.data.locale : undefined);
      if (!read.success) return problemPage(ctx, locale);
      const names = await saleShareNames(locale);
      const gpc = ctx.get('Sec-GPC').trim() === '1';
      const paragraphs = [
        names.length ? doNotSellPageText(locale, 'body').replace('{{categories}}', names.join(', ')) : doNotSellPageText(locale, 'none'),
        ...(gpc ? [doNotSellPageText(locale, 'gpc')] : []),
      ];
      htmlPage(
        ctx,
        200,
        renderPage({
          locale,
          title: doNotSellPageText(locale, 'title'),
          body: paragraphs.join('\n\n'),
          form: {
            action: ctx.path,
            hidden: { locale, ...(read.data.subjectId ? { subjectId: read.data.subjectId } : {}) },
            emailLabel: doNotSellPageText(locale, 'emailLabel'),
            button: doNotSellPageText(locale, 'button'),
          },
        })
      );
    },

    async optOut(ctx: Context) {
      const form = isForm(ctx);
      // No body is an opt-out of this browser from its jurisdiction's defaults; any other body
      // that is not an object (a JSON list, a text) is bad input, not an empty one: read as {},
      // it would record an opt-out nobody asked for.
      const raw = (ctx.request as any).body;
      const body = raw === undefined || raw === '' ? bodyOf(ctx) : raw;
      // The page's form sends no file: one (even named subjectId) is not read as an empty form.
      const files = (ctx.request as any).files;
      const withFiles = typeof files === 'object' && files !== null && Object.keys(files).length > 0;
      const read = withFiles ? DoNotSellInput.safeParse({ files: true }) : (form ? DoNotSellForm : DoNotSellInput).safeParse(body);
      const locale = localeOf(ctx, read.success ? read.data.locale : undefined);
      if (!read.success) {
        if (form) return problemPage(ctx, locale);
        throw new errors.ValidationError(sortProblems(problemsOf(read.error, ORDER), ORDER).map((p) => p.message).join('; '));
      }
      const { subjectId, email } = read.data;
      const facts = {
        ip: ctx.request.ip,
        userAgent: ctx.get('User-Agent') || undefined,
        gpc: ctx.get('Sec-GPC').trim() === '1',
        referer: ctx.get('Referer') || undefined,
        jurisdiction: await plugin().service('regions').resolve(header(ctx)),
      };
      // The plugin's own failures (a write that cannot be made now, a broken declaration) are
      // answered as POST /consents answers them.
      await answering(ctx, async () => {
        const { receipt } = await plugin()
          .service('consents')
          .optOutOfSaleShare({ ...(subjectId ? { subjectId } : {}), language: read.data.locale || locale }, facts);
        const requestRegistered = Boolean(email);
        if (email) {
          await plugin()
            .service('subject-requests')
            .registerOptOut({ email, language: locale, jurisdiction: facts.jurisdiction.code, subjectId: receipt.subjectId, consentId: receipt.consentId });
        }
        if (form) {
          const text = [doNotSellPageText(locale, 'doneBody'), ...(requestRegistered ? [doNotSellPageText(locale, 'doneRequest')] : [])].join('\n\n');
          return htmlPage(ctx, 200, renderPage({ locale, title: doNotSellPageText(locale, 'doneTitle'), body: text }));
        }
        ctx.status = 201;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { data: { status: 'opted-out', receipt, requestRegistered } };
      });
    },
  };
};
