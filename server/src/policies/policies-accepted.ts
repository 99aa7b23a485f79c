import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

/**
 * What a refused request is answered: 403, naming the policies to accept and where to read them.
 * A PolicyError, because Strapi replaces the message and details of any other 403 by "Forbidden".
 */
export class PolicyAcceptanceRequiredError extends errors.PolicyError {
  constructor(policies: Array<{ slug: string; version: number; url: string }>) {
    super(
      `accept ${policies.map((p) => `${p.slug} version ${p.version}`).join(' and ')} first (POST /api/privacy-centre/acceptances)`,
      { policies }
    );
    // The name a frontend tells this refusal by (Strapi's error middleware answers it).
    (this as { name: string }).name = 'PolicyAcceptanceRequired';
  }
}

const ACCEPT_ACTION = 'plugin::privacy-centre.public-acceptances.accept';
const warned = new Set<string>();
const warnOnce = (strapi: Core.Strapi, role: unknown) => {
  const name = typeof role === 'string' ? role : '(unknown)';
  if (warned.has(name)) return;
  warned.add(name);
  strapi.log.warn(
    `[privacy-centre] policies-accepted lets users of the role "${name}" through: the role may not ${ACCEPT_ACTION}, so they could never accept. ` +
      'Give the role that action (Users & Permissions → Roles) to ask them.'
  );
};

/**
 * `plugin::privacy-centre.policies-accepted`: an app adds it to its own routes. A signed-in user
 * (users-permissions) who must accept a required policy and is past the deadline is refused;
 * everyone else passes, anonymous requests too (they are not the plugin's to refuse). Answered
 * from memory (see services/acceptances `overdue`).
 */
export default async (
  policyContext: { state: { user?: { id?: unknown; documentId?: unknown }; auth?: { strategy?: { name?: unknown } } } },
  _config: unknown,
  { strapi }: { strapi: Core.Strapi }
) => {
  const user = policyContext.state?.user;
  // Only a users-permissions user is a site user: on an admin route `state.user` is the admin,
  // whose documentId names no site user (and never accepted anything here).
  if (policyContext.state?.auth?.strategy?.name !== 'users-permissions') return true;
  if (!user || typeof user.id !== 'number' || typeof user.documentId !== 'string') return true;
  // A role that may not accept (an app's own role never given the action, or one the app took it
  // away from) is not asked to: refusing its users would lock them out for good, since
  // POST /acceptances answers them 403. Told once per role in the log, for the app to decide.
  const ability = (policyContext.state as { auth?: { ability?: { can?: (action: string) => boolean } | null } }).auth?.ability;
  if (ability && typeof ability.can === 'function' && !ability.can(ACCEPT_ACTION)) {
    warnOnce(strapi, (user as { role?: { type?: unknown } }).role?.type);
    return true;
  }
  const overdue = await strapi.plugin('privacy-centre').service('acceptances').overdue({ id: user.id, documentId: user.documentId });
  if (overdue.length) throw new PolicyAcceptanceRequiredError(overdue);
  return true;
};
