import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { retryOnDeadlock } from '../db/errors';
import { frozenMessage, POLICY_UID } from '../guards/policy-version';
import { importPolicyText } from '../policy/import';
import { isCleanText, isLocaleCode, isSlug, LOCALE_RULE, SLUG_RULE } from '../policy/patterns';
import { normaliseSections } from '../policy/sections';
import type { LocaleContent, PolicyVersionView } from '../policy/types';
import { draftInputSchema, LIMITS, problemsOf, type DraftInput } from '../policy/validation';
import type { AdminUser } from './audit';

function validate<T>(schema: Parameters<typeof problemsOf>[0], input: unknown): T {
  const problems = problemsOf(schema, input);
  if (problems.length) throw new errors.ValidationError(problems.join('; '));
  return input as T;
}

/** The attributes of one locale row of a draft, as documents().create/update take them. */
const localeData = (slug: string, materialChange: boolean, content: LocaleContent) => ({
  slug,
  materialChange,
  title: content.title,
  summary: content.summary ?? '',
  sections: normaliseSections(content.sections),
});

/**
 * Drafts: the only versions that change. Written through strapi.documents(), so the same guard
 * that protects frozen versions from the Content Manager checks these calls too.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => strapi.documents(POLICY_UID as any);
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const versions = () => strapi.plugin('privacy-centre').service('policy-versions');
  const locales = () => strapi.plugin('privacy-centre').service('locales');

  /** Refuses anything but a draft with a 400 that names it, before anything is written. */
  const draftRows = async (documentId: string) => {
    const rows = await versions().rowsOf(documentId);
    if (!rows.length) throw new errors.NotFoundError(`No policy version with documentId ${documentId}`);
    if (rows[0].lifecycle !== 'draft') throw new errors.ApplicationError(frozenMessage(rows[0]));
    return rows;
  };

  /** A draft write and its audit event are one transaction: nothing half-done, nothing unaudited. */
  const atomically = <T>(fn: () => Promise<T>): Promise<T> =>
    strapi.db.inTransaction() ? fn() : retryOnDeadlock(() => strapi.db.transaction(fn) as Promise<T>);

  const service = {
    /**
     * A new draft for a slug: empty, or a copy of the newest published version (all locales).
     * There is one draft per slug at a time (the database enforces it when requests race).
     */
    async createDraft(
      input: { slug?: unknown; from?: unknown; materialChange?: unknown; locales?: unknown },
      user?: AdminUser | null
    ): Promise<PolicyVersionView> {
      const { slug, from = 'empty', ...content } = (input ?? {}) as Record<string, unknown>;
      if (!isSlug(slug)) throw new errors.ValidationError(SLUG_RULE);
      if (from !== 'empty' && from !== 'latest') throw new errors.ValidationError('from must be "empty" or "latest"');
      const parsed = validate<DraftInput>(draftInputSchema, content);
      const existing = await versions().draftOf(slug);
      if (existing) {
        throw new errors.ApplicationError(`${slug} already has a draft (${existing}): edit it or delete it first`, {
          documentId: existing,
        });
      }
      const { defaultLocale } = await locales().get();

      let chosen: Record<string, LocaleContent> = {};
      if (from === 'latest') {
        const latest = await strapi.db.query(POLICY_UID).findOne({
          select: ['documentId'],
          where: { slug, lifecycle: 'published', version: { $notNull: true } },
          orderBy: [{ version: 'desc' }],
        });
        if (!latest) throw new errors.NotFoundError(`${slug} has no published version to copy`);
        chosen = (await versions().getVersion(latest.documentId)).locales;
      }
      for (const [code, value] of Object.entries(parsed.locales ?? {})) {
        if (value) chosen[code] = value;
      }
      if (!Object.keys(chosen).length) chosen[defaultLocale] = { title: 'Untitled', summary: '', sections: [] };
      await versions().assertLocales(Object.keys(chosen));

      const materialChange = parsed.materialChange ?? false;
      const [firstLocale, ...others] = [
        ...Object.keys(chosen).filter((c) => c === defaultLocale),
        ...Object.keys(chosen).filter((c) => c !== defaultLocale),
      ];
      const created = await documents().create({
        locale: firstLocale,
        data: localeData(slug, materialChange, chosen[firstLocale]),
      } as any);
      for (const code of others) {
        await documents().update({
          documentId: created.documentId,
          locale: code,
          data: localeData(slug, materialChange, chosen[code]),
        } as any);
      }
      await audit().record(user, 'policy.draft.create', `${slug} draft ${created.documentId}`, { from, locales: Object.keys(chosen) });
      return versions().getVersion(created.documentId);
    },

    /**
     * Edits a draft: `materialChange`, and per locale its content (an object) or its removal
     * (null). A published version is refused before anything is written or audited.
     */
    async updateDraft(documentId: string, input: unknown, user?: AdminUser | null): Promise<PolicyVersionView> {
      const parsed = validate<DraftInput>(draftInputSchema, input ?? {});
      const rows = await draftRows(documentId);
      const changes = parsed.locales ?? {};
      if (parsed.materialChange === undefined && !Object.keys(changes).length) {
        throw new errors.ValidationError('nothing to change: send materialChange and/or locales');
      }
      await versions().assertLocales(Object.keys(changes).filter((code) => changes[code] !== null));
      const materialChange = parsed.materialChange ?? Boolean(rows[0].materialChange);
      const existing = new Set(rows.map((r) => r.locale));
      const removing = Object.keys(changes).filter((code) => changes[code] === null && existing.has(code));
      if (removing.length && removing.length === existing.size && !Object.values(changes).some(Boolean)) {
        throw new errors.ValidationError('a version keeps at least one locale: delete the draft instead');
      }

      for (const [code, content] of Object.entries(changes)) {
        if (content) {
          await documents().update({ documentId, locale: code, data: localeData(rows[0].slug, materialChange, content) } as any);
        }
      }
      if (parsed.materialChange !== undefined && !Object.values(changes).some(Boolean)) {
        await documents().update({ documentId, locale: rows[0].locale, data: { materialChange } } as any);
      }
      for (const code of removing) {
        await documents().delete({ documentId, locale: code } as any);
      }
      await audit().record(user, 'policy.draft.update', `${rows[0].slug} draft ${documentId}`, {
        locales: Object.keys(changes),
        materialChange,
      });
      return versions().getVersion(documentId);
    },

    async deleteDraft(documentId: string, user?: AdminUser | null) {
      const rows = await draftRows(documentId);
      await documents().delete({ documentId, locale: '*' } as any);
      await audit().record(user, 'policy.draft.delete', `${rows[0].slug} draft ${documentId}`);
    },

    /**
     * Creates a draft from pasted Markdown or plain text (split into sections at headings), or
     * fills one locale of the slug's existing draft. Refuses to overwrite a locale that already
     * has sections unless `replace` is true: nothing is lost silently. Writing into an existing
     * draft is an edit: the controller asks for `policies.update` then (`writesExistingDraft`).
     */
    async importText(
      input: { slug?: unknown; locale?: unknown; text?: unknown; title?: unknown; replace?: unknown },
      user?: AdminUser | null
    ) {
      const { slug, locale, text, title, replace } = (input ?? {}) as Record<string, unknown>;
      if (typeof text !== 'string' || !text.trim()) throw new errors.ValidationError('text is required');
      if (!isCleanText(text)) throw new errors.ValidationError('text holds a NUL character or a broken UTF-16 surrogate');
      if (text.length > LIMITS.importText) {
        throw new errors.ValidationError(`text is longer than ${LIMITS.importText.toLocaleString('en')} characters`);
      }
      if (!isSlug(slug)) throw new errors.ValidationError(SLUG_RULE);
      const { defaultLocale } = await locales().get();
      const code = locale === undefined ? defaultLocale : locale;
      if (!isLocaleCode(code)) throw new errors.ValidationError(LOCALE_RULE);
      if (title !== undefined && (typeof title !== 'string' || !isCleanText(title))) {
        throw new errors.ValidationError('title must be a string (without NUL characters or broken surrogates)');
      }
      if (replace !== undefined && typeof replace !== 'boolean') throw new errors.ValidationError('replace must be true or false');
      await versions().assertLocales([code]);

      const imported = importPolicyText(text);
      const content: LocaleContent = {
        title: ((title as string) || imported.title || slug).slice(0, LIMITS.title),
        summary: '',
        sections: imported.sections,
      };
      const draft = await versions().draftOf(slug);
      if (!draft) {
        const view = await service.createDraft({ slug, locales: { [code]: content } }, user);
        await audit().record(user, 'policy.import', `${slug} draft ${view.documentId}`, { locale: code, sections: content.sections.length });
        return view;
      }
      const current = await versions().getVersion(draft);
      if (current.locales[code]?.sections.length && replace !== true) {
        throw new errors.ApplicationError(`The ${slug} draft already has ${code} content: pass replace: true to overwrite it`, {
          documentId: draft,
        });
      }
      const view = await service.updateDraft(draft, { locales: { [code]: content } }, user);
      await audit().record(user, 'policy.import', `${slug} draft ${draft}`, { locale: code, sections: content.sections.length });
      return view;
    },

    /** Whether importing into this slug edits its existing draft (and so needs policies.update). */
    async writesExistingDraft(input: { slug?: unknown }): Promise<boolean> {
      return isSlug(input?.slug) && Boolean(await versions().draftOf(input.slug));
    },
  };
  type Service = typeof service;
  return {
    ...service,
    createDraft: (...args: Parameters<Service['createDraft']>) => atomically(() => service.createDraft(...args)),
    updateDraft: (...args: Parameters<Service['updateDraft']>) => atomically(() => service.updateDraft(...args)),
    deleteDraft: (...args: Parameters<Service['deleteDraft']>) => atomically(() => service.deleteDraft(...args)),
    importText: (...args: Parameters<Service['importText']>) => atomically(() => service.importText(...args)),
  };
};
