import { actionUid, type Area, type Verb } from '../permissions/actions';

/** The policies every admin route carries: a logged-in admin holding the given action. */
export const can = <A extends Area>(area: A, verb: Verb<A>) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: [actionUid(area, verb)] } },
  ],
});
