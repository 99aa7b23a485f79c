/**
 * The plugin's RBAC actions, one list for the server (registration, route policies) and the
 * admin (menu, Page.Protect, hidden buttons). The uid of an action is
 * `plugin::privacy-centre.<area>.<verb>`.
 */
export const AREAS = {
  policies: ['read', 'create', 'update', 'publish'],
  cookies: ['read', 'manage', 'publish'],
  consents: ['read', 'export'],
  newsletter: ['read', 'export', 'manage'],
  subjects: ['read', 'export', 'erase', 'manage'],
  audit: ['read'],
  settings: ['read', 'update'],
} as const;

export type Area = keyof typeof AREAS;
export type Verb<A extends Area> = (typeof AREAS)[A][number];

const LABELS: Record<Area, string> = {
  policies: 'Policies',
  cookies: 'Cookies',
  consents: 'Consent log',
  newsletter: 'Newsletter',
  subjects: 'Data-subject requests',
  audit: 'Audit log',
  settings: 'Settings',
};

export const actionUid = <A extends Area>(area: A, verb: Verb<A>) =>
  `plugin::privacy-centre.${area}.${verb}`;

/** The shape `admin::permission.actionProvider.registerMany` takes. */
export const actions = (Object.keys(AREAS) as Area[]).flatMap((area) =>
  (AREAS[area] as readonly string[]).map((verb) => ({
    section: 'plugins',
    displayName: `${verb[0].toUpperCase()}${verb.slice(1)}`,
    uid: `${area}.${verb}`,
    subCategory: LABELS[area],
    pluginName: 'privacy-centre',
  }))
);
