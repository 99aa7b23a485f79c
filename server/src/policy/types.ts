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
  locales: Record<string, LocaleContent>;
}
