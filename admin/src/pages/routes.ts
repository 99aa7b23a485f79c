import type { Area } from '../permissions';
import { PLUGIN_ID } from '../pluginId';
import { getTranslation } from '../utils/getTranslation';

/** Where the plugin lives in the admin (Strapi mounts menu links under /admin). */
export const BASE_PATH = `/plugins/${PLUGIN_ID}`;

export const POLICIES_PATH = `${BASE_PATH}/policies`;

export const COOKIES_PATH = `${BASE_PATH}/cookies`;
export const CONSENTS_PATH = `${BASE_PATH}/consents`;
export const NEWSLETTER_PATH = `${BASE_PATH}/newsletter`;
export const SUBJECTS_PATH = `${BASE_PATH}/subjects`;

/**
 * The evidence file of one person. The person (an address, a visitor id…) travels in the
 * router's state, never in the URL: see utils/subjectQuery.ts.
 */
export const EVIDENCE_PATH = `${SUBJECTS_PATH}/evidence`;

/** One newsletter subscription with its consent events. */
export const subscriptionPath = (documentId: string) => `${NEWSLETTER_PATH}/${encodeURIComponent(documentId)}`;

/** One published revision of the cookie declaration, read-only. */
export const revisionPath = (revision: number) => `${COOKIES_PATH}/revisions/${revision}`;

/** One consent record of the consent log. */
export const consentPath = (consentId: string) => `${CONSENTS_PATH}/${encodeURIComponent(consentId)}`;

/** One policy version's page; `locale` opens that translation. */
export const versionPath = (documentId: string, locale?: string) =>
  `${POLICIES_PATH}/${documentId}${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`;

/**
 * The plugin's pages in navigation order. `area` is the RBAC area whose `read` action opens the
 * page; `path` is the URL segment; the label id is shared by the side navigation and headings.
 */
export const AREA_PAGES: ReadonlyArray<{ area: Area; path: string; label: { id: string; defaultMessage: string } }> = [
  { area: 'policies', path: 'policies', label: { id: getTranslation('page.policies.title'), defaultMessage: 'Policies' } },
  { area: 'cookies', path: 'cookies', label: { id: getTranslation('page.cookies.title'), defaultMessage: 'Cookies' } },
  { area: 'consents', path: 'consents', label: { id: getTranslation('page.consents.title'), defaultMessage: 'Consent log' } },
  { area: 'newsletter', path: 'newsletter', label: { id: getTranslation('page.newsletter.title'), defaultMessage: 'Newsletter' } },
  { area: 'subjects', path: 'subjects', label: { id: getTranslation('page.subjects.title'), defaultMessage: 'Data-subject requests' } },
  { area: 'audit', path: 'audit', label: { id: getTranslation('page.audit.title'), defaultMessage: 'Audit log' } },
  { area: 'settings', path: 'settings', label: { id: getTranslation('page.settings.title'), defaultMessage: 'Settings' } },
];
