import { createContentApiRoutesFactory } from '@strapi/utils';
import { validator as v } from '../contract/validator';
import { c15tRoutes } from './c15t';

/**
 * Public API, mounted by Strapi under /api/privacy-centre. Public by design (auth: false):
 * a frontend shows these to every visitor. Each route declares its input and answer with the
 * schemas of contract/ (Strapi's `strapi openapi generate` reads them here); what else the
 * plugin's own OpenAPI document says of a route (summary, every status, headers) is in
 * contract/operations.ts.
 */
const open = { auth: false as const };

/** Open, and rate-limited per client network (see middlewares/rate-limit.ts). */
const limited = (scope: string) => ({
  auth: false as const,
  middlewares: [{ name: 'plugin::privacy-centre.rate-limit', config: { scope } }],
});

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
const JSON_TYPE = 'application/json';

export const contentApiRoutes = () => [
  {
    method: 'GET',
    path: '/policies/:slug/current',
    handler: 'public-policies.current',
    config: open,
    request: { params: { slug: v.slugParam }, query: { locale: v.localeQuery } },
    response: v.answers.policyVersion,
  },
  {
    method: 'GET',
    path: '/policies/:slug/upcoming',
    handler: 'public-policies.upcoming',
    config: open,
    request: { params: { slug: v.slugParam }, query: { locale: v.localeQuery } },
    response: v.answers.policyVersion,
  },
  {
    method: 'GET',
    path: '/policies/:slug/versions',
    handler: 'public-policies.versions',
    config: open,
    request: { params: { slug: v.slugParam } },
    response: v.answers.policyChangelog,
  },
  {
    method: 'GET',
    path: '/policies/:slug/versions/:version',
    handler: 'public-policies.version',
    config: open,
    request: { params: { slug: v.slugParam, version: v.versionParam }, query: { locale: v.localeQuery } },
    response: v.answers.policyVersion,
  },
  {
    method: 'GET',
    path: '/policies/:slug/versions/:version/changes',
    handler: 'public-policies.changes',
    config: open,
    request: { params: { slug: v.slugParam, version: v.versionParam }, query: { locale: v.localeQuery } },
    response: v.answers.policyChanges,
  },

  {
    method: 'GET',
    path: '/cookies',
    handler: 'public-consents.declaration',
    config: open,
    request: { query: { locale: v.localeQuery } },
    response: v.answers.cookieDeclaration,
  },
  // Google Consent Mode v2 defaults per region, for a tag manager to load before any tag.
  {
    method: 'GET',
    path: '/cookies/consent-mode',
    handler: 'public-consents.consentMode',
    config: open,
    request: { query: { format: v.consentModeFormatQuery } },
    response: v.answers.consentModeDefaults,
  },
  {
    method: 'POST',
    path: '/consents',
    handler: 'public-consents.record',
    config: limited('consents'),
    request: { body: { [JSON_TYPE]: v.consentBody, 'text/plain': v.consentBeaconBody } },
    response: v.answers.receipt,
  },
  // Cookie discovery: what a page saw, names only; answered 202 before anything is written.
  {
    method: 'POST',
    path: '/cookies/observations',
    handler: 'public-discovery.observe',
    config: limited('cookie-observations'),
    request: { body: { [JSON_TYPE]: v.cookieObservationBody, 'text/plain': v.cookieObservationBeaconBody } },
    response: v.answers.observationAccepted,
  },
  // Before /consents/:consentId, so that "verify" is not read as a consentId.
  {
    method: 'POST',
    path: '/consents/verify',
    handler: 'public-consents.verify',
    config: limited('consent-verify'),
    request: { body: { [JSON_TYPE]: v.consentVerifyBody } },
    response: v.answers.verifyResult,
  },
  {
    method: 'GET',
    path: '/consents/:consentId',
    handler: 'public-consents.status',
    config: limited('consent-reads'),
    request: { params: { consentId: v.consentIdParam } },
    response: v.answers.consentStatus,
  },

  {
    method: 'POST',
    path: '/newsletter/subscribe',
    handler: 'public-newsletter.subscribe',
    config: limited('newsletter'),
    request: { body: { [JSON_TYPE]: v.newsletterSubscribeBody, [FORM]: v.newsletterSubscribeForm, [MULTIPART]: v.newsletterSubscribeForm } },
    response: v.answers.accepted,
  },
  // GETs show a page and change nothing: mail scanners open every link before people do.
  {
    method: 'GET',
    path: '/newsletter/confirm',
    handler: 'public-newsletter.confirmPage',
    config: open,
    request: { query: { token: v.tokenQuery } },
  },
  {
    method: 'POST',
    path: '/newsletter/confirm',
    handler: 'public-newsletter.confirm',
    config: limited('newsletter-confirm'),
    request: { query: { token: v.tokenQuery }, body: { [JSON_TYPE]: v.linkTokenBody, [FORM]: v.linkTokenBody, [MULTIPART]: v.linkTokenBody } },
    response: v.answers.subscribed,
  },
  {
    method: 'GET',
    path: '/newsletter/unsubscribe',
    handler: 'public-newsletter.unsubscribePage',
    config: open,
    request: { query: { token: v.tokenQuery } },
  },
  // Not rate-limited: mailbox providers send one-click unsubscribes for many people from few networks.
  {
    method: 'POST',
    path: '/newsletter/unsubscribe',
    handler: 'public-newsletter.unsubscribe',
    config: open,
    request: {
      query: { token: v.tokenQuery },
      body: { [JSON_TYPE]: v.newsletterUnsubscribeBody, [FORM]: v.oneClickUnsubscribeForm, [MULTIPART]: v.oneClickUnsubscribeForm },
    },
    response: v.answers.unsubscribed,
  },

  // "Do Not Sell or Share My Personal Information": the GET shows the page and changes nothing;
  // its POST records the opt-out (and, with an address, registers the request).
  {
    method: 'GET',
    path: '/do-not-sell',
    handler: 'public-do-not-sell.page',
    config: open,
    request: { query: { locale: v.doNotSellLocaleQuery, subjectId: v.doNotSellSubjectQuery } },
  },
  {
    method: 'POST',
    path: '/do-not-sell',
    handler: 'public-do-not-sell.optOut',
    config: limited('do-not-sell'),
    request: { body: { [JSON_TYPE]: v.doNotSellBody, [FORM]: v.doNotSellForm, [MULTIPART]: v.doNotSellForm } },
    response: v.answers.doNotSell,
  },

  // Self-service data-subject requests: the same 202 for every address; the e-mailed link's
  // GET shows a button, its POST carries the request out.
  {
    method: 'POST',
    path: '/requests',
    handler: 'public-requests.create',
    config: limited('requests'),
    request: { body: { [JSON_TYPE]: v.subjectRequestBody } },
    response: v.answers.accepted,
  },
  // The public keys that check every signed proof (receipts, seals, revisions, evidence).
  { method: 'GET', path: '/keys', handler: 'public-keys.jwks', config: open, response: v.answers.jwks },

  {
    method: 'GET',
    path: '/requests/confirm',
    handler: 'public-requests.confirmPage',
    config: open,
    request: { query: { token: v.tokenQuery } },
  },
  {
    method: 'POST',
    path: '/requests/confirm',
    handler: 'public-requests.confirm',
    config: limited('requests-confirm'),
    request: { query: { token: v.tokenQuery }, body: { [JSON_TYPE]: v.linkTokenBody, [FORM]: v.linkTokenBody, [MULTIPART]: v.linkTokenBody } },
    response: v.answers.requestStatus,
  },

  // Policy acceptance by signed-in users: users-permissions authenticates (a JWT) and checks the
  // role's permission, which the plugin gives the `authenticated` role at boot (permissions/site-users.ts).
  {
    method: 'GET',
    path: '/acceptances/me',
    handler: 'public-acceptances.me',
    config: {},
    response: v.answers.acceptanceStatus,
  },
  // Before /acceptances, so that the two stay apart whatever the router's order.
  {
    method: 'POST',
    path: '/acceptances/verify',
    handler: 'public-acceptances.verify',
    config: limited('acceptance-verify'),
    request: { body: { [JSON_TYPE]: v.acceptanceVerifyBody } },
    response: v.answers.verifyResult,
  },
  {
    method: 'POST',
    path: '/acceptances',
    handler: 'public-acceptances.accept',
    config: {},
    request: { body: { [JSON_TYPE]: v.acceptanceBody } },
    response: v.answers.acceptanceReceipt,
  },

  // c15t 2.x hosted mode: a site sets backendURL to …/api/privacy-centre/c15t.
  ...c15tRoutes,

  // This API's own OpenAPI 3.1 document (contract/openapi.json).
  { method: 'GET', path: '/openapi.json', handler: 'public-contract.document', config: open },
];

export default createContentApiRoutesFactory(contentApiRoutes);
