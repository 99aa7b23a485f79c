// c15t's consent types and which one each cookie category of the declaration stands for.
// Pure (no imports from Strapi): the admin imports it too.

/** The consent types c15t 2.x knows (its `consentTypes`); a c15t banner shows one switch per type. */
export const C15T_CONSENT_TYPES = ['necessary', 'functionality', 'measurement', 'experience', 'marketing'] as const;
export type C15tConsentType = (typeof C15T_CONSENT_TYPES)[number];

export const isC15tConsentType = (value: unknown): value is C15tConsentType =>
  typeof value === 'string' && (C15T_CONSENT_TYPES as readonly string[]).includes(value);

/** The usual names of a category, by the c15t type they mean. */
const BY_KEY: Record<string, C15tConsentType> = {
  necessary: 'necessary',
  essential: 'necessary',
  preferences: 'functionality',
  functional: 'functionality',
  functionality: 'functionality',
  statistics: 'measurement',
  analytics: 'measurement',
  measurement: 'measurement',
  marketing: 'marketing',
  advertising: 'marketing',
  ads: 'marketing',
  experience: 'experience',
};

/**
 * The c15t type of a category that names none: a required category is necessary (it cannot be
 * refused, nor can c15t's necessary); the usual keys map as their names say (preferences →
 * functionality, statistics → measurement, marketing → marketing); any other is experience, the
 * one c15t type with no fixed meaning.
 */
export function defaultC15tType(category: { key: string; required: boolean }): C15tConsentType {
  if (category.required) return 'necessary';
  const mapped = Object.prototype.hasOwnProperty.call(BY_KEY, category.key) ? BY_KEY[category.key] : undefined;
  // A category that is not required cannot stand for necessary, which c15t always grants.
  return mapped && mapped !== 'necessary' ? mapped : 'experience';
}

/**
 * The c15t type a category stands for: the one editors chose, else the default. Revisions
 * published before the field existed hold none, so theirs is derived at read time (their sealed
 * snapshots are never rewritten).
 */
export const c15tTypeOf = (category: { key: string; required: boolean; c15tType?: C15tConsentType | null }): C15tConsentType =>
  category.c15tType ?? defaultC15tType(category);
