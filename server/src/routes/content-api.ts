/**
 * Public API, mounted by Strapi under /api/privacy-centre. Public by design (auth: false):
 * a frontend shows these to every visitor.
 */
const open = { auth: false as const };

/** Open, and rate-limited per client network (see middlewares/rate-limit.ts). */
const limited = (scope: string) => ({
  auth: false as const,
  middlewares: [{ name: 'plugin::privacy-centre.rate-limit', config: { scope } }],
});

import { c15tRoutes } from './c15t';

export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/policies/:slug/current', handler: 'public-policies.current', config: open },
    { method: 'GET', path: '/policies/:slug/upcoming', handler: 'public-policies.upcoming', config: open },
    { method: 'GET', path: '/policies/:slug/versions', handler: 'public-policies.versions', config: open },
    { method: 'GET', path: '/policies/:slug/versions/:version', handler: 'public-policies.version', config: open },

    { method: 'GET', path: '/cookies', handler: 'public-consents.declaration', config: open },
    { method: 'POST', path: '/consents', handler: 'public-consents.record', config: limited('consents') },
    // Before /consents/:consentId, so that "verify" is not read as a consentId.
    { method: 'POST', path: '/consents/verify', handler: 'public-consents.verify', config: limited('consent-verify') },
    { method: 'GET', path: '/consents/:consentId', handler: 'public-consents.status', config: limited('consent-reads') },

    { method: 'POST', path: '/newsletter/subscribe', handler: 'public-newsletter.subscribe', config: limited('newsletter') },
    // GETs show a page and change nothing: mail scanners open every link before people do.
    { method: 'GET', path: '/newsletter/confirm', handler: 'public-newsletter.confirmPage', config: open },
    { method: 'POST', path: '/newsletter/confirm', handler: 'public-newsletter.confirm', config: limited('newsletter-confirm') },
    { method: 'GET', path: '/newsletter/unsubscribe', handler: 'public-newsletter.unsubscribePage', config: open },
    // Not rate-limited: mailbox providers send one-click unsubscribes for many people from few networks.
    { method: 'POST', path: '/newsletter/unsubscribe', handler: 'public-newsletter.unsubscribe', config: open },

    // Self-service data-subject requests: the same 202 for every address; the e-mailed link's
    // GET shows a button, its POST carries the request out.
    { method: 'POST', path: '/requests', handler: 'public-requests.create', config: limited('requests') },
    // The public keys that check every signed proof (receipts, seals, revisions, evidence).
    { method: 'GET', path: '/keys', handler: 'public-keys.jwks', config: open },

    { method: 'GET', path: '/requests/confirm', handler: 'public-requests.confirmPage', config: open },
    { method: 'POST', path: '/requests/confirm', handler: 'public-requests.confirm', config: limited('requests-confirm') },

    // c15t 2.x hosted mode: a site sets backendURL to …/api/privacy-centre/c15t.
    ...c15tRoutes,
  ],
};
