/**
 * Options every plugin content type shares: Strapi's draft-and-publish is off, because
 * publication here is an immutable snapshot (DESIGN.md §4), and the Content-Type Builder
 * must not edit schemas whose shape the services rely on.
 */
export const hiddenFromBuilder = { 'content-type-builder': { visible: false } } as const;

/** Append-only records: the Content Manager would offer edit and delete buttons. */
export const hiddenEverywhere = {
  'content-type-builder': { visible: false },
  'content-manager': { visible: false },
} as const;

export const PLUGIN_ID = 'privacy-centre';
