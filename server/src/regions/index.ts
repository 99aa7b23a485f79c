// Regions: which privacy law applies to a request, and what its consent model means for a
// banner. Pure: the table editors keep (Settings → Regions) and the trusted location of a
// request go in; the jurisdiction, its model and a banner's defaults come out. Shared with the
// admin and unit-tested alone. The README's "Regions" section lists each default with its source.
import type { C15tJurisdiction } from '../c15t/jurisdiction';

/**
 * How a law treats optional cookies:
 * - `opt-in`: refused until the visitor chooses (the EU model);
 * - `opt-out`: granted until the visitor opts out; a Global Privacy Control signal is an
 *   opt-out of the sale/share categories ("Do Not Sell or Share My Personal Information");
 * - `notice`: no choice is required; the site informs (GPC still refuses what the categories say).
 */
export const MODELS = ['opt-in', 'opt-out', 'notice'] as const;
export type Model = (typeof MODELS)[number];

export interface Jurisdiction {
  code: string;
  /** The law's name, as a data-protection officer names it. */
  name: string;
  /** The model the plugin applies by default (an editor may change it). */
  model: Model;
  /** c15t's nearest jurisdiction code, for its `/init` answer. */
  c15t: C15tJurisdiction;
  /** Where the model comes from: the provision a site must follow. */
  source: string;
}

const US_STATE_SOURCE = 'its opt-out of targeted advertising and sale; effective date and text: IAPP US State Privacy Legislation Tracker';
const usState = (code: string, name: string, statute: string): Jurisdiction => ({
  code,
  name,
  model: 'opt-out',
  c15t: 'CCPA',
  source: `${statute}: ${US_STATE_SOURCE}`,
});

/** Every jurisdiction the plugin knows. Codes are stable: records and requests keep them. */
export const JURISDICTIONS: readonly Jurisdiction[] = [
  { code: 'GDPR', name: 'EU/EEA: GDPR and the ePrivacy Directive', model: 'opt-in', c15t: 'GDPR', source: 'Directive 2002/58/EC art. 5(3); GDPR art. 4(11), 6(1)(a), 7' },
  { code: 'UK_GDPR', name: 'United Kingdom: UK GDPR and PECR', model: 'opt-in', c15t: 'UK_GDPR', source: 'PECR 2003 reg. 6; UK GDPR art. 7' },
  {
    code: 'CH',
    name: 'Switzerland: FADP',
    model: 'opt-in',
    c15t: 'CH',
    source: 'FADP art. 6; Telecommunications Act art. 45c (information and a right to refuse; opt-in is the stricter default, as c15t applies)',
  },
  {
    code: 'CCPA',
    name: 'California: CCPA/CPRA',
    model: 'opt-out',
    c15t: 'CCPA',
    source: 'Cal. Civ. Code §§ 1798.120, 1798.135; CCPA Regulations § 7025 (opt-out preference signals)',
  },
  usState('CPA', 'Colorado Privacy Act', 'C.R.S. § 6-1-1306'),
  usState('CTDPA', 'Connecticut Data Privacy Act', 'Conn. Gen. Stat. § 42-518'),
  usState('VCDPA', 'Virginia Consumer Data Protection Act', 'Va. Code § 59.1-577'),
  usState('UCPA', 'Utah Consumer Privacy Act', 'Utah Code § 13-61-201'),
  usState('TDPSA', 'Texas Data Privacy and Security Act', 'Tex. Bus. & Com. Code § 541.051'),
  usState('OCPA', 'Oregon Consumer Privacy Act', 'ORS 646A.574'),
  usState('MTCDPA', 'Montana Consumer Data Privacy Act', 'MCA 30-14-2808'),
  usState('IACDPA', 'Iowa Consumer Data Protection Act', 'Iowa Code § 715D.3'),
  usState('DPDPA', 'Delaware Personal Data Privacy Act', '6 Del. C. § 12D-104'),
  usState('NEDPA', 'Nebraska Data Privacy Act', 'Neb. Rev. Stat. § 87-1107'),
  usState('NHPA', 'New Hampshire privacy law', 'RSA 507-H:4'),
  usState('NJDPA', 'New Jersey Data Privacy Act', 'N.J.S.A. 56:8-166.10'),
  usState('TIPA', 'Tennessee Information Protection Act', 'Tenn. Code § 47-18-3204'),
  usState('MNCDPA', 'Minnesota Consumer Data Privacy Act', 'Minn. Stat. § 325M.14'),
  usState('MODPA', 'Maryland Online Data Privacy Act', 'Md. Code, Com. Law § 14-4705'),
  usState('INCDPA', 'Indiana Consumer Data Protection Act', 'Ind. Code § 24-15-3-1'),
  usState('KCDPA', 'Kentucky Consumer Data Protection Act', 'KRS 367.3615'),
  usState('RIDTPPA', 'Rhode Island Data Transparency and Privacy Protection Act', 'R.I. Gen. Laws § 6-48.1-5'),
  { code: 'PIPEDA', name: 'Canada: PIPEDA', model: 'opt-out', c15t: 'PIPEDA', source: 'PIPEDA sch. 1 cl. 4.3.6 (implied consent for non-sensitive information), as c15t applies' },
  { code: 'QC_LAW25', name: 'Québec: Law 25', model: 'opt-in', c15t: 'QC_LAW25', source: 'Act respecting the protection of personal information in the private sector, s. 8.1, 9.1 (off by default)' },
  { code: 'LGPD', name: 'Brazil: LGPD', model: 'opt-in', c15t: 'BR', source: 'LGPD art. 7 I, 8 (consent), as c15t applies' },
  { code: 'AU', name: 'Australia: Privacy Act 1988', model: 'opt-out', c15t: 'AU', source: 'Privacy Act 1988, APP 7 (direct marketing opt-out), as c15t applies' },
  { code: 'APPI', name: 'Japan: APPI', model: 'opt-in', c15t: 'APPI', source: 'APPI art. 31 (personally referable information), as c15t applies' },
  { code: 'PIPA', name: 'South Korea: PIPA', model: 'opt-in', c15t: 'PIPA', source: 'PIPA art. 15, 22, as c15t applies' },
  { code: 'NONE', name: 'No law the plugin applies', model: 'notice', c15t: 'NONE', source: 'none: a notice only' },
];

export const JURISDICTION_CODES = JURISDICTIONS.map((j) => j.code);
const BY_CODE = new Map(JURISDICTIONS.map((j) => [j.code, j]));
export const jurisdictionByCode = (code: string): Jurisdiction | undefined => BY_CODE.get(code);

/** Codes c15t used that the plugin names otherwise (config written for 0.x keeps working). */
export const JURISDICTION_ALIASES: Record<string, string> = { BR: 'LGPD' };

/** The EU and the rest of the EEA. */
const GDPR_COUNTRIES = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
];

/**
 * The default table: area (an ISO 3166-1 country, or an ISO 3166-2 subdivision such as
 * `US-CA`) → jurisdiction code. A subdivision's entry wins over its country's.
 */
export const DEFAULT_AREAS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(GDPR_COUNTRIES.map((country) => [country, 'GDPR'])),
  GB: 'UK_GDPR',
  GG: 'UK_GDPR',
  JE: 'UK_GDPR',
  IM: 'UK_GDPR',
  CH: 'CH',
  'US-CA': 'CCPA',
  'US-CO': 'CPA',
  'US-CT': 'CTDPA',
  'US-VA': 'VCDPA',
  'US-UT': 'UCPA',
  'US-TX': 'TDPSA',
  'US-OR': 'OCPA',
  'US-MT': 'MTCDPA',
  'US-IA': 'IACDPA',
  'US-DE': 'DPDPA',
  'US-NE': 'NEDPA',
  'US-NH': 'NHPA',
  'US-NJ': 'NJDPA',
  'US-TN': 'TIPA',
  'US-MN': 'MNCDPA',
  'US-MD': 'MODPA',
  'US-IN': 'INCDPA',
  'US-KY': 'KCDPA',
  'US-RI': 'RIDTPPA',
  CA: 'PIPEDA',
  'CA-QC': 'QC_LAW25',
  BR: 'LGPD',
  AU: 'AU',
  JP: 'APPI',
  KR: 'PIPA',
});

/** What editors keep in Settings → Regions: areas and each jurisdiction's model. */
export interface RegionTable {
  /** Area (`DE`, `US-CA`) → jurisdiction code. */
  areas: Record<string, string>;
  /** Jurisdiction code → model, where an editor changed the default. */
  models: Record<string, Model>;
  /** The jurisdiction of a visitor whose area has no entry (or whose area is unknown). */
  defaultJurisdiction: string;
}

/** ISO 3166-1 alpha-2, as proxies send it (Cloudflare's CF-IPCountry, CloudFront, Vercel). */
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
/** The subdivision part of ISO 3166-2 (`QC` of CA-QC, `CA` of US-CA), or the whole code. */
export const REGION_PATTERN = /^(?:[A-Z]{2}-)?[A-Z0-9]{1,3}$/;
/** An area of the table: a country, or a country and a subdivision. */
export const AREA_PATTERN = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

export interface Location {
  countryCode: string | null;
  regionCode: string | null;
}

/**
 * Upper-cases ASCII letters only. String#toUpperCase maps some other letters to ASCII ones
 * (`ß` → `SS`, and a header's bytes arrive as latin1), which would let a look-alike value pass
 * as a code the proxy never sent.
 */
const asciiUpper = (value: string) => value.replace(/[a-z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) - 32));

/** Reads a proxy's header value: a country code, or null for anything else (XX, T1, junk). */
export function readCountry(value: string | undefined): string | null {
  if (typeof value !== 'string' || value.length > 8) return null;
  const code = asciiUpper(value.trim());
  return COUNTRY_PATTERN.test(code) && code !== 'XX' ? code : null;
}

/**
 * Reads a region header value into its subdivision code (`CA-QC` → `QC`), or null. A whole
 * ISO 3166-2 code must be of the request's country: `CA-QC` beside country US is no region
 * (it is not US-QC, nor Québec's law for a visitor the country header places elsewhere).
 */
export function readRegion(value: string | undefined, country?: string | null): string | null {
  if (typeof value !== 'string' || value.length > 12) return null;
  const code = asciiUpper(value.trim());
  if (!REGION_PATTERN.test(code)) return null;
  if (!code.includes('-')) return code;
  const [prefix, subdivision] = code.split('-');
  return country && prefix !== country ? null : subdivision;
}

/** A request's jurisdiction as the public answers, records and receipts name it. */
export interface ResolvedJurisdiction {
  code: string;
  model: Model;
  country: string | null;
  region: string | null;
}

/** The model of a jurisdiction under a table (the editor's, else the default). */
export const modelIn = (table: RegionTable, code: string): Model => table.models[code] ?? jurisdictionByCode(code)?.model ?? 'opt-in';

/**
 * The jurisdiction of a location: its subdivision's entry, else its country's, else the
 * table's default (no trusted header configured or sent: the default for everyone).
 */
export function resolveJurisdiction(table: RegionTable, location: Location): ResolvedJurisdiction {
  const { countryCode: country, regionCode: region } = location;
  const code =
    (country && region ? table.areas[`${country}-${region}`] : undefined) ?? (country ? table.areas[country] : undefined) ?? table.defaultJurisdiction;
  return { code, model: modelIn(table, code), country, region: country ? region : null };
}

/** The fields of a category the models read. */
export interface ModelCategory {
  key: string;
  required: boolean;
  refusedUnderGpc: boolean;
  saleShare: boolean;
}

/**
 * What a Global Privacy Control signal refuses: under an opt-out law it is an opt-out of sale
 * and sharing (exactly the sale/share categories); elsewhere, what the categories are set to
 * refuse under GPC. Required categories are never refused.
 */
export function refusedByGpc(model: Model, categories: ModelCategory[], signal: boolean): string[] {
  if (!signal) return [];
  return categories.filter((c) => !c.required && (model === 'opt-out' ? c.saleShare : c.refusedUnderGpc)).map((c) => c.key);
}

/** Whether the signal was honoured as the opt-out a law makes it (a frontend may say so). */
export const gpcHonoured = (model: Model, signal: boolean): boolean => signal && model === 'opt-out';

/**
 * The state a banner starts from: opt-in refuses every optional category until chosen; opt-out
 * and notice grant them, less what GPC refuses.
 */
export function defaultsFor(model: Model, categories: ModelCategory[], gpc: boolean): Record<string, boolean> {
  const refused = new Set(refusedByGpc(model, categories, gpc));
  return Object.fromEntries(categories.map((c) => [c.key, c.required || (model !== 'opt-in' && !refused.has(c.key))]));
}
