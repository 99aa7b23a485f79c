import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { POLICY_UID } from '../guards/policy-version';
import { sealHash, sealedText, type SealInput } from '../policy/seal';
import type { ProofVerifier } from '../signing';
import { sealing } from '../guards/frozen-records';
import { localeContentSchema, problemsOf } from '../policy/validation';
import type {
  ControllerIdentity,
  LocaleContent,
  PolicyIntegrity,
  PolicySection,
  PolicyStatus,
  PolicyVerification,
  PolicyVersionView,
} from '../policy/types';
import type { AdminUser } from './audit';
import type { PrivacyCentreConfig } from '../config';
import { byCodeUnits } from '../policy/patterns';

/**
 * Reading policy versions: what the admin lists and the public routes serve, and whether a
 * frozen version's stored content still matches its seal.
 *
 * One version is one Strapi document; its locales are i18n localisations of that document.
 * Status is derived, never stored twice: `lifecycle` (draft | published | withdrawn) plus
 * `effectiveAt` against the clock gives draft, scheduled, in force, superseded, withdrawn, so a
 * scheduled version becomes the one in force when its time comes, with no cron.
 */

export interface Row {
  id: number;
  documentId: string;
  locale: string;
  slug: string;
  version: number | null;
  title: string;
  summary: string | null;
  sections: PolicySection[] | null;
  materialChange: boolean;
  effectiveAt: string | Date | null;
  releasedAt: string | Date | null;
  releasedBy: string | null;
  hash: string | null;
  signature: string | null;
  controller: ControllerIdentity | null;
  lifecycle: 'draft' | 'published' | 'withdrawn';
}

/** A frozen version whose stored content no longer matches its seal: it is not served. */
export class IntegrityError extends Error {
  constructor(
    readonly slug: string,
    readonly version: number | null
  ) {
    super(`${slug} v${version ?? '?'} failed its integrity check: its stored content no longer matches its seal`);
  }
}

export const iso = (value: string | Date | null | undefined) => (value ? new Date(value).toISOString() : null);

export const statusOf = (
  row: Pick<Row, 'lifecycle' | 'effectiveAt'>,
  inForceId: string | null,
  documentId: string,
  now = Date.now()
): PolicyStatus => {
  if (row.lifecycle === 'draft') return 'draft';
  if (row.lifecycle === 'withdrawn') return 'withdrawn';
  if (row.effectiveAt && new Date(row.effectiveAt).getTime() > now) return 'scheduled';
  return documentId === inForceId ? 'in-force' : 'superseded';
};

/** The hash recomputed from the rows of one frozen version, or null when they cannot hold one. */
function recomputedHash(rows: Row[]): string | null {
  const input = sealInputOf(rows);
  return input ? sealHash(input) : null;
}

/** What the hash of one frozen version covers, read from its rows (one per locale), or null. */
export function sealInputOf(rows: Row[]): SealInput | null {
  const first = rows[0];
  const shared = (r: Row) =>
    JSON.stringify([r.slug, r.version, iso(r.effectiveAt), iso(r.releasedAt), Boolean(r.materialChange), r.hash, r.signature, r.lifecycle, r.controller ?? null]);
  if (rows.some((r) => shared(r) !== shared(first))) return null;
  if (!first.hash || first.version === null || !first.effectiveAt || !first.releasedAt) return null;
  const locales: Record<string, LocaleContent> = {};
  for (const row of rows) {
    const content = { title: row.title, summary: row.summary ?? '', sections: row.sections ?? [] };
    if (problemsOf(localeContentSchema, content).length) return null;
    locales[row.locale] = content;
  }
  return {
    slug: first.slug,
    version: first.version,
    effectiveAt: iso(first.effectiveAt)!,
    publishedAt: iso(first.releasedAt)!,
    materialChange: Boolean(first.materialChange),
    controller: first.controller ?? null,
    locales,
  };
}


/** The seal of a version: an Ed25519 signature by the plugin's current key (see services/keys). */
export const signVersion = (sign: (purpose: 'policy-version', text: string) => string, hash: string, lifecycle: Row['lifecycle']) =>
  sign('policy-version', sealedText(hash, lifecycle));

/**
 * Whether the rows of one frozen version still hold what was sealed: every locale well-formed,
 * the fields shared by all locales equal, the hash recomputed from them equal to the stored one,
 * and the stored hash signed with one of `keys` (so a hash recomputed by whoever altered the
 * content does not pass). Null for a draft.
 */
export function integrityOf(rows: Row[], verify: ProofVerifier): PolicyIntegrity {
  const first = rows[0];
  if (!first) return null;
  const drafts = rows.filter((r) => r.lifecycle === 'draft').length;
  if (drafts === rows.length) return null;
  // A draft row in a frozen version (grafted on below the plugin) breaks it.
  if (drafts) return 'broken';
  try {
    const hash = recomputedHash(rows);
    if (!hash || hash !== first.hash) return 'broken';
    return verify('policy-version', sealedText(hash, first.lifecycle), first.signature, iso(first.releasedAt)) ? 'ok' : 'broken';
  } catch {
    return 'broken';
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(POLICY_UID);
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const locales = () => strapi.plugin('privacy-centre').service('locales');
  const keys = () => strapi.plugin('privacy-centre').service('keys');
  const integrity = (rows: Row[]) => integrityOf(rows, keys().verify);
  /** Broken versions already reported by this instance (one log line and audit event each). */
  const reported = new Set<string>();

  const toView = (rows: Row[], inForceId: string | null): PolicyVersionView => {
    const first = rows[0];
    const content: Record<string, LocaleContent> = {};
    for (const row of [...rows].sort((a, b) => byCodeUnits(a.locale, b.locale))) {
      content[row.locale] = { title: row.title, summary: row.summary ?? '', sections: row.sections ?? [] };
    }
    return {
      documentId: first.documentId,
      slug: first.slug,
      version: first.version,
      status: statusOf(first, inForceId, first.documentId),
      materialChange: Boolean(first.materialChange),
      effectiveAt: iso(first.effectiveAt),
      publishedAt: iso(first.releasedAt),
      publishedBy: first.releasedBy,
      hash: first.hash,
      integrity: integrity(rows),
      controller: first.controller ?? null,
      locales: content,
    };
  };

  const groupByDocument = (rows: Row[]) => {
    const documents = new Map<string, Row[]>();
    for (const row of rows) {
      if (!documents.has(row.documentId)) documents.set(row.documentId, []);
      documents.get(row.documentId)!.push(row);
    }
    return documents;
  };

  const service = {
    toView,

    async rowsOf(documentId: string): Promise<Row[]> {
      return query().findMany({ where: { documentId }, orderBy: { locale: 'asc' } });
    },

    /** The documentId of the version in force for a slug, or null. */
    async inForceDocumentId(slug: string, now = new Date()): Promise<string | null> {
      const row = await query().findOne({
        select: ['documentId'],
        where: { slug, lifecycle: 'published', effectiveAt: { $lte: now.toISOString() }, version: { $notNull: true } },
        orderBy: [{ version: 'desc' }],
      });
      return row?.documentId ?? null;
    },

    async getVersion(documentId: string): Promise<PolicyVersionView> {
      const rows = await service.rowsOf(documentId);
      if (!rows.length) throw new errors.NotFoundError(`No policy version with documentId ${documentId}`);
      return toView(rows, await service.inForceDocumentId(rows[0].slug));
    },

    /** Every policy document (slug) with its versions, newest first: the admin's list. */
    async listDocuments() {
      const rows: Row[] = await query().findMany({ orderBy: [{ slug: 'asc' }, { id: 'desc' }] });
      const { defaultLocale } = await locales().get();
      const bySlug = new Map<string, Row[]>();
      for (const row of rows) {
        if (!bySlug.has(row.slug)) bySlug.set(row.slug, []);
        bySlug.get(row.slug)!.push(row);
      }
      const result: Array<{ slug: string; inForceDocumentId: string | null; versions: unknown[] }> = [];
      for (const [slug, slugRows] of bySlug) {
        const inForce = await service.inForceDocumentId(slug);
        const versions = [...groupByDocument(slugRows).values()].map((localeRows) => {
          const first = localeRows[0];
          const titled = localeRows.find((r) => r.locale === defaultLocale) ?? first;
          return {
            documentId: first.documentId,
            version: first.version,
            status: statusOf(first, inForce, first.documentId),
            title: titled.title,
            materialChange: Boolean(first.materialChange),
            effectiveAt: iso(first.effectiveAt),
            publishedAt: iso(first.releasedAt),
            hash: first.hash,
            integrity: integrity(localeRows),
            locales: localeRows.map((r) => r.locale).sort(),
          };
        });
        versions.sort((a, b) => (b.version ?? Infinity) - (a.version ?? Infinity));
        result.push({ slug, inForceDocumentId: inForce, versions });
      }
      return result;
    },

    async draftOf(slug: string): Promise<string | null> {
      const row = await query().findOne({ select: ['documentId'], where: { slug, lifecycle: 'draft' } });
      return row?.documentId ?? null;
    },

    async assertLocales(codes: string[]) {
      const { codes: known } = await locales().get();
      const unknown = codes.filter((code) => !known.includes(code));
      if (unknown.length) {
        throw new errors.ValidationError(
          `Unknown locale ${unknown.join(', ')}: add it in Settings → Internationalization first (known: ${known.join(', ')})`
        );
      }
    },

    /**
     * Re-hashes every frozen version (admin action): a change made outside Strapi, e.g. from a
     * SQL console, shows up here and as an "integrity broken" badge. Audited.
     */
    async verifyAll(user?: AdminUser | null): Promise<PolicyVerification> {
      const rows: Row[] = await query().findMany({ orderBy: [{ slug: 'asc' }, { version: 'asc' }, { locale: 'asc' }] });
      const frozen = [...groupByDocument(rows).values()].filter((localeRows) => localeRows.some((r) => r.lifecycle !== 'draft'));
      const broken = frozen
        .filter((localeRows) => integrity(localeRows) !== 'ok')
        .map(([first]) => ({ documentId: first.documentId, slug: first.slug, version: first.version }));
      // Numbers are given one after the other and withdrawn versions keep theirs: a gap is a
      // version deleted below the plugin.
      const numbers = new Map<string, Set<number>>();
      for (const [first] of frozen) {
        if (first.version === null) continue;
        if (!numbers.has(first.slug)) numbers.set(first.slug, new Set());
        numbers.get(first.slug)!.add(first.version);
      }
      const missing: Array<{ slug: string; version: number }> = [];
      for (const [slug, seen] of numbers) {
        for (let version = 1; version < Math.max(...seen); version += 1) if (!seen.has(version)) missing.push({ slug, version });
      }
      // What no gap shows: the newest versions, revisions or records gone, or a whole table
      // emptied (MySQL's TRUNCATE runs no trigger), told by the high-water marks.
      const shortfall = await strapi.plugin('privacy-centre').service('frozen-marks').check();
      missing.push(...shortfall.policyVersions);
      missing.sort((a, b) => byCodeUnits(a.slug, b.slug) || a.version - b.version);
      const missingRevisions = shortfall.declarationRevisions;
      const missingConsentRecords = shortfall.consentRecords;
      const result = { checked: frozen.length, broken, missing, missingRevisions, missingConsentRecords, verifiedAt: new Date().toISOString() };
      await audit().record(user, 'policy.verify', 'policy versions', { checked: result.checked, broken, missing, missingRevisions, missingConsentRecords });
      return result;
    },

    /**
     * At boot: a version sealed with an HMAC of the secrets of before 0.3 (which only this server
     * could check) is sealed again with an Ed25519 signature, which anyone can check with the
     * published keys. Ed25519 seals are never renewed: a retired key stays published.
     * A version without a valid signature is never signed from what the database says (that
     * would sign whatever was written there), except by the one-off, deliberate
     * `signUnsignedVersions` setting for versions published before signatures existed.
     * Audited when anything changed.
     */
    async renewSignatures() {
      const { signUnsignedVersions } = strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
      const rows: Row[] = await query().findMany({ where: { lifecycle: { $ne: 'draft' } }, orderBy: [{ id: 'asc' }] });
      const renewed: string[] = [];
      const signedFirst: string[] = [];
      for (const localeRows of groupByDocument(rows).values()) {
        const [first] = localeRows;
        const hash = recomputedHash(localeRows);
        if (!hash || hash !== first.hash) continue;
        const label = `${first.slug} v${first.version}`;
        if (keys().isCurrentScheme(first.signature)) continue;
        if (keys().verify('policy-version', sealedText(hash, first.lifecycle), first.signature, iso(first.releasedAt))) renewed.push(label);
        else if (!first.signature && signUnsignedVersions) signedFirst.push(label);
        else continue;
        await sealing(() =>
          query().updateMany({ where: { documentId: first.documentId }, data: { signature: signVersion(keys().sign, hash, first.lifecycle) } })
        );
      }
      if (renewed.length || signedFirst.length) {
        await audit().record(null, 'policy.signature.renew', 'policy versions', { renewed, signedFirst });
      }
      if (signUnsignedVersions) {
        strapi.log.warn('[privacy-centre] signUnsignedVersions is on: turn it off now that the versions published before 0.2 are signed.');
      }
    },

    /**
     * Refuses to serve a version whose content no longer matches its seal: one error log line
     * and one audit event per broken version and instance, then IntegrityError (a 500).
     */
    async assertIntact(rows: Row[]) {
      // A version sealed by an instance that booted later with a new key: re-read the keys once.
      if ((await keys().recheck(() => integrity(rows), (result) => result === 'ok')) === 'ok') return;
      const [first] = rows;
      const key = `${first.documentId}:${first.hash}`;
      if (!reported.has(key)) {
        reported.add(key);
        strapi.log.error(
          `[privacy-centre] ${first.slug} v${first.version} (document ${first.documentId}) failed its integrity check: ` +
            'its stored content no longer matches the seal (hash and signature) made at publication, so it is not served. ' +
            'It was changed outside the plugin (e.g. from a SQL console): restore it from a backup.'
        );
        await audit().record(null, 'policy.integrity.broken', `${first.slug} v${first.version}`, {
          documentId: first.documentId,
          hash: first.hash,
        });
      }
      throw new IntegrityError(first.slug, first.version);
    },

    // ---- what the public routes read ------------------------------------------------------

    async slugExists(slug: string) {
      return (await query().count({ where: { slug, lifecycle: { $in: ['published', 'withdrawn'] } } })) > 0;
    },

    /** The version in force now (all locales), and when the next scheduled one takes effect. */
    async currentRows(slug: string, now = new Date()) {
      const documentId = await service.inForceDocumentId(slug, now);
      const next = await query().findOne({
        select: ['effectiveAt'],
        where: { slug, lifecycle: 'published', effectiveAt: { $gt: now.toISOString() } },
        orderBy: [{ effectiveAt: 'asc' }],
      });
      return {
        rows: documentId ? await service.rowsOf(documentId) : null,
        nextChangeAt: next ? new Date(next.effectiveAt) : null,
      };
    },

    /**
     * Refuses (IntegrityError) when a version newer than the one in force has been made
     * "withdrawn" without a valid seal: the version in force would otherwise quietly fall back
     * to its predecessor. A version withdrawn by the plugin carries a signature that says so.
     */
    async assertNoneSkipped(slug: string, inForceVersion: number, now = new Date()) {
      const skipped: Row[] = await query().findMany({
        where: { slug, lifecycle: 'withdrawn', version: { $gt: inForceVersion }, effectiveAt: { $lte: now.toISOString() } },
        orderBy: [{ version: 'asc' }, { locale: 'asc' }],
      });
      for (const localeRows of groupByDocument(skipped).values()) await service.assertIntact(localeRows);
    },

    async upcomingRows(slug: string, now = new Date()) {
      const head = await query().findOne({
        select: ['documentId'],
        where: { slug, lifecycle: 'published', effectiveAt: { $gt: now.toISOString() } },
        orderBy: [{ effectiveAt: 'asc' }],
      });
      return head ? service.rowsOf(head.documentId) : null;
    },

    async versionRows(slug: string, version: number) {
      const head = await query().findOne({ select: ['documentId'], where: { slug, version, lifecycle: 'published' } });
      return head ? service.rowsOf(head.documentId) : null;
    },

    /** The published version before this one: fixed once this one is in force (see README). */
    async previousVersion(slug: string, version: number): Promise<number | null> {
      const row = await query().findOne({
        select: ['version'],
        where: { slug, lifecycle: 'published', version: { $lt: version } },
        orderBy: [{ version: 'desc' }],
      });
      return row?.version ?? null;
    },

    /**
     * The changelog: every published version (not withdrawn ones), newest first, with when it
     * next changes (a scheduled version taking effect) and when it last did. A version that fails
     * its integrity check is listed by its number only.
     */
    async changelog(slug: string, now = new Date()) {
      const rows: Row[] = await query().findMany({
        where: { slug, lifecycle: 'published', version: { $notNull: true } },
        orderBy: [{ version: 'desc' }, { locale: 'asc' }],
      });
      const inForce = await service.inForceDocumentId(slug, now);
      const { defaultLocale } = await locales().get();
      let nextChangeAt: Date | null = null;
      let lastModified = 0;
      const entries = [...groupByDocument(rows).values()].map((localeRows) => {
        const first = localeRows.find((r) => r.locale === defaultLocale) ?? localeRows[0];
        if (integrity(localeRows) !== 'ok') return { version: first.version, integrity: 'broken' as const };
        const effective = new Date(first.effectiveAt!);
        if (effective > now && (!nextChangeAt || effective < nextChangeAt)) nextChangeAt = effective;
        lastModified = Math.max(lastModified, new Date(first.releasedAt!).getTime(), effective <= now ? effective.getTime() : 0);
        return {
          version: first.version,
          status: statusOf(first, inForce, first.documentId, now.getTime()),
          effectiveAt: iso(first.effectiveAt),
          publishedAt: iso(first.releasedAt),
          summary: first.summary ?? '',
          materialChange: Boolean(first.materialChange),
          hash: first.hash,
          integrity: 'ok' as const,
          locales: localeRows.map((r) => r.locale),
        };
      });
      return { entries, nextChangeAt: nextChangeAt as Date | null, lastModified: new Date(lastModified) };
    },
  };
  return service;
};
