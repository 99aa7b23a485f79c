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
    { method: 'GET', path: '/audit-events', handler: 'audit.find', config: can('audit', 'read') },

    { method: 'GET', path: '/policies', handler: 'policies.list', config: can('policies', 'read') },
    { method: 'GET', path: '/policies/locales', handler: 'policies.locales', config: can('policies', 'read') },
    { method: 'GET', path: '/policies/versions/:documentId', handler: 'policies.findOne', config: can('policies', 'read') },
    { method: 'POST', path: '/policies/drafts', handler: 'policies.createDraft', config: can('policies', 'create') },
    { method: 'POST', path: '/policies/import', handler: 'policies.importText', config: can('policies', 'create') },
    { method: 'PUT', path: '/policies/drafts/:documentId', handler: 'policies.updateDraft', config: can('policies', 'update') },
    { method: 'DELETE', path: '/policies/drafts/:documentId', handler: 'policies.deleteDraft', config: can('policies', 'update') },
    { method: 'POST', path: '/policies/drafts/:documentId/publish', handler: 'policies.publish', config: can('policies', 'publish') },
    { method: 'POST', path: '/policies/versions/:documentId/withdraw', handler: 'policies.withdraw', config: can('policies', 'publish') },
  ],
};
