import type { Core } from '@strapi/strapi';
import { queries } from '../contract/schemas';

type Context = Parameters<Core.MiddlewareHandler>[0];

// What the routes behind e-mailed links (newsletter confirm/unsubscribe, data-subject requests)
// share: reading a body that may be a form or JSON, and answering with a small HTML page.

/** The request body as an object (a form's fields or a JSON object), or {}. */
export const bodyOf = (ctx: Context): Record<string, unknown> => {
  const value = (ctx.request as any).body;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
};

/**
 * The link's token, as the route's schema reads it: from the URL (`url`), the body then the URL
 * (`body`: the page's form, a frontend's JSON), or the URL then the body (`url-then-body`: RFC
 * 8058 one-click puts it in the URL). Anything else (a list, an overlong text) is null: a link
 * that is not valid, answered as such.
 */
export const linkToken = (ctx: Context, from: 'url' | 'body' | 'url-then-body'): string | null => {
  const body = from === 'url' ? undefined : bodyOf(ctx).token;
  const token = from === 'body' ? body ?? ctx.query.token : ctx.query.token ?? body;
  const read = queries.token.safeParse(token);
  return read.success && read.data !== undefined ? read.data : null;
};

/** A plain HTML form (or a button on one of the plugin's pages), not a JSON client. */
export const isForm = (ctx: Context) => Boolean(ctx.is('application/x-www-form-urlencoded', 'multipart/form-data'));

/** Mail clients and scanners must not keep, index or reuse these answers. */
export const htmlPage = (ctx: Context, status: number, page: string) => {
  ctx.status = status;
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Robots-Tag', 'noindex');
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = page;
};
