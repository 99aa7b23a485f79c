import * as React from 'react';
import { useAuth } from '@strapi/strapi/admin';

import { ALL_PERMISSIONS, actionUid, type Area } from '../permissions';
import type { Verb } from '../../../server/src/permissions/actions';

/**
 * Which of the plugin's actions the current admin holds.
 *
 * This asks the same engine that `useRBAC` uses (`checkUserHasPermissions`, which also runs
 * the admin's RBAC middlewares), but keeps the full action uid. `useRBAC`'s `allowedActions`
 * is keyed by the last segment only (`canRead`), so `policies.read` and `audit.read` would
 * collapse into one flag. Re-runs when the user's permissions are refetched.
 */
export const useAllowedActions = () => {
  const checkUserHasPermissions = useAuth('PrivacyCentre', (state) => state.checkUserHasPermissions);
  const userPermissions = useAuth('PrivacyCentre', (state) => state.permissions);
  const [allowed, setAllowed] = React.useState<Set<string> | null>(null);

  React.useEffect(() => {
    let cancelled = false;
    checkUserHasPermissions(ALL_PERMISSIONS)
      .then((matching) => {
        if (!cancelled) setAllowed(new Set(matching.map((p) => p.action)));
      })
      // Failing closed: if the check fails the user sees nothing they might not be allowed to.
      .catch(() => !cancelled && setAllowed(new Set()));
    return () => {
      cancelled = true;
    };
  }, [checkUserHasPermissions, userPermissions]);

  const can = React.useCallback(
    <A extends Area>(area: A, verb: Verb<A>) => Boolean(allowed?.has(actionUid(area, verb))),
    [allowed]
  );

  return { isLoading: allowed === null, can };
};
