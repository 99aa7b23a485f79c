// Which privacy law c15t should apply to a request, from the country a trusted proxy reports.

/** c15t 2.x's jurisdiction codes (its `jurisdictionCodes`). */
export const C15T_JURISDICTIONS = ['UK_GDPR', 'GDPR', 'CH', 'BR', 'PIPEDA', 'QC_LAW25', 'AU', 'APPI', 'PIPA', 'CCPA', 'NONE'] as const;
export type C15tJurisdiction = (typeof C15T_JURISDICTIONS)[number];

/** The EU and the rest of the EEA: the GDPR applies. */
const GDPR_COUNTRIES = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
]);

const BY_COUNTRY: Record<string, C15tJurisdiction> = {
  GB: 'UK_GDPR',
  GG: 'UK_GDPR',
  JE: 'UK_GDPR',
  IM: 'UK_GDPR',
  CH: 'CH',
  BR: 'BR',
  CA: 'PIPEDA',
  AU: 'AU',
  JP: 'APPI',
  KR: 'PIPA',
};

/** ISO 3166-1 alpha-2, as proxies send it (Cloudflare's CF-IPCountry, CloudFront, Vercel). */
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
/** The subdivision part of ISO 3166-2 (`QC` of CA-QC, `CA` of US-CA), or the whole code. */
export const REGION_PATTERN = /^(?:[A-Z]{2}-)?[A-Z0-9]{1,3}$/;

export interface Location {
  countryCode: string | null;
  regionCode: string | null;
}

/** Reads a proxy's header value: a country code, or null for anything else (XX, T1, junk). */
export function readCountry(value: string | undefined): string | null {
  const code = value?.trim().toUpperCase();
  return code && COUNTRY_PATTERN.test(code) && code !== 'XX' ? code : null;
}

/** Reads a region header value into its subdivision code (`CA-QC` → `QC`), or null. */
export function readRegion(value: string | undefined): string | null {
  const code = value?.trim().toUpperCase();
  if (!code || !REGION_PATTERN.test(code)) return null;
  return code.includes('-') ? code.slice(code.indexOf('-') + 1) : code;
}

/**
 * The jurisdiction of a location. A country with no law of its own in c15t's list (or no
 * country: no trusted header configured or sent) gets the configured default, GDPR unless set:
 * asking everyone is the safe answer when the law is not known.
 */
export function jurisdictionOf(location: Location, fallback: C15tJurisdiction): C15tJurisdiction {
  const { countryCode: country, regionCode: region } = location;
  if (!country) return fallback;
  if (GDPR_COUNTRIES.has(country)) return 'GDPR';
  if (country === 'CA' && region === 'QC') return 'QC_LAW25';
  if (country === 'US' && region === 'CA') return 'CCPA';
  return BY_COUNTRY[country] ?? fallback;
}

/** The consent model c15t applies under a jurisdiction (as its own backend decides it). */
export function modelOf(jurisdiction: C15tJurisdiction): 'opt-in' | 'opt-out' | 'none' {
  if (jurisdiction === 'NONE') return 'none';
  if (jurisdiction === 'CCPA' || jurisdiction === 'AU' || jurisdiction === 'PIPEDA') return 'opt-out';
  return 'opt-in';
}
