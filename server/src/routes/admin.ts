import { can } from './guard';

/**
 * Admin API, mounted by Strapi under /privacy-centre. Every route names the one RBAC action
 * it needs; tests/integration/permissions.test.ts walks this table and expects 403 without it.
 */
export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/settings', handler: 'settings.find', config: can('settings', 'read') },
    { method: 'PUT', path: '/settings', handler: 'settings.update', config: can('settings', 'update') },
    { method: 'GET', path: '/regions', handler: 'regions.find', config: can('settings', 'read') },
    { method: 'PUT', path: '/regions', handler: 'regions.update', config: can('settings', 'update') },
    { method: 'DELETE', path: '/regions', handler: 'regions.reset', config: can('settings', 'update') },
    { method: 'GET', path: '/audit-events', handler: 'audit.find', config: can('audit', 'read') },

    { method: 'GET', path: '/policies', handler: 'policies.list', config: can('policies', 'read') },
    { method: 'GET', path: '/policies/locales', handler: 'policies.locales', config: can('policies', 'read') },
    { method: 'GET', path: '/policies/versions/:documentId', handler: 'policies.findOne', config: can('policies', 'read') },
    { method: 'POST', path: '/policies/verify', handler: 'policies.verify', config: can('policies', 'read') },
    { method: 'POST', path: '/policies/drafts', handler: 'policies.createDraft', config: can('policies', 'create') },
    { method: 'POST', path: '/policies/import', handler: 'policies.importText', config: can('policies', 'create') },
    { method: 'PUT', path: '/policies/drafts/:documentId', handler: 'policies.updateDraft', config: can('policies', 'update') },
    { method: 'DELETE', path: '/policies/drafts/:documentId', handler: 'policies.deleteDraft', config: can('policies', 'update') },
    { method: 'POST', path: '/policies/drafts/:documentId/publish', handler: 'policies.publish', config: can('policies', 'publish') },
    { method: 'POST', path: '/policies/versions/:documentId/withdraw', handler: 'policies.withdraw', config: can('policies', 'publish') },
    // Who accepted a version (signed-in users), how many must still; and as CSV.
    { method: 'GET', path: '/policies/versions/:documentId/acceptances', handler: 'acceptances.list', config: can('policies', 'read') },
    { method: 'GET', path: '/policies/versions/:documentId/acceptances/export', handler: 'acceptances.export', config: can('policies', 'read') },
    // Advance notice of a material version: progress, and pause / resume of its sending.
    { method: 'GET', path: '/policies/versions/:documentId/notice', handler: 'policies.notice', config: can('policies', 'read') },
    { method: 'POST', path: '/policies/versions/:documentId/notice/pause', handler: 'policies.pauseNotice', config: can('policies', 'publish') },
    { method: 'POST', path: '/policies/versions/:documentId/notice/resume', handler: 'policies.resumeNotice', config: can('policies', 'publish') },

    { method: 'GET', path: '/cookies', handler: 'cookies.overview', config: can('cookies', 'read') },
    { method: 'POST', path: '/cookies/categories', handler: 'cookies.createCategory', config: can('cookies', 'manage') },
    { method: 'PUT', path: '/cookies/categories-order', handler: 'cookies.reorderCategories', config: can('cookies', 'manage') },
    { method: 'PUT', path: '/cookies/categories/:key', handler: 'cookies.updateCategory', config: can('cookies', 'manage') },
    { method: 'DELETE', path: '/cookies/categories/:key', handler: 'cookies.deleteCategory', config: can('cookies', 'manage') },
    { method: 'POST', path: '/cookies/definitions', handler: 'cookies.createDefinition', config: can('cookies', 'manage') },
    { method: 'PUT', path: '/cookies/definitions-order', handler: 'cookies.reorderDefinitions', config: can('cookies', 'manage') },
    { method: 'PUT', path: '/cookies/definitions/:documentId', handler: 'cookies.updateDefinition', config: can('cookies', 'manage') },
    { method: 'DELETE', path: '/cookies/definitions/:documentId', handler: 'cookies.deleteDefinition', config: can('cookies', 'manage') },
    { method: 'GET', path: '/cookies/revisions', handler: 'cookies.revisions', config: can('cookies', 'read') },
    { method: 'GET', path: '/cookies/revisions/:revision', handler: 'cookies.revision', config: can('cookies', 'read') },
    { method: 'POST', path: '/cookies/publish', handler: 'cookies.publish', config: can('cookies', 'publish') },
    // Cookie discovery: what browsers report, against the declaration.
    { method: 'GET', path: '/cookies/discovery', handler: 'cookies.discovery', config: can('cookies', 'read') },
    { method: 'POST', path: '/cookies/discovery/definitions', handler: 'cookies.defineObserved', config: can('cookies', 'manage') },
    { method: 'POST', path: '/cookies/discovery/ignore-rules', handler: 'cookies.ignoreObserved', config: can('cookies', 'manage') },
    { method: 'DELETE', path: '/cookies/discovery/ignore-rules/:documentId', handler: 'cookies.unignoreObserved', config: can('cookies', 'manage') },

    { method: 'GET', path: '/consents', handler: 'consents.list', config: can('consents', 'read') },
    { method: 'GET', path: '/consents/stats', handler: 'consents.stats', config: can('consents', 'read') },
    { method: 'GET', path: '/consents/export', handler: 'consents.export', config: can('consents', 'export') },
    { method: 'GET', path: '/consents/records/:consentId', handler: 'consents.detail', config: can('consents', 'read') },
    { method: 'POST', path: '/consents/verify', handler: 'consents.verify', config: can('consents', 'read') },

    { method: 'GET', path: '/newsletter/subscriptions', handler: 'newsletter.list', config: can('newsletter', 'read') },
    { method: 'GET', path: '/newsletter/subscriptions/:documentId', handler: 'newsletter.detail', config: can('newsletter', 'read') },
    { method: 'POST', path: '/newsletter/subscriptions/:documentId/unsubscribe', handler: 'newsletter.unsubscribe', config: can('newsletter', 'manage') },
    { method: 'GET', path: '/newsletter/stats', handler: 'newsletter.stats', config: can('newsletter', 'read') },
    { method: 'GET', path: '/newsletter/export', handler: 'newsletter.export', config: can('newsletter', 'export') },

    { method: 'GET', path: '/subjects/requests', handler: 'subjects.listRequests', config: can('subjects', 'read') },
    { method: 'GET', path: '/subjects/requests/summary', handler: 'subjects.summary', config: can('subjects', 'read') },
    // CCPA Regulations § 7102: the year's metrics per request type, and as CSV.
    { method: 'GET', path: '/subjects/requests/metrics', handler: 'subjects.metrics', config: can('subjects', 'read') },
    { method: 'GET', path: '/subjects/requests/metrics/export', handler: 'subjects.metricsExport', config: can('subjects', 'read') },
    { method: 'GET', path: '/subjects/requests/:documentId', handler: 'subjects.findRequest', config: can('subjects', 'read') },
    { method: 'POST', path: '/subjects/requests', handler: 'subjects.createRequest', config: can('subjects', 'manage') },
    { method: 'PUT', path: '/subjects/requests/:documentId', handler: 'subjects.updateRequest', config: can('subjects', 'manage') },
    { method: 'POST', path: '/subjects/requests/:documentId/extend', handler: 'subjects.extendRequest', config: can('subjects', 'manage') },
    { method: 'POST', path: '/subjects/requests/:documentId/acknowledge', handler: 'subjects.acknowledgeRequest', config: can('subjects', 'manage') },
    { method: 'POST', path: '/subjects/requests/:documentId/carry-out', handler: 'subjects.carryOut', config: can('subjects', 'manage') },
    // A person is named in the body, never in the URL.
    { method: 'POST', path: '/subjects/search', handler: 'subjects.search', config: can('subjects', 'read') },
    { method: 'POST', path: '/subjects/evidence', handler: 'subjects.evidence', config: can('subjects', 'read') },
    { method: 'POST', path: '/subjects/evidence/bundle', handler: 'subjects.evidenceBundle', config: can('subjects', 'export') },
    { method: 'POST', path: '/subjects/export', handler: 'subjects.export', config: can('subjects', 'export') },
    { method: 'POST', path: '/subjects/erasure-plan', handler: 'subjects.erasurePlan', config: can('subjects', 'erase') },
    { method: 'POST', path: '/subjects/erase', handler: 'subjects.erase', config: can('subjects', 'erase') },
  ],
};
