/** One section of a policy version: the unit that is anchored, rendered, diffed and hashed. */
export interface PolicySection {
  /** Stable, URL-safe fragment id, unique within the version (see `anchorFor`). */
  anchor: string;
  /** Plain text, not markdown: it keeps its numbering ("3. Legal basis"). */
  heading: string;
  /** Body in markdown (tables as GFM tables). */
  markdown: string;
}

export interface RenderedSection extends PolicySection {
  /** Sanitised HTML of `markdown`. */
  html: string;
}

/**
 * Derived from the stored `lifecycle` (draft | published | withdrawn) and `effectiveAt`
 * against the clock, so a scheduled version comes into force with no job running.
 */
export type PolicyStatus = 'draft' | 'scheduled' | 'in-force' | 'superseded' | 'withdrawn';

/** One locale of a version. */
export interface LocaleContent {
  title: string;
  summary: string;
  sections: PolicySection[];
}

/** The controller identity served with a policy (Settings), sealed into a version when it is published. */
export interface ControllerIdentity {
  name: string;
  address: string;
  email: string;
  url: string;
}

/**
 * Whether a frozen version's stored content still matches its hash: `ok`, `broken` (changed
 * outside the plugin, e.g. from a SQL console; the public routes refuse to serve it), or null
 * for a draft, which has no hash yet.
 */
export type PolicyIntegrity = 'ok' | 'broken' | null;

/** A version with every locale, as the admin API returns it. */
export interface PolicyVersionView {
  documentId: string;
  slug: string;
  version: number | null;
  status: PolicyStatus;
  materialChange: boolean;
  effectiveAt: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
  hash: string | null;
  integrity: PolicyIntegrity;
  /**
   * The controller identity sealed at publication (part of the hash). Null for a draft, and for
   * a version published before identities were sealed (0.1.x): those are served with the
   * identity in Settings.
   */
  controller: ControllerIdentity | null;
  locales: Record<string, LocaleContent>;
}

/** The answer of `POST /policies/verify`: every frozen version re-hashed, every frozen table's marks checked. */
export interface PolicyVerification {
  checked: number;
  broken: Array<{ documentId: string; slug: string; version: number | null }>;
  /** Version numbers missing from a policy's sequence: versions deleted below the plugin. */
  missing: Array<{ slug: string; version: number }>;
  /** Cookie declaration revisions missing (deleted below the plugin, or the table emptied). */
  missingRevisions: number[];
  /** Set when the newest consent record the plugin saw is gone: records were wiped below it. */
  missingConsentRecords: { newestKnownGivenAt: string } | null;
  verifiedAt: string;
}
