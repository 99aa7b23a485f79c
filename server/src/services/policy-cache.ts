import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';

/** A ready-to-send public answer: the serialised body and its validators. */
export interface Representation {
  body: string;
  /** `body` encoded once, so a cache hit sends bytes without re-encoding 30 KB of JSON. */
  bytes: Buffer;
  etag: string;
  lastModified: string;
  contentLanguage: string;
  cacheControl: string;
  /** Epoch ms after which the entry must be rebuilt. */
  expiresAt: number;
}

/**
 * In-memory cache of public policy answers per (kind, slug, locale). It is invalidated on
 * publish and withdraw, expires at the next scheduled `effectiveAt` of the slug, and lives at
 * most `cacheTtlSeconds`, so several instances behind a load balancer converge.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const entries = new Map<string, Representation>();
  const keyOf = (kind: string, slug: string, variant: string) => `${slug}\u0000${kind}\u0000${variant}`;

  return {
    ttlMs(): number {
      return (strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig).cacheTtlSeconds * 1000;
    },

    get(kind: string, slug: string, variant: string): Representation | undefined {
      const key = keyOf(kind, slug, variant);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return entry;
    },

    set(kind: string, slug: string, variant: string, entry: Representation) {
      if (entry.expiresAt > Date.now()) entries.set(keyOf(kind, slug, variant), entry);
    },

    invalidate(slug: string) {
      const prefix = `${slug}\u0000`;
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },

    clear() {
      entries.clear();
    },

    size() {
      return entries.size;
    },
  };
};
