import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import * as yup from 'yup';
import { hashContent } from '../policy/canonical';
import { normaliseSections } from '../policy/sections';
import { importPolicyText } from '../policy/import';
import type { LocaleContent, PolicySection, PolicyStatus, PolicyVersionView } from '../policy/types';
import { POLICY_UID } from '../middlewares/policy-guard';
import type { AdminUser } from './audit';
import { describeActor } from './audit';

/**
 * Policy versions: drafts, publication (now or scheduled), withdrawal, and the reads the
 * public API serves. One version is one Strapi document; its locales are i18n localisations
 * of that document, so they are edited separately and published together.
 *
 * Status is derived, never stored twice: `lifecycle` (draft | published | withdrawn) plus
 * `effectiveAt` against the clock gives draft, scheduled, in force, superseded, withdrawn.
 * So a scheduled version becomes the one in force when its time comes, with no cron.
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
  lifecycle: 'draft' | 'published' | 'withdrawn';
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const LOCALE_PATTERN = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

const iso = (value: string | Date | null | undefined) =>
  value ? new Date(value).toISOString() : null;

const sectionSchema = yup
  .object({
    anchor: yup.string().strict().max(120).matches(/^[a-z0-9-]*$/, 'anchor may hold only a-z, 0-9 and -'),
    // An untitled introduction (text before the first heading) has an empty heading.
    heading: yup.string().strict().max(300).defined('every section needs a heading (it may be empty)'),
    markdown: yup.string().strict().max(200_000).defined(),
  })
  .noUnknown(true, 'a section has an unknown key: ${unknown}');

const localeContentSchema = yup
  .object({
    title: yup.string().strict().trim().max(300).required('title is required'),
    summary: yup.string().strict().max(5000).nullable(),
    sections: yup.array(sectionSchema).strict().max(500).required(),
  })
  .noUnknown(true, 'unknown key in a locale: ${unknown}');

const draftInputSchema = yup
  .object({
    materialChange: yup.boolean().strict(),
    locales: yup.lazy((value) =>
      yup
        .object(
          Object.fromEntries(
            Object.keys(value ?? {}).map((key) => [key, localeContentSchema.nullable().default(undefined)])
          )
        )
        .strict()
        .test('locale-codes', 'locales must be keyed by locale codes such as "en" or "fi"', (v) =>
          Object.keys(v ?? {}).every((key) => LOCALE_PATTERN.test(key))
        )
    ),
  })
  .noUnknown(true, 'unknown key: ${unknown}')
  .strict();

function validate<T>(schema: yup.AnySchema, input: unknown): T {
  try {
    return schema.validateSync(input, { abortEarly: false, stripUnknown: false }) as T;
  } catch (error) {
    if (error instanceof yup.ValidationError) {
      throw new errors.ValidationError(error.errors.join('; '));
    }
    throw error;
  }
}

/** The attributes of one locale row of a draft, as documents().create/update take them. */
const localeData = (slug: string, materialChange: boolean, content: LocaleContent) => ({
  slug,
  materialChange,
  title: content.title,
  summary: content.summary ?? '',
  sections: normaliseSections(content.sections),
});

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(POLICY_UID);
  const documents = () => strapi.documents(POLICY_UID as any);
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const cache = () => strapi.plugin('privacy-centre').service('policy-cache');
  const i18nLocales = () => strapi.plugin('i18n').service('locales');

  const statusOf = (row: Pick<Row, 'lifecycle' | 'effectiveAt'>, inForceId: string | null, documentId: string, now = Date.now()): PolicyStatus => {
    if (row.lifecycle === 'draft') return 'draft';
    if (row.lifecycle === 'withdrawn') return 'withdrawn';
    if (row.effectiveAt && new Date(row.effectiveAt).getTime() > now) return 'scheduled';
    return documentId === inForceId ? 'in-force' : 'superseded';
  };

  const toView = (rows: Row[], inForceId: string | null): PolicyVersionView => {
    const first = rows[0];
    const locales: Record<string, LocaleContent> = {};
    for (const row of [...rows].sort((a, b) => a.locale.localeCompare(b.locale))) {
      locales[row.locale] = { title: row.title, summary: row.summary ?? '', sections: row.sections ?? [] };
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
      locales,
    };
  };

  /** The canonical content that `hash` seals: everything a visitor is shown, all locales. */
  const sealedContent = (view: Omit<PolicyVersionView, 'status' | 'publishedBy' | 'hash' | 'documentId'>) => ({
    slug: view.slug,
    version: view.version,
    effectiveAt: view.effectiveAt,
    publishedAt: view.publishedAt,
    materialChange: view.materialChange,
    locales: view.locales,
  });

  const service = {
    /** Locale codes configured in Strapi's i18n, and the default one (the fallback). */
    async locales(): Promise<{ codes: string[]; defaultLocale: string }> {
      const list = (await i18nLocales().find()) as Array<{ code: string }>;
      const defaultLocale = (await i18nLocales().getDefaultLocale()) || 'en';
      return { codes: list.map((l) => l.code), defaultLocale };
    },

    async rowsOf(documentId: string): Promise<Row[]> {
      return query().findMany({ where: { documentId }, orderBy: { locale: 'asc' } });
    },

    /** The documentId of the version in force for a slug, or null. */
    async inForceDocumentId(slug: string, now = new Date()): Promise<string | null> {
      const row = await query().findOne({
        select: ['documentId'],
        where: { slug, lifecycle: 'published', effectiveAt: { $lte: now } },
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
      const rows: Row[] = await query().findMany({
        select: ['documentId', 'locale', 'slug', 'version', 'title', 'materialChange', 'effectiveAt', 'releasedAt', 'lifecycle', 'hash'],
        orderBy: [{ slug: 'asc' }, { id: 'desc' }],
      });
      const { defaultLocale } = await service.locales();
      const bySlug = new Map<string, Map<string, Row[]>>();
      for (const row of rows) {
        if (!bySlug.has(row.slug)) bySlug.set(row.slug, new Map());
        const docs = bySlug.get(row.slug)!;
        if (!docs.has(row.documentId)) docs.set(row.documentId, []);
        docs.get(row.documentId)!.push(row);
      }
      const result: Array<{ slug: string; inForceDocumentId: string | null; versions: unknown[] }> = [];
      for (const [slug, docs] of bySlug) {
        const inForce = await service.inForceDocumentId(slug);
        const versions = [...docs.values()].map((localeRows) => {
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
      const { codes: known } = await service.locales();
      const unknown = codes.filter((code) => !known.includes(code));
      if (unknown.length) {
        throw new errors.ValidationError(
          `Unknown locale ${unknown.join(', ')}: add it in Settings → Internationalization first (known: ${known.join(', ')})`
        );
      }
    },

    /**
     * A new draft for a slug: empty, or a copy of the newest published version (all locales).
     * There is one draft per slug at a time.
     */
    async createDraft(
      input: { slug?: unknown; from?: unknown; materialChange?: unknown; locales?: unknown },
      user?: AdminUser | null
    ): Promise<PolicyVersionView> {
      const { slug, from = 'empty', ...content } = (input ?? {}) as Record<string, unknown>;
      if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug) || slug.length > 64) {
        throw new errors.ValidationError('slug must be lowercase letters, digits and dashes, e.g. "privacy-policy"');
      }
      if (from !== 'empty' && from !== 'latest') {
        throw new errors.ValidationError('from must be "empty" or "latest"');
      }
      const parsed = validate<{ materialChange?: boolean; locales?: Record<string, LocaleContent | null> }>(
        draftInputSchema,
        content
      );
      const existing = await service.draftOf(slug);
      if (existing) {
        throw new errors.ApplicationError(`${slug} already has a draft (${existing}): edit it or delete it first`, {
          documentId: existing,
        });
      }
      const { defaultLocale } = await service.locales();

      let locales: Record<string, LocaleContent> = {};
      let materialChange = parsed.materialChange ?? false;
      if (from === 'latest') {
        const latest = await query().findOne({
          select: ['documentId'],
          where: { slug, lifecycle: 'published' },
          orderBy: [{ version: 'desc' }],
        });
        if (!latest) throw new errors.NotFoundError(`${slug} has no published version to copy`);
        locales = (await service.getVersion(latest.documentId)).locales;
        materialChange = parsed.materialChange ?? false;
      }
      for (const [code, value] of Object.entries(parsed.locales ?? {})) {
        if (value) locales[code] = value;
      }
      if (!Object.keys(locales).length) {
        locales[defaultLocale] = { title: 'Untitled', summary: '', sections: [] };
      }
      await service.assertLocales(Object.keys(locales));

      const [firstLocale, ...others] = [
        ...Object.keys(locales).filter((c) => c === defaultLocale),
        ...Object.keys(locales).filter((c) => c !== defaultLocale),
      ];
      const created = await documents().create({
        locale: firstLocale,
        data: localeData(slug, materialChange, locales[firstLocale]),
      } as any);
      for (const code of others) {
        await documents().update({
          documentId: created.documentId,
          locale: code,
          data: localeData(slug, materialChange, locales[code]),
        } as any);
      }
      await audit().record(user, 'policy.draft.create', `${slug} draft ${created.documentId}`, { from, locales: Object.keys(locales) });
      return service.getVersion(created.documentId);
    },

    /**
     * Edits a draft: `materialChange`, and per locale its content (an object) or its removal
     * (null). Published versions are refused by the document-service guard.
     */
    async updateDraft(documentId: string, input: unknown, user?: AdminUser | null): Promise<PolicyVersionView> {
      const parsed = validate<{ materialChange?: boolean; locales?: Record<string, LocaleContent | null> }>(
        draftInputSchema,
        input ?? {}
      );
      const rows = await service.rowsOf(documentId);
      if (!rows.length) throw new errors.NotFoundError(`No policy version with documentId ${documentId}`);
      const locales = parsed.locales ?? {};
      await service.assertLocales(Object.keys(locales).filter((code) => locales[code] !== null));
      const materialChange = parsed.materialChange ?? Boolean(rows[0].materialChange);
      const existing = new Set(rows.map((r) => r.locale));
      const removing = Object.keys(locales).filter((code) => locales[code] === null && existing.has(code));
      if (removing.length && removing.length === existing.size && !Object.values(locales).some(Boolean)) {
        throw new errors.ValidationError('a version keeps at least one locale: delete the draft instead');
      }

      for (const [code, content] of Object.entries(locales)) {
        if (content) {
          await documents().update({
            documentId,
            locale: code,
            data: localeData(rows[0].slug, materialChange, content),
          } as any);
        }
      }
      if (parsed.materialChange !== undefined && !Object.values(locales).some(Boolean)) {
        await documents().update({ documentId, locale: rows[0].locale, data: { materialChange } } as any);
      }
      for (const code of removing) {
        await documents().delete({ documentId, locale: code } as any);
      }
      await audit().record(user, 'policy.draft.update', `${rows[0].slug} draft ${documentId}`, {
        locales: Object.keys(locales),
        materialChange,
      });
      return service.getVersion(documentId);
    },

    async deleteDraft(documentId: string, user?: AdminUser | null) {
      const rows = await service.rowsOf(documentId);
      if (!rows.length) throw new errors.NotFoundError(`No policy version with documentId ${documentId}`);
      await documents().delete({ documentId, locale: '*' } as any);
      await audit().record(user, 'policy.draft.delete', `${rows[0].slug} draft ${documentId}`);
    },

    /**
     * Creates a draft from pasted Markdown or plain text (split into sections at headings),
     * or fills one locale of the slug's existing draft. Refuses to overwrite a locale that
     * already has sections unless `replace` is true: nothing is lost silently.
     */
    async importText(input: { slug?: unknown; locale?: unknown; text?: unknown; title?: unknown; replace?: unknown }, user?: AdminUser | null) {
      const { slug, locale, text, title, replace } = (input ?? {}) as Record<string, unknown>;
      if (typeof text !== 'string' || !text.trim()) throw new errors.ValidationError('text is required');
      if (text.length > 1_000_000) throw new errors.ValidationError('text is longer than 1,000,000 characters');
      if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) {
        throw new errors.ValidationError('slug must be lowercase letters, digits and dashes, e.g. "privacy-policy"');
      }
      const { defaultLocale } = await service.locales();
      const code = locale === undefined ? defaultLocale : locale;
      if (typeof code !== 'string' || !LOCALE_PATTERN.test(code)) throw new errors.ValidationError('locale must be a locale code such as "en"');
      if (title !== undefined && typeof title !== 'string') throw new errors.ValidationError('title must be a string');
      await service.assertLocales([code]);

      const imported = importPolicyText(text);
      const content: LocaleContent = {
        title: ((title as string) || imported.title || slug).slice(0, 300),
        summary: '',
        sections: imported.sections,
      };
      const draft = await service.draftOf(slug);
      if (!draft) {
        const view = await service.createDraft({ slug, locales: { [code]: content } }, user);
        await audit().record(user, 'policy.import', `${slug} draft ${view.documentId}`, { locale: code, sections: content.sections.length });
        return view;
      }
      const current = await service.getVersion(draft);
      if (current.locales[code]?.sections.length && replace !== true) {
        throw new errors.ApplicationError(
          `The ${slug} draft already has ${code} content: pass replace: true to overwrite it`,
          { documentId: draft }
        );
      }
      const view = await service.updateDraft(draft, { locales: { [code]: content } }, user);
      await audit().record(user, 'policy.import', `${slug} draft ${draft}`, { locale: code, sections: content.sections.length });
      return view;
    },

    /**
     * Publishes a draft now, or schedules it for a future `effectiveAt`. Assigns the next
     * version number, seals all locales with the hash, and freezes the version for good.
     */
    async publish(documentId: string, input: { effectiveAt?: unknown } = {}, user?: AdminUser | null) {
      const now = new Date();
      let effectiveAt = now;
      if (input?.effectiveAt !== undefined && input?.effectiveAt !== null) {
        const parsed = typeof input.effectiveAt === 'string' ? new Date(input.effectiveAt) : null;
        if (!parsed || Number.isNaN(parsed.getTime())) {
          throw new errors.ValidationError('effectiveAt must be an ISO 8601 date-time, e.g. 2027-01-01T00:00:00Z');
        }
        // A small allowance for clock skew between the editor's browser and the server.
        if (parsed.getTime() < now.getTime() - 60_000) {
          throw new errors.ValidationError('effectiveAt is in the past: publish now, or choose a future date');
        }
        effectiveAt = parsed.getTime() < now.getTime() ? now : parsed;
      }

      const published = await strapi.db.transaction(async () => {
        const rows = await service.rowsOf(documentId);
        if (!rows.length) throw new errors.NotFoundError(`No policy version with documentId ${documentId}`);
        if (rows[0].lifecycle !== 'draft') {
          throw new errors.ApplicationError(`${rows[0].slug} v${rows[0].version} is already ${rows[0].lifecycle}`);
        }
        const { defaultLocale } = await service.locales();
        for (const row of rows) {
          if (!row.title?.trim()) throw new errors.ValidationError(`the ${row.locale} title is empty`);
          if (!row.sections?.length) throw new errors.ValidationError(`the ${row.locale} translation has no sections`);
        }
        if (!rows.some((r) => r.locale === defaultLocale)) {
          throw new errors.ValidationError(`the default locale (${defaultLocale}) is missing: it is the fallback for every other locale`);
        }
        const slug = rows[0].slug;
        // Versions take effect in order: a new one may not take effect before an earlier one.
        const later = await query().findOne({
          select: ['version', 'effectiveAt'],
          where: { slug, lifecycle: 'published', effectiveAt: { $gt: effectiveAt } },
          orderBy: [{ effectiveAt: 'desc' }],
        });
        if (later) {
          throw new errors.ValidationError(
            `v${later.version} of ${slug} takes effect at ${iso(later.effectiveAt)}: a newer version must take effect after it`
          );
        }
        const last = await query().findOne({ select: ['version'], where: { slug, version: { $notNull: true } }, orderBy: [{ version: 'desc' }] });
        const version = (last?.version ?? 0) + 1;
        const releasedAt = now;
        const view = toView(rows, null);
        const sealed = sealedContent({ ...view, version, effectiveAt: effectiveAt.toISOString(), publishedAt: releasedAt.toISOString() });
        const hash = hashContent(sealed);
        const { count } = await query().updateMany({
          where: { documentId, lifecycle: 'draft' },
          data: { version, hash, lifecycle: 'published', effectiveAt, releasedAt, releasedBy: describeActor(user) },
        });
        // Another request published this draft between our read and our write.
        if (count !== rows.length) throw new errors.ApplicationError(`${slug}: this draft was published by someone else just now`);
        return { slug, version, hash, scheduled: effectiveAt.getTime() > now.getTime() };
      }).catch((error: unknown) => {
        // The unique (slug, version, locale) index refused a number another publication took.
        if (!(error instanceof errors.ApplicationError) && /unique|duplicate/i.test(String((error as Error)?.message))) {
          throw new errors.ApplicationError('another version of this policy was published at the same moment: publish again');
        }
        throw error;
      });

      cache().invalidate(published.slug);
      await audit().record(user, published.scheduled ? 'policy.schedule' : 'policy.publish', `${published.slug} v${published.version}`, {
        documentId,
        hash: published.hash,
        effectiveAt: effectiveAt.toISOString(),
      });
      return service.getVersion(documentId);
    },

    /** Withdraws a scheduled version before it takes effect; it stays on record as withdrawn. */
    async withdraw(documentId: string, user?: AdminUser | null) {
      const result = await strapi.db.transaction(async () => {
        const rows = await service.rowsOf(documentId);
        if (!rows.length) throw new errors.NotFoundError(`No policy version with documentId ${documentId}`);
        const first = rows[0];
        const scheduled = first.lifecycle === 'published' && first.effectiveAt && new Date(first.effectiveAt).getTime() > Date.now();
        if (!scheduled) {
          throw new errors.ApplicationError(
            first.lifecycle === 'published'
              ? `${first.slug} v${first.version} has taken effect: it can no longer be withdrawn, publish a new version instead`
              : `only a scheduled version can be withdrawn (this one is ${first.lifecycle})`
          );
        }
        await query().updateMany({ where: { documentId }, data: { lifecycle: 'withdrawn' } });
        return first;
      });
      cache().invalidate(result.slug);
      await audit().record(user, 'policy.withdraw', `${result.slug} v${result.version}`, { documentId });
      return service.getVersion(documentId);
    },

    // ---- public reads -------------------------------------------------------------------

    async slugExists(slug: string) {
      return (await query().count({ where: { slug, lifecycle: { $in: ['published', 'withdrawn'] } } })) > 0;
    },

    /** Rows (all locales) of the published version of a slug chosen by `where`. */
    async publishedRows(slug: string, where: Record<string, unknown>, order: 'asc' | 'desc' = 'desc') {
      const head = await query().findOne({
        select: ['documentId'],
        where: { slug, lifecycle: 'published', ...where },
        orderBy: [{ version: order }],
      });
      return head ? service.rowsOf(head.documentId) : null;
    },

    /** The version in force now, or null. Also tells when the next scheduled one takes effect. */
    async currentRows(slug: string, now = new Date()) {
      const rows = await service.publishedRows(slug, { effectiveAt: { $lte: now } });
      const next = await query().findOne({
        select: ['effectiveAt'],
        where: { slug, lifecycle: 'published', effectiveAt: { $gt: now } },
        orderBy: [{ effectiveAt: 'asc' }],
      });
      return { rows, nextChangeAt: next ? new Date(next.effectiveAt) : null };
    },

    async upcomingRows(slug: string, now = new Date()) {
      const head = await query().findOne({
        select: ['documentId'],
        where: { slug, lifecycle: 'published', effectiveAt: { $gt: now } },
        orderBy: [{ effectiveAt: 'asc' }],
      });
      return head ? service.rowsOf(head.documentId) : null;
    },

    async versionRows(slug: string, version: number) {
      const head = await query().findOne({ select: ['documentId'], where: { slug, version, lifecycle: 'published' } });
      return head ? service.rowsOf(head.documentId) : null;
    },

    async previousVersion(slug: string, version: number): Promise<number | null> {
      const row = await query().findOne({
        select: ['version'],
        where: { slug, lifecycle: 'published', version: { $lt: version } },
        orderBy: [{ version: 'desc' }],
      });
      return row?.version ?? null;
    },

    /** The changelog: every published version (not withdrawn ones), newest first. */
    async changelog(slug: string, now = new Date()) {
      const rows: Row[] = await query().findMany({
        select: ['documentId', 'locale', 'version', 'summary', 'materialChange', 'effectiveAt', 'releasedAt', 'hash', 'lifecycle'],
        where: { slug, lifecycle: 'published' },
        orderBy: [{ version: 'desc' }, { locale: 'asc' }],
      });
      const inForce = await service.inForceDocumentId(slug, now);
      const { defaultLocale } = await service.locales();
      const versions = new Map<number, Row[]>();
      for (const row of rows) {
        if (!versions.has(row.version!)) versions.set(row.version!, []);
        versions.get(row.version!)!.push(row);
      }
      return [...versions.values()].map((localeRows) => {
        const first = localeRows.find((r) => r.locale === defaultLocale) ?? localeRows[0];
        return {
          version: first.version,
          status: statusOf(first, inForce, first.documentId, now.getTime()),
          effectiveAt: iso(first.effectiveAt),
          publishedAt: iso(first.releasedAt),
          summary: first.summary ?? '',
          materialChange: Boolean(first.materialChange),
          hash: first.hash,
          locales: localeRows.map((r) => r.locale),
        };
      });
    },
  };
  return service;
};
