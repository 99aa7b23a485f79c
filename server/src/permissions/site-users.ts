import type { Core } from '@strapi/strapi';

/** The content-API actions of the routes for signed-in users (users-permissions checks them per role). */
export const SITE_USER_ACTIONS = ['plugin::privacy-centre.public-acceptances.me', 'plugin::privacy-centre.public-acceptances.accept'];

const GRANTED_KEY = 'site-user-permissions-granted';

/**
 * Gives users-permissions' `authenticated` role the actions of the acceptance routes, once: the
 * plugin remembers having done it, so an app that takes a permission away later keeps it away.
 * Nothing happens without users-permissions.
 */
export async function grantSiteUserPermissions(strapi: Core.Strapi) {
  if (!strapi.plugin('users-permissions')) return;
  const store = strapi.store({ type: 'plugin', name: 'privacy-centre' });
  const granted = ((await store.get({ key: GRANTED_KEY })) ?? []) as string[];
  const pending = SITE_USER_ACTIONS.filter((action) => !granted.includes(action));
  if (!pending.length) return;
  const roles = strapi.db.query('plugin::users-permissions.role');
  // Plugins bootstrap in loading order, and this one may come before users-permissions on a new
  // database: its roles do not exist yet. Its own initialize() (idempotent, which its bootstrap
  // calls again) makes them and their default permissions first; a permission written before
  // would stop it from writing those defaults at all.
  if (!(await roles.findOne({ where: { type: 'authenticated' } }))) {
    await strapi.plugin('users-permissions').service('users-permissions').initialize();
  }
  const role = await roles.findOne({ where: { type: 'authenticated' } });
  if (!role) return;
  const permissions = strapi.db.query('plugin::users-permissions.permission');
  for (const action of pending) {
    if (!(await permissions.findOne({ where: { action, role: role.id } }))) {
      await permissions.create({ data: { action, role: role.id } });
    }
  }
  await store.set({ key: GRANTED_KEY, value: [...granted, ...pending] });
}
