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
