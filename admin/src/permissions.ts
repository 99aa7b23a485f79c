import { AREAS, actionUid, type Area } from '../../server/src/permissions/actions';

/**
 * The admin reads the action names from the server's own list, so a renamed or added action
 * cannot drift between route policies and what the UI shows.
 *
 * `subject: null` matters: Page.Protect compares `subject` strictly, and plugin actions are
 * registered without a subject (null in the user's permissions, not undefined).
 */
export type AdminPermission = { action: string; subject: null };

export const permission = (action: string): AdminPermission => ({ action, subject: null });

export const readPermission = (area: Area) => permission(actionUid(area, 'read' as never));

export const AREA_NAMES = Object.keys(AREAS) as Area[];

/** One entry per area: whoever holds any of them may open the plugin. */
export const READ_PERMISSIONS = AREA_NAMES.map(readPermission);

/** Every action the plugin registers; used to ask the admin once which of them the user holds. */
export const ALL_PERMISSIONS = AREA_NAMES.flatMap((area) =>
  (AREAS[area] as readonly string[]).map((verb) => permission(actionUid(area, verb as never)))
);

export { actionUid };
export type { Area };
