import type { Core } from '@strapi/strapi';

type Context = Parameters<Core.MiddlewareHandler>[0];

// What the routes behind e-mailed links (newsletter confirm/unsubscribe, data-subject requests)
// share: reading a body that may be a form or JSON, and answering with a small HTML page.

/** The request body as an object (a form's fields or a JSON object), or {}. */
export const bodyOf = (ctx: Context): Record<string, unknown> => {
  const value = (ctx.request as any).body;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
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
