import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { LRUCache } from 'lru-cache';
import { isUniqueViolation, retryOnDeadlock } from '../db/errors';
import { publicDeclaration } from '../cookies/snapshot';
import type { DeclarationRevision, DeclarationSnapshot } from '../cookies/types';
import { sealing } from '../guards/frozen-records';
import { DECLARATION_UID } from '../guards/cookie-declaration';
import { hashContent, sha256Hex } from '../policy/canonical';
import { describeActor, type AdminUser } from './audit';
import type { Representation } from './answer-cache';
import { defaultsFor, gpcHonoured, refusedByGpc, type RegionTable, type ResolvedJurisdiction } from '../regions';
import { modelCategory } from '../regions/categories';
import { doNotSellText } from '../regions/texts';
import { consentModeDefaults, consentModeScript } from '../regions/consent-mode';

type Row = { revision: number; snapshot: DeclarationSnapshot; hash: string; signature: string | null; releasedAt: string; releasedBy: string | null };

/** The key the declaration's public answers use in the answer cache (not a valid policy slug). */
const CACHE_SLUG = '#cookies';
const SHORT_MAX_AGE = 60;

/** SHA-256 over the canonical JSON of what a revision freezes: anyone can recompute it. */
export const declarationHash = (revision: number, publishedAt: string, snapshot: DeclarationSnapshot) =>
  hashContent({ revision, publishedAt, snapshot });

/**
 * Published revisions of the cookie declaration: publication (one transaction, sealed, audited),
 * reading them back checked against their seal, and the public answer.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(DECLARATION_UID);
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const cache = () => strapi.plugin('privacy-centre').service('answer-cache');
  const locales = () => strapi.plugin('privacy-centre').service('locales');
  const cookies = () => strapi.plugin('privacy-centre').service('cookies');
  const keys = () => strapi.plugin('privacy-centre').service('keys');
  const regions = () => strapi.plugin('privacy-centre').service('regions');

  /** Revisions never change: each is read and checked once (bounded: revisions are few). */
  const checked = new LRUCache<number, DeclarationRevision>({ max: 500 });
  /** The latest revision's number, for the consent hot path; rebuilt after the answer TTL. */
  let latestMemo: { revision: number | null; until: number } | null = null;

  const integrityOf = (row: Row): 'ok' | 'broken' => {
    try {
      const hash = declarationHash(row.revision, row.releasedAt, row.snapshot);
      if (hash !== row.hash) return 'broken';
      return keys().verify('cookie-declaration', hash, row.signature, row.releasedAt) ? 'ok' : 'broken';
    } catch {
      return 'broken';
    }
  };

  /** A public answer of the latest revision: a newer one may be published at any moment, so it is kept briefly, like the policy in force. */
  const shortLived = (text: string, lastModified: number, contentLanguage: string, builtAt: number): Representation => ({
    bytes: Buffer.from(text, 'utf8'),
    etag: `"${sha256Hex(text).slice(0, 40)}"`,
    lastModified: new Date(lastModified).toUTCString(),
    contentLanguage,
    cacheControl: `public, max-age=${Math.min(SHORT_MAX_AGE, Math.floor(cache().ttlMs() / 1000))}, must-revalidate`,
    expiresAt: builtAt + cache().ttlMs(),
  });

  const toRevision = (row: Row): DeclarationRevision => ({
    revision: row.revision,
    hash: row.hash,
    publishedAt: row.releasedAt,
    publishedBy: row.releasedBy,
    integrity: integrityOf(row),
    snapshot: row.snapshot,
  });

  const service = {
    /** A revision, checked against its seal (integrity 'broken' when it fails), or null. */
    async revision(revision: number): Promise<DeclarationRevision | null> {
      const known = checked.get(revision);
      if (known) return known;
      const row = await query().findOne({ where: { revision } });
      if (!row) return null;
      // Sealed by an instance that booted later with a new key: re-read the keys once.
      const result = await keys().recheck(() => toRevision(row), (found) => found.integrity === 'ok');
      if (result.integrity === 'ok') checked.set(revision, result);
      return result;
    },

    /** Forgets the latest revision's number and the answers built from it (a new one was published). */
    forgetLatest() {
      latestMemo = null;
      cache().invalidate(CACHE_SLUG);
    },

    async latestNumber(): Promise<number | null> {
      if (latestMemo && latestMemo.until > Date.now()) return latestMemo.revision;
      const row = await query().findOne({ select: ['revision'], orderBy: [{ revision: 'desc' }] });
      latestMemo = { revision: row?.revision ?? null, until: Date.now() + cache().ttlMs() };
      return latestMemo.revision;
    },

    async latest(): Promise<DeclarationRevision | null> {
      const revision = await service.latestNumber();
      return revision === null ? null : service.revision(revision);
    },

    async list() {
      const rows: Row[] = await query().findMany({ orderBy: [{ revision: 'desc' }] });
      return rows.map((row) => {
        const { snapshot: _snapshot, ...summary } = toRevision(row);
        return summary;
      });
    },

    /**
     * Publishes what editors have now as the next revision: frozen for good (sealed by hash and
     * signature, refused by the guard and the database if anything tries to change it) and audited
     * in the same transaction. Refused when nothing changed since the latest revision.
     */
    async publish(user?: AdminUser | null): Promise<DeclarationRevision> {
      const { defaultLocale } = await locales().get();
      const published = await retryOnDeadlock(() =>
        strapi.db.transaction(() =>
          sealing(async () => {
            const changes = await cookies().changes();
            if (!changes.changed) throw new errors.ValidationError(`nothing changed since revision ${changes.since}`);
            const snapshot = await cookies().currentSnapshot();
            if (!snapshot.categories.length) throw new errors.ValidationError('the declaration has no category');
            const missing = [
              ...snapshot.categories.filter((c) => !c.locales[defaultLocale]).map((c) => `category ${c.key}`),
              ...snapshot.categories.flatMap((c) => c.cookies.filter((k) => !k.locales[defaultLocale]).map((k) => `cookie ${c.key}/${k.name}`)),
            ];
            if (missing.length) {
              throw new errors.ValidationError(
                `every category and cookie needs its texts in the default locale (${defaultLocale}), the fallback of every other: ${missing.slice(0, 10).join(', ')}`
              );
            }
            const last = await query().findOne({ select: ['revision'], orderBy: [{ revision: 'desc' }] });
            const revision = (last?.revision ?? 0) + 1;
            const publishedAt = new Date().toISOString();
            const hash = declarationHash(revision, publishedAt, snapshot);
            await query().create({
              data: {
                revision,
                snapshot,
                hash,
                signature: keys().sign('cookie-declaration', hash),
                releasedAt: publishedAt,
                releasedBy: describeActor(user),
              },
            });
            await audit().record(user, 'cookies.publish', `cookie declaration r${revision}`, { hash, changes });
            return revision;
          })
        )
      ).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new errors.ApplicationError('another revision was published at the same moment: publish again');
        throw error;
      });
      // After the commit: every instance forgets the latest revision and its answers.
      await strapi.plugin('privacy-centre').service('generations').bump('declaration');
      await strapi.plugin('privacy-centre').service('frozen-marks').observe();
      return (await service.revision(published))!;
    },

    /**
     * `GET /cookies?locale=`: the latest revision in one locale, with what the request's
     * jurisdiction makes of it (its model, a banner's defaults, what GPC refuses), from the
     * answer cache. The variant is built from resolved values only (a known locale, a known
     * jurisdiction, a country code, a subdivision only when the table names it, the GPC bit):
     * bounded by the content and the table, not by what clients send.
     */
    async publicAnswer(requested: string | undefined, where: { jurisdiction: ResolvedJurisdiction; gpc: boolean; table: RegionTable }): Promise<Representation | null> {
      const { codes, defaultLocale, changedAt } = await locales().get();
      const localeKey = requested === undefined ? '' : codes.includes(requested) ? requested : '*';
      const { code, model, country } = where.jurisdiction;
      const region = country && where.jurisdiction.region && where.table.areas[`${country}-${where.jurisdiction.region}`] ? where.jurisdiction.region : null;
      const key = [localeKey, code, model, country ?? '', region ?? '', where.gpc ? 'gpc' : ''].join('\u0001');
      const hit = cache().get('declaration', CACHE_SLUG, key);
      if (hit) return hit;
      const generation = cache().generation(CACHE_SLUG);
      const now = Date.now();
      const latest = await service.latest();
      if (!latest) return null;
      if (latest.integrity !== 'ok') throw new DeclarationIntegrityError(latest.revision);
      const wanted = localeKey === '' ? defaultLocale : localeKey === '*' ? null : localeKey;
      const declaration = publicDeclaration(latest, wanted, defaultLocale);
      if (localeKey === '*') declaration.fallback = true;
      const categories = latest.snapshot.categories.map(modelCategory);
      const answer = {
        ...declaration,
        jurisdiction: { code, model, country, region },
        defaults: defaultsFor(model, categories, where.gpc),
        gpc: { signal: where.gpc, refused: refusedByGpc(model, categories, where.gpc), honoured: gpcHonoured(model, where.gpc) },
        doNotSell: model === 'opt-out' ? { text: doNotSellText(declaration.locale), url: regions().doNotSellUrl(declaration.locale) } : null,
      };
      const text = JSON.stringify({ data: answer });
      // The table decides the jurisdiction's part of the answer: its edits move the date too.
      const regionsChangedAt = (await regions().current()).changedAt;
      const lastModified = Math.max(Date.parse(latest.publishedAt), regionsChangedAt, declaration.fallback || localeKey === '' ? changedAt?.getTime() ?? 0 : 0);
      const representation = shortLived(text, lastModified, declaration.locale, now);
      cache().set('declaration', CACHE_SLUG, key, representation, generation);
      return representation;
    },

    /**
     * `GET /cookies/consent-mode`: Google Consent Mode v2 defaults per region of the table, from
     * the latest revision, as JSON or as a script; cached like the declaration (a publication or
     * a table edit drops it).
     */
    async consentModeAnswer(format: 'json' | 'script'): Promise<Representation | null> {
      const hit = cache().get('consent-mode', CACHE_SLUG, format);
      if (hit) return hit;
      const generation = cache().generation(CACHE_SLUG);
      const now = Date.now();
      const latest = await service.latest();
      if (!latest) return null;
      if (latest.integrity !== 'ok') throw new DeclarationIntegrityError(latest.revision);
      const { table, changedAt } = await regions().current();
      const commands = consentModeDefaults(latest.snapshot, table);
      const text = format === 'script' ? consentModeScript(commands) : JSON.stringify({ data: { revision: latest.revision, commands } });
      const representation = shortLived(text, Math.max(Date.parse(latest.publishedAt), changedAt), '', now);
      cache().set('consent-mode', CACHE_SLUG, format, representation, generation);
      return representation;
    },

    /** Re-signs revisions sealed with a legacy HMAC with Ed25519 (at boot, like policy versions). */
    async renewSignatures() {
      const rows: Row[] = await query().findMany({});
      const renewed: number[] = [];
      for (const row of rows) {
        if (declarationHash(row.revision, row.releasedAt, row.snapshot) !== row.hash || keys().isCurrentScheme(row.signature)) continue;
        if (keys().verify('cookie-declaration', row.hash, row.signature, row.releasedAt)) {
          await sealing(() => query().update({ where: { revision: row.revision }, data: { signature: keys().sign('cookie-declaration', row.hash) } }));
          renewed.push(row.revision);
        }
      }
      if (renewed.length) await audit().record(null, 'cookies.signature.renew', 'cookie declaration', { renewed });
    },
  };
  return service;
};

/** The latest revision fails its integrity check: it is not served. */
export class DeclarationIntegrityError extends Error {
  constructor(readonly revision: number) {
    super(`cookie declaration revision ${revision} failed its integrity check`);
  }
}
