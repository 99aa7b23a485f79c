import type { Core } from '@strapi/strapi';
import { sha256Hex } from '../policy/canonical';
import { renderSections } from '../policy/markdown';
import type { Representation } from './policy-cache';

export interface PublicRow {
  documentId: string;
  locale: string;
  slug: string;
  version: number;
  title: string;
  summary: string | null;
  sections: any[] | null;
  materialChange: boolean;
  effectiveAt: string | Date;
  releasedAt: string | Date;
  hash: string;
}

const YEAR = 365 * 24 * 3600;
const iso = (value: string | Date) => new Date(value).toISOString();

/**
 * Builds the public JSON answers for policies and caches them (see policy-cache).
 * Kinds: `current` (short cache, expires when the next version takes effect), `upcoming`
 * (short), `version` (immutable: a published version never changes).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const policies = () => strapi.plugin('privacy-centre').service('policies');
  const cache = () => strapi.plugin('privacy-centre').service('policy-cache');
  const settings = () => strapi.plugin('privacy-centre').service('settings');

  const build = async (
    rows: PublicRow[],
    requested: string | undefined,
    status: string | undefined,
    options: { cacheControl: string; expiresAt: number; lastModified: Date }
  ): Promise<Representation> => {
    const { defaultLocale } = await policies().locales();
    const available = rows.map((r) => r.locale).sort();
    const wanted = requested ?? defaultLocale;
    const row =
      rows.find((r) => r.locale === wanted) ??
      rows.find((r) => r.locale === defaultLocale) ??
      rows[0];
    const { controller } = await settings().get();
    const data = {
      slug: row.slug,
      version: row.version,
      ...(status ? { status } : {}),
      locale: row.locale,
      fallback: row.locale !== wanted,
      requestedLocale: wanted,
      locales: available,
      title: row.title,
      summary: row.summary ?? '',
      materialChange: Boolean(row.materialChange),
      effectiveAt: iso(row.effectiveAt),
      publishedAt: iso(row.releasedAt),
      hash: row.hash,
      previousVersion: await policies().previousVersion(row.slug, row.version),
      controller,
      sections: renderSections(row.sections ?? []),
    };
    const body = JSON.stringify({ data });
    return {
      body,
      bytes: Buffer.from(body, 'utf8'),
      // A digest of the exact bytes: the body embeds the version hash, the locale and the
      // fallback flag, so equal ETags mean equal answers (a strong validator).
      etag: `"${sha256Hex(body).slice(0, 40)}"`,
      lastModified: options.lastModified.toUTCString(),
      contentLanguage: row.locale,
      cacheControl: options.cacheControl,
      expiresAt: options.expiresAt,
    };
  };

  const cached = async (
    kind: string,
    slug: string,
    variant: string,
    make: () => Promise<Representation | null>
  ): Promise<Representation | null> => {
    const hit = cache().get(kind, slug, variant);
    if (hit) return hit;
    const made = await make();
    if (made) cache().set(kind, slug, variant, made);
    return made;
  };

  return {
    current(slug: string, locale?: string) {
      return cached('current', slug, locale ?? '', async () => {
        const now = new Date();
        const { rows, nextChangeAt } = await policies().currentRows(slug, now);
        if (!rows?.length) return null;
        const ttl = cache().ttlMs();
        const untilChange = nextChangeAt ? nextChangeAt.getTime() - now.getTime() : Infinity;
        const maxAge = Math.max(0, Math.min(60, Math.floor(Math.min(ttl, untilChange) / 1000)));
        const first = rows[0];
        return build(rows, locale, 'in-force', {
          cacheControl: `public, max-age=${maxAge}, must-revalidate`,
          expiresAt: now.getTime() + Math.min(ttl, untilChange),
          // The moment this version became the current one.
          lastModified: new Date(Math.max(new Date(first.effectiveAt).getTime(), new Date(first.releasedAt).getTime())),
        });
      });
    },

    upcoming(slug: string, locale?: string) {
      return cached('upcoming', slug, locale ?? '', async () => {
        const now = new Date();
        const rows = await policies().upcomingRows(slug, now);
        if (!rows?.length) return null;
        const untilChange = new Date(rows[0].effectiveAt).getTime() - now.getTime();
        const ttl = Math.min(cache().ttlMs(), untilChange);
        return build(rows, locale, 'scheduled', {
          cacheControl: `public, max-age=${Math.max(0, Math.min(60, Math.floor(ttl / 1000)))}, must-revalidate`,
          expiresAt: now.getTime() + ttl,
          lastModified: new Date(rows[0].releasedAt),
        });
      });
    },

    version(slug: string, version: number, locale?: string) {
      return cached('version', slug, `${version}\u0000${locale ?? ''}`, async () => {
        const rows = await policies().versionRows(slug, version);
        if (!rows?.length) return null;
        const now = Date.now();
        const effective = new Date(rows[0].effectiveAt).getTime();
        const scheduled = effective > now;
        // No status here: the answer is immutable, a status would change as time passes.
        return build(rows, locale, undefined, {
          // The content is frozen; only its status moves on, which the body also states.
          cacheControl: `public, max-age=${YEAR}, immutable`,
          expiresAt: now + Math.min(cache().ttlMs(), scheduled ? effective - now : Infinity),
          lastModified: new Date(rows[0].releasedAt),
        });
      });
    },
  };
};
