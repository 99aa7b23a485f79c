import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import { sha256Hex } from '../policy/canonical';
import { renderSections } from '../policy/markdown';
import { sectionChanges } from '../policy/changes';
import type { ControllerIdentity, RenderedSection } from '../policy/types';
import type { Generation, Representation } from './answer-cache';
import type { Row } from './policy-versions';

const YEAR = 365 * 24 * 3600;
/** The longest a short-lived answer (current, upcoming, scheduled) may be kept by a browser or CDN. */
const SHORT_MAX_AGE = 60;
const iso = (value: string | Date | null) => new Date(value as string).toISOString();

/**
 * The locale a request is answered in, resolved against i18n before the cache is consulted:
 * a configured code the client named, '' for "none named" (the default locale, whichever it is
 * at the time), or '*' for any code i18n does not have (also the default locale).
 */
type LocaleKey = string;
const NONE_NAMED: LocaleKey = '';
const UNKNOWN_LOCALE: LocaleKey = '*';

const shortCache = (ms: number) => `public, max-age=${Math.max(0, Math.min(SHORT_MAX_AGE, Math.floor(ms / 1000)))}, must-revalidate`;

/** Only the sealed parts of an identity are served: extra keys stored below the plugin are not. */
const sealedIdentity = (controller: ControllerIdentity): ControllerIdentity => ({
  name: String(controller?.name ?? ''),
  address: String(controller?.address ?? ''),
  email: String(controller?.email ?? ''),
  url: String(controller?.url ?? ''),
});

/**
 * Builds the public JSON answers for policies and caches them (see answer-cache). Kinds:
 * `current` and `upcoming` (short cache, rebuilt when the next version takes effect), `version`
 * (a numbered version: immutable once it has taken effect, when a locale it has was named) and
 * `versions` (the changelog).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const versions = () => strapi.plugin('privacy-centre').service('policy-versions');
  const cache = () => strapi.plugin('privacy-centre').service('answer-cache');
  const settings = () => strapi.plugin('privacy-centre').service('settings');
  const locales = () => strapi.plugin('privacy-centre').service('locales');

  /**
   * Rendered sections by (version hash, locale): a version's content never changes, so it is
   * rendered once, not again every time its answer expires. Bounded in bytes like the answers.
   */
  const rendered = new LRUCache<string, RenderedSection[]>({
    maxSize: 16 * 1024 * 1024,
    sizeCalculation: (sections) => sections.reduce((sum, s) => sum + s.markdown.length + s.html.length + 200, 64),
  });
  /** Builds under way, so that a burst of misses for one answer builds it once. */
  const building = new Map<string, Promise<Representation | null>>();

  const localeKey = async (requested: string | undefined): Promise<LocaleKey> => {
    if (requested === undefined) return NONE_NAMED;
    const { codes } = await locales().get();
    return codes.includes(requested) ? requested : UNKNOWN_LOCALE;
  };

  const sectionsOf = (row: Row): RenderedSection[] => {
    const key = `${row.hash}\u0000${row.locale}`;
    let sections = rendered.get(key);
    if (!sections) {
      sections = renderSections(row.sections ?? []);
      rendered.set(key, sections);
    }
    return sections;
  };

  const build = async (
    rows: Row[],
    key: LocaleKey,
    status: string | undefined,
    options: { cacheControl: (dependsOnI18n: boolean) => string; expiresAt: number; lastModified: Date }
  ): Promise<Representation> => {
    // Nothing is served that does not match its seal (a 500, logged and audited once).
    await versions().assertIntact(rows);
    const { defaultLocale, changedAt } = await locales().get();
    const wanted = key === NONE_NAMED || key === UNKNOWN_LOCALE ? null : key;
    const row = (wanted && rows.find((r) => r.locale === wanted)) || rows.find((r) => r.locale === defaultLocale) || rows[0];
    // Which locale is served depends on i18n's default unless the client named one the version has.
    const dependsOnI18n = row.locale !== wanted;
    const first = rows[0];
    let lastModified = options.lastModified;
    if (dependsOnI18n && changedAt && changedAt > lastModified) lastModified = changedAt;
    // Versions published before identities were sealed (0.1.x) show the identity in Settings.
    let controller = first.controller;
    if (!controller) {
      controller = (await settings().get()).controller;
      const settingsChangedAt = await settings().changedAt();
      if (settingsChangedAt && settingsChangedAt > lastModified) lastModified = settingsChangedAt;
    }
    const data = {
      slug: row.slug,
      version: row.version,
      ...(status ? { status } : {}),
      locale: row.locale,
      // Served in another locale than asked for (none named: the default locale is what was asked).
      fallback: key === UNKNOWN_LOCALE || row.locale !== (wanted ?? defaultLocale),
      locales: rows.map((r) => r.locale).sort(),
      title: row.title,
      summary: row.summary ?? '',
      materialChange: Boolean(row.materialChange),
      effectiveAt: iso(row.effectiveAt),
      publishedAt: iso(row.releasedAt),
      hash: row.hash,
      // The seal: Ed25519 over `hash:published`, checkable with the keys at GET /keys.
      signature: row.signature ?? null,
      previousVersion: await versions().previousVersion(row.slug, row.version!),
      controller: sealedIdentity(controller!),
      sections: sectionsOf(row),
    };
    return represent({ data }, {
      lastModified,
      contentLanguage: row.locale,
      cacheControl: options.cacheControl(dependsOnI18n || !first.controller),
      expiresAt: options.expiresAt,
    });
  };

  const represent = (
    body: unknown,
    meta: { lastModified: Date; contentLanguage?: string; cacheControl: string; expiresAt: number }
  ): Representation => {
    const text = JSON.stringify(body);
    return {
      bytes: Buffer.from(text, 'utf8'),
      // A digest of the exact bytes (which embed the version hash and the locale served), so
      // equal ETags mean equal answers: a strong validator.
      etag: `"${sha256Hex(text).slice(0, 40)}"`,
      lastModified: meta.lastModified.toUTCString(),
      contentLanguage: meta.contentLanguage ?? '',
      cacheControl: meta.cacheControl,
      expiresAt: meta.expiresAt,
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
    const key = `${kind}\u0000${slug}\u0000${variant}`;
    const under = building.get(key);
    if (under) return under;
    const generation: Generation = cache().generation(slug);
    const made = make()
      .then((representation) => {
        if (representation) cache().set(kind, slug, variant, representation, generation);
        return representation;
      })
      .finally(() => building.delete(key));
    building.set(key, made);
    return made;
  };

  const service = {
    /** The cached answer of `current`, or undefined: what the fast-path middleware sends. */
    async cachedCurrent(slug: string, locale?: string): Promise<Representation | undefined> {
      return cache().get('current', slug, await localeKey(locale));
    },

    async current(slug: string, locale?: string) {
      const key = await localeKey(locale);
      return cached('current', slug, key, async () => {
        const now = new Date();
        const { rows, nextChangeAt } = await versions().currentRows(slug, now);
        if (!rows?.length) return null;
        await versions().assertNoneSkipped(slug, rows[0].version!, now);
        const untilChange = nextChangeAt ? nextChangeAt.getTime() - now.getTime() : Infinity;
        const keep = Math.min(cache().ttlMs(), untilChange);
        const first = rows[0];
        return build(rows, key, 'in-force', {
          cacheControl: () => shortCache(keep),
          expiresAt: now.getTime() + keep,
          // The moment this version became the one in force.
          lastModified: new Date(Math.max(new Date(first.effectiveAt!).getTime(), new Date(first.releasedAt!).getTime())),
        });
      });
    },

    async upcoming(slug: string, locale?: string) {
      const key = await localeKey(locale);
      return cached('upcoming', slug, key, async () => {
        const now = new Date();
        const rows = await versions().upcomingRows(slug, now);
        if (!rows?.length) return null;
        const keep = Math.min(cache().ttlMs(), new Date(rows[0].effectiveAt!).getTime() - now.getTime());
        return build(rows, key, 'scheduled', {
          cacheControl: () => shortCache(keep),
          expiresAt: now.getTime() + keep,
          lastModified: new Date(rows[0].releasedAt!),
        });
      });
    },

    async version(slug: string, version: number, locale?: string) {
      const key = await localeKey(locale);
      return cached('version', slug, `${version}\u0000${key}`, async () => {
        const rows = await versions().versionRows(slug, version);
        if (!rows?.length) return null;
        const now = Date.now();
        const untilEffective = new Date(rows[0].effectiveAt!).getTime() - now;
        const keep = Math.min(cache().ttlMs(), untilEffective > 0 ? untilEffective : Infinity);
        // No status: it would change as time passes.
        return build(rows, key, undefined, {
          // Immutable only when nothing about the answer can change any more: in effect (a
          // scheduled version can still be withdrawn), its identity sealed, and a locale it has
          // named by the client (otherwise i18n's default decides, and it may change).
          cacheControl: (changeable) => (untilEffective <= 0 && !changeable ? `public, max-age=${YEAR}, immutable` : shortCache(keep)),
          expiresAt: now + keep,
          lastModified: new Date(rows[0].releasedAt!),
        });
      });
    },

    /**
     * The sections of `version` that differ from the published version before it, in the locale
     * asked for (or the default one); cached like `version`, and immutable on the same terms.
     */
    async changes(slug: string, version: number, locale?: string) {
      const key = await localeKey(locale);
      return cached('changes', slug, `${version}\u0000${key}`, async () => {
        const rows = await versions().versionRows(slug, version);
        if (!rows?.length) return null;
        await versions().assertIntact(rows);
        const previous = await versions().previousVersion(slug, version);
        const previousRows: Row[] = previous ? ((await versions().versionRows(slug, previous)) ?? []) : [];
        if (previousRows.length) await versions().assertIntact(previousRows);
        const { defaultLocale, changedAt } = await locales().get();
        const wanted = key === NONE_NAMED || key === UNKNOWN_LOCALE ? null : key;
        const pick = (list: Row[]) => (wanted && list.find((r) => r.locale === wanted)) || list.find((r) => r.locale === defaultLocale) || list[0];
        const row = pick(rows);
        const before = previousRows.length ? pick(previousRows) : null;
        const dependsOnI18n = row.locale !== wanted || (before !== null && before.locale !== wanted);
        const now = Date.now();
        const untilEffective = new Date(rows[0].effectiveAt!).getTime() - now;
        const keep = Math.min(cache().ttlMs(), untilEffective > 0 ? untilEffective : Infinity);
        let lastModified = new Date(rows[0].releasedAt!);
        if (dependsOnI18n && changedAt && changedAt > lastModified) lastModified = changedAt;
        const data = {
          slug,
          version,
          previousVersion: previous,
          locale: row.locale,
          fallback: key === UNKNOWN_LOCALE || row.locale !== (wanted ?? defaultLocale),
          title: row.title,
          summary: row.summary ?? '',
          materialChange: Boolean(row.materialChange),
          effectiveAt: iso(row.effectiveAt),
          hash: row.hash,
          changes: sectionChanges(before?.sections ?? [], row.sections ?? []),
        };
        return represent({ data }, {
          lastModified,
          contentLanguage: row.locale,
          cacheControl: untilEffective <= 0 && !dependsOnI18n ? `public, max-age=${YEAR}, immutable` : shortCache(keep),
          expiresAt: now + keep,
        });
      });
    },

    /** The changelog; a version that fails its integrity check is listed by number only. */
    async versions(slug: string) {
      return cached('versions', slug, '', async () => {
        const now = new Date();
        const { entries, nextChangeAt, lastModified } = await versions().changelog(slug, now);
        if (!entries.length) return null;
        const keep = Math.min(cache().ttlMs(), nextChangeAt ? nextChangeAt.getTime() - now.getTime() : Infinity);
        return represent({ data: { slug, versions: entries } }, { lastModified, cacheControl: shortCache(keep), expiresAt: now.getTime() + keep });
      });
    },
  };
  return service;
};
