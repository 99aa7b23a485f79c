import type { Core } from '@strapi/strapi';

/** Text made literal inside a RegExp. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A URL or path without its trailing slashes (a loop, not /\/+$/: linear whatever the input). */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end -= 1;
  return text.slice(0, end);
}

/** The app's REST prefix (`api.rest.prefix`, default `/api`) without trailing slashes. */
export const restPrefix = (strapi: Core.Strapi): string => withoutTrailingSlashes(String(strapi.config.get('api.rest.prefix', '/api')));

/** `GET <api prefix>/privacy-centre/policies/:slug/current`, the policy fast path's (the slug captured). */
export const currentPolicyPath = (strapi: Core.Strapi) => new RegExp(`^${escapeRegExp(restPrefix(strapi))}/privacy-centre/policies/([^/]{1,64})/current$`);

/** `POST <api prefix>/privacy-centre/consents`, the consent fast path's. */
export const consentsPath = (strapi: Core.Strapi) => new RegExp(`^${escapeRegExp(restPrefix(strapi))}/privacy-centre/consents$`);
