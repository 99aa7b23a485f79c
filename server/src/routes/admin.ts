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
  ],
};
