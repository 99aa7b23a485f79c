// The cookie declaration's shapes: pure, shared by the server and the admin.
import type { C15tConsentType } from '../c15t/consent-types';

/** Google Consent Mode v2 signals a category can carry. */
export const CONSENT_MODE_SIGNALS = [
  'ad_storage',
  'ad_user_data',
  'ad_personalization',
  'analytics_storage',
  'functionality_storage',
  'personalization_storage',
  'security_storage',
] as const;
export type ConsentModeSignal = (typeof CONSENT_MODE_SIGNALS)[number];

/** What `gtag('consent', 'update', …)` takes: every signal, granted or denied. */
export type ConsentMode = Record<ConsentModeSignal, 'granted' | 'denied'>;

export const STORAGE_TYPES = ['cookie', 'localStorage', 'sessionStorage', 'indexedDB', 'pixel'] as const;
export type StorageType = (typeof STORAGE_TYPES)[number];

/** The texts of a category in one locale. */
export interface CategoryText {
  name: string;
  description: string;
}

/** The texts of a cookie definition in one locale. */
export interface DefinitionText {
  purpose: string;
  duration: string;
}

/** A category as editors manage it (admin API), with every locale. */
export interface CookieCategory {
  key: string;
  /** Required categories (necessary) are always granted and cannot be refused. */
  required: boolean;
  position: number;
  consentMode: ConsentModeSignal[];
  /** Whether a Global Privacy Control signal (`Sec-GPC: 1`) refuses this category. */
  refusedUnderGpc: boolean;
  /**
   * The c15t consent type editors chose for it; absent: the default for its key (c15tTypeOf).
   * Absent too from revisions published before the field existed, whose seals stay as they are.
   */
  c15tType?: C15tConsentType;
  /**
   * Whether it sells or shares personal information (the US opt-out laws), as editors chose;
   * absent: the default (saleShareOf). Absent too from revisions published before the field.
   */
  saleShare?: boolean;
  locales: Record<string, CategoryText>;
}

/** A cookie (or other storage) as editors manage it, with every locale. */
export interface CookieDefinition {
  documentId: string;
  /** A name or a pattern such as `_ga_*`. */
  name: string;
  category: string;
  provider: string;
  domain: string;
  storageType: StorageType;
  thirdParty: boolean;
  service: string;
  position: number;
  locales: Record<string, DefinitionText>;
}

/**
 * What a published revision freezes (and its hash covers): every category with its cookies, in
 * every locale, in order. Keys and cookies are sorted by position, then key / name.
 */
export interface DeclarationSnapshot {
  locales: string[];
  categories: Array<Omit<CookieCategory, 'position'> & { cookies: Array<Omit<CookieDefinition, 'documentId' | 'category' | 'position'>> }>;
}

/** A published revision (admin API). */
export interface DeclarationRevision {
  revision: number;
  hash: string;
  publishedAt: string;
  publishedBy: string | null;
  integrity: 'ok' | 'broken';
  snapshot: DeclarationSnapshot;
}

/** What changed between the latest revision and what editors have now (admin API). */
export interface DeclarationChanges {
  /** Null when nothing was ever published. */
  since: number | null;
  changed: boolean;
  categories: { added: string[]; removed: string[]; changed: string[] };
  cookies: { added: string[]; removed: string[]; changed: string[] };
}

/** `GET /api/privacy-centre/cookies?locale=`: the current revision in one locale. */
export interface PublicDeclaration {
  revision: number;
  hash: string;
  publishedAt: string;
  locale: string;
  fallback: boolean;
  locales: string[];
  categories: Array<{
    key: string;
    name: string;
    description: string;
    required: boolean;
    consentMode: ConsentModeSignal[];
    refusedUnderGpc: boolean;
    /** The c15t consent type it stands for (chosen, or the default for its key). */
    c15tType?: C15tConsentType;
    /** Whether an opt-out of sale/share (GPC in an opt-out jurisdiction) refuses it. */
    saleShare: boolean;
    cookies: Array<{
      name: string;
      provider: string;
      domain: string;
      purpose: string;
      duration: string;
      storageType: StorageType;
      thirdParty: boolean;
      service: string;
    }>;
  }>;
}
