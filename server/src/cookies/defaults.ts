import type { CookieCategory } from './types';

/**
 * The four usual categories, created on first boot (editors rename, describe and extend them).
 * Their Consent Mode v2 signals and GPC handling are the common defaults: statistics →
 * analytics_storage; marketing → the three ad_* signals, refused under Global Privacy Control;
 * preferences → functionality and personalization; necessary → security, always granted.
 */
export const DEFAULT_CATEGORIES: Array<Omit<CookieCategory, 'locales'> & { text: { name: string; description: string } }> = [
  {
    key: 'necessary',
    required: true,
    position: 0,
    consentMode: ['security_storage'],
    refusedUnderGpc: false,
    text: { name: 'Necessary', description: 'Needed for the site to work; always on.' },
  },
  {
    key: 'preferences',
    required: false,
    position: 1,
    consentMode: ['functionality_storage', 'personalization_storage'],
    refusedUnderGpc: false,
    text: { name: 'Preferences', description: 'Remember your choices, such as your language.' },
  },
  {
    key: 'statistics',
    required: false,
    position: 2,
    consentMode: ['analytics_storage'],
    refusedUnderGpc: false,
    text: { name: 'Statistics', description: 'Help us understand how the site is used.' },
  },
  {
    key: 'marketing',
    required: false,
    position: 3,
    consentMode: ['ad_storage', 'ad_user_data', 'ad_personalization'],
    refusedUnderGpc: true,
    text: { name: 'Marketing', description: 'Measure and personalise advertising.' },
  },
];
