import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import type { PrivacyCentreConfig } from '../config';

/** A ready-to-send public answer: the body's bytes and their validators. */
export interface Representation {
  /** The serialised JSON, encoded once: a hit sends bytes without re-encoding 30 KB of JSON. */
  bytes: Buffer;
  etag: string;
  lastModified: string;
  contentLanguage: string;
  cacheControl: string;
  /** Epoch ms after which the entry must be rebuilt. */
  expiresAt: number;
}

/** What a build must present to store its answer: the generation it started under. */
export type Generation = string;

/**
 * The bounded answer cache of the public routes, keyed by (kind, slug, variant) where every
 * part is resolved against stored data first (a variant is an i18n locale code, never the raw
 * query string), so its size is bounded by the content, not by what clients send; and, as a
 * last guard, a least-recently-used limit in bytes (`cacheMaxMegabytes`).
 *
 * An entry lives until the next scheduled change of its slug and at most `cacheTtlSeconds`, so
 * several instances behind a load balancer converge. Publishing and withdrawing invalidate the
 * slug at once; an answer built from rows read before an invalidation is not stored after it
 * (each slug has a generation, and a build presents the one it started under).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  let entries: LRUCache<string, Representation> | undefined;
  const store = () =>
    (entries ??= new LRUCache<string, Representation>({
      maxSize: config().cacheMaxMegabytes * 1024 * 1024,
      // The bytes, plus the key and headers: a few hundred bytes per entry.
      sizeCalculation: (entry, key) => entry.bytes.length + key.length + 512,
    }));
  /** Bumped by clear(); per-slug counters by invalidate(). Slugs enter only when invalidated. */
  let epoch = 0;
  const slugGenerations = new Map<string, number>();
  const keyOf = (kind: string, slug: string, variant: string) => `${slug}\u0000${kind}\u0000${variant}`;

  return {
    ttlMs(): number {
      return config().cacheTtlSeconds * 1000;
    },

    generation(slug: string): Generation {
      return `${epoch}:${slugGenerations.get(slug) ?? 0}`;
    },

    get(kind: string, slug: string, variant: string): Representation | undefined {
      const key = keyOf(kind, slug, variant);
      const entry = store().get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= Date.now()) {
        store().delete(key);
        return undefined;
      }
      return entry;
    },

    /** Stores an answer unless the slug was invalidated since `generation` was taken. */
    set(kind: string, slug: string, variant: string, entry: Representation, generation: Generation) {
      if (generation !== this.generation(slug)) return;
      if (entry.expiresAt > Date.now()) store().set(keyOf(kind, slug, variant), entry);
    },

    invalidate(slug: string) {
      slugGenerations.set(slug, (slugGenerations.get(slug) ?? 0) + 1);
      const prefix = `${slug}\u0000`;
      for (const key of [...store().keys()]) if (key.startsWith(prefix)) store().delete(key);
    },

    clear() {
      epoch += 1;
      store().clear();
    },

    size() {
      return store().size;
    },

    bytes() {
      return store().calculatedSize;
    },
  };
};
