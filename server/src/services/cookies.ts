import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_CATEGORIES } from '../cookies/defaults';
import { buildSnapshot, diffSnapshots } from '../cookies/snapshot';
import type { CategoryText, CookieCategory, CookieDefinition, DeclarationChanges, DefinitionText } from '../cookies/types';
import {
  categoryCreateSchema,
  categoryUpdateSchema,
  CATEGORY_KEY_PATTERN,
  definitionCreateSchema,
  definitionUpdateSchema,
} from '../cookies/validation';
import { problemsOf } from '../policy/validation';
import type { AdminUser } from './audit';
import { byCodeUnits } from '../policy/patterns';

const CATEGORY_UID = 'plugin::privacy-centre.cookie-category';
const DEFINITION_UID = 'plugin::privacy-centre.cookie-definition';

type Row = Record<string, any>;

function validate(schema: Parameters<typeof problemsOf>[0], input: unknown) {
  const problems = problemsOf(schema, input);
  if (problems.length) throw new errors.ValidationError(problems.join('; '));
}

const groupByDocument = (rows: Row[]) => {
  const documents = new Map<string, Row[]>();
  for (const row of rows) {
    if (!documents.has(row.documentId)) documents.set(row.documentId, []);
    documents.get(row.documentId)!.push(row);
  }
  return [...documents.values()];
};

const toCategory = (rows: Row[]): CookieCategory & { documentId: string } => {
  const [first] = rows;
  return {
    documentId: first.documentId,
    key: first.key,
    required: Boolean(first.required),
    position: first.position ?? 0,
    consentMode: Array.isArray(first.consentMode) ? first.consentMode : [],
    refusedUnderGpc: Boolean(first.refusedUnderGpc),
    // Only when chosen: a category left at its default freezes as it did before the field existed.
    ...(first.c15tType ? { c15tType: first.c15tType } : {}),
    ...(first.saleShare === true || first.saleShare === false ? { saleShare: first.saleShare } : {}),
    locales: Object.fromEntries(rows.map((r) => [r.locale, { name: r.name ?? '', description: r.description ?? '' }])),
  };
};

const toDefinition = (rows: Row[]): CookieDefinition => {
  const [first] = rows;
  return {
    documentId: first.documentId,
    name: first.name,
    category: first.category,
    provider: first.provider ?? '',
    domain: first.domain ?? '',
    storageType: first.storageType ?? 'cookie',
    thirdParty: Boolean(first.thirdParty),
    service: first.service ?? '',
    position: first.position ?? 0,
    locales: Object.fromEntries(rows.map((r) => [r.locale, { purpose: r.purpose ?? '', duration: r.duration ?? '' }])),
  };
};

/**
 * What editors manage on the Cookies page: categories and cookie definitions, in every locale
 * (i18n localisations of one document each, written through strapi.documents()). What visitors
 * see is a published revision (services/cookie-declarations), never these directly.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = (uid: string) => strapi.documents(uid as any);
  const audit = () => strapi.plugin('privacy-centre').service('audit');
  const versions = () => strapi.plugin('privacy-centre').service('policy-versions');
  const locales = () => strapi.plugin('privacy-centre').service('locales');
  const declarations = () => strapi.plugin('privacy-centre').service('cookie-declarations');
  const atomically = <T>(fn: () => Promise<T>) => strapi.db.transaction(fn) as Promise<T>;

  /** Writes one document's locales: the first creates it, the others are added; null removes one. */
  const writeLocales = async <T>(
    uid: string,
    documentId: string | null,
    shared: Record<string, unknown>,
    texts: Record<string, T | null>,
    toData: (text: T) => Record<string, unknown>
  ): Promise<string> => {
    const { defaultLocale } = await locales().get();
    const codes = Object.keys(texts).sort((a, b) => (a === defaultLocale ? -1 : b === defaultLocale ? 1 : byCodeUnits(a, b)));
    await versions().assertLocales(codes.filter((code) => texts[code] !== null));
    let id = documentId;
    for (const code of codes) {
      const text = texts[code];
      if (text === null) continue;
      if (!id) id = (await documents(uid).create({ locale: code, data: { ...shared, ...toData(text) } } as any)).documentId;
      else await documents(uid).update({ documentId: id, locale: code, data: { ...shared, ...toData(text) } } as any);
    }
    if (id && Object.keys(shared).length && !codes.some((code) => texts[code] !== null)) {
      const [row] = await strapi.db.query(uid).findMany({ where: { documentId: id }, limit: 1 });
      await documents(uid).update({ documentId: id, locale: row.locale, data: shared } as any);
    }
    const removing = codes.filter((code) => texts[code] === null);
    if (id && removing.length) {
      const left = await strapi.db.query(uid).count({ where: { documentId: id, locale: { $notIn: removing } } });
      if (!left) throw new errors.ValidationError('keep at least one locale');
      for (const code of removing) await documents(uid).delete({ documentId: id, locale: code } as any);
    }
    return id!;
  };

  const service = {
    async categories(): Promise<Array<CookieCategory & { documentId: string }>> {
      const rows: Row[] = await strapi.db.query(CATEGORY_UID).findMany({ orderBy: [{ position: 'asc' }, { key: 'asc' }, { locale: 'asc' }] });
      return groupByDocument(rows)
        .map(toCategory)
        .sort((a, b) => a.position - b.position || byCodeUnits(a.key, b.key));
    },

    async definitions(): Promise<CookieDefinition[]> {
      const rows: Row[] = await strapi.db.query(DEFINITION_UID).findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }, { locale: 'asc' }] });
      return groupByDocument(rows)
        .map(toDefinition)
        .sort((a, b) => byCodeUnits(a.category, b.category) || a.position - b.position || byCodeUnits(a.name, b.name));
    },

    async categoryByKey(key: unknown) {
      if (typeof key !== 'string' || !CATEGORY_KEY_PATTERN.test(key)) throw new errors.NotFoundError(`No cookie category ${String(key).slice(0, 64)}`);
      const found = (await service.categories()).find((c) => c.key === key);
      if (!found) throw new errors.NotFoundError(`No cookie category ${key}`);
      return found;
    },

    async definitionById(documentId: string) {
      const rows: Row[] = await strapi.db.query(DEFINITION_UID).findMany({ where: { documentId } });
      if (!rows.length) throw new errors.NotFoundError(`No cookie definition ${documentId}`);
      return toDefinition(rows);
    },

    /** The four usual categories, on first boot (when there is none at all). */
    async ensureDefaultCategories() {
      if (await strapi.db.query(CATEGORY_UID).count()) return;
      const { defaultLocale } = await locales().get();
      for (const { text, ...category } of DEFAULT_CATEGORIES) {
        await writeLocales(CATEGORY_UID, null, category, { [defaultLocale]: text }, (t: CategoryText) => ({ ...t }));
      }
    },

    async createCategory(input: unknown, user?: AdminUser | null) {
      validate(categoryCreateSchema, input);
      const { key, locales: texts = {}, ...fields } = input as Record<string, any>;
      if (!Object.values(texts).some(Boolean)) throw new errors.ValidationError('a category needs its name in at least one locale');
      return atomically(async () => {
        const existing = await service.categories();
        if (existing.some((c) => c.key === key)) throw new errors.ValidationError(`a category with the key ${key} exists already`);
        const position = existing.reduce((max, c) => Math.max(max, c.position + 1), 0);
        await writeLocales(
          CATEGORY_UID,
          null,
          { key, position, required: false, consentMode: [], refusedUnderGpc: false, ...fields },
          texts,
          (t: CategoryText) => ({ ...t })
        );
        await audit().record(user, 'cookies.category.create', key);
        return service.categoryByKey(key);
      });
    },

    async updateCategory(key: string, input: unknown, user?: AdminUser | null) {
      validate(categoryUpdateSchema, input);
      const { locales: texts = {}, ...fields } = (input ?? {}) as Record<string, any>;
      if (!Object.keys(fields).length && !Object.keys(texts).length) throw new errors.ValidationError('nothing to change');
      return atomically(async () => {
        const category = await service.categoryByKey(key);
        await writeLocales(CATEGORY_UID, category.documentId, fields, texts, (t: CategoryText) => ({ ...t }));
        await audit().record(user, 'cookies.category.update', key, { fields: Object.keys(fields), locales: Object.keys(texts) });
        return service.categoryByKey(key);
      });
    },

    async deleteCategory(key: string, user?: AdminUser | null) {
      return atomically(async () => {
        const category = await service.categoryByKey(key);
        const cookies = await strapi.db.query(DEFINITION_UID).count({ where: { category: key } });
        if (cookies) throw new errors.ValidationError(`${key} still has ${cookies} cookie row(s): move or delete its cookies first`);
        await documents(CATEGORY_UID).delete({ documentId: category.documentId, locale: '*' } as any);
        await audit().record(user, 'cookies.category.delete', key);
      });
    },

    async reorderCategories(input: unknown, user?: AdminUser | null) {
      const keys = (input as { keys?: unknown })?.keys;
      return atomically(async () => {
        const categories = await service.categories();
        const known = categories.map((c) => c.key).sort();
        if (!Array.isArray(keys) || keys.length !== known.length || [...keys].sort().join('\n') !== known.join('\n')) {
          throw new errors.ValidationError(`keys must list every category once: ${known.join(', ')}`);
        }
        for (const [position, key] of (keys as string[]).entries()) {
          const category = categories.find((c) => c.key === key)!;
          if (category.position !== position) {
            await strapi.db.query(CATEGORY_UID).updateMany({ where: { documentId: category.documentId }, data: { position } });
          }
        }
        await audit().record(user, 'cookies.category.reorder', 'categories', { keys });
        return service.categories();
      });
    },

    async createDefinition(input: unknown, user?: AdminUser | null) {
      validate(definitionCreateSchema, input);
      const { locales: texts = {}, ...fields } = input as Record<string, any>;
      return atomically(async () => {
        await service.categoryByKey(fields.category);
        const siblings = (await service.definitions()).filter((d) => d.category === fields.category);
        const position = siblings.reduce((max, d) => Math.max(max, d.position + 1), 0);
        const shared = { provider: '', domain: '', storageType: 'cookie', thirdParty: false, service: '', ...fields, position };
        const withText = Object.values(texts).some(Boolean) ? texts : { [(await locales().get()).defaultLocale]: { purpose: '', duration: '' } };
        const documentId = await writeLocales(DEFINITION_UID, null, shared, withText, (t: DefinitionText) => ({ ...t }));
        await audit().record(user, 'cookies.definition.create', `${fields.category}/${fields.name}`, { documentId });
        return service.definitionById(documentId);
      });
    },

    async updateDefinition(documentId: string, input: unknown, user?: AdminUser | null) {
      validate(definitionUpdateSchema, input);
      const { locales: texts = {}, ...fields } = (input ?? {}) as Record<string, any>;
      if (!Object.keys(fields).length && !Object.keys(texts).length) throw new errors.ValidationError('nothing to change');
      return atomically(async () => {
        const definition = await service.definitionById(documentId);
        if (fields.category && fields.category !== definition.category) await service.categoryByKey(fields.category);
        await writeLocales(DEFINITION_UID, documentId, fields, texts, (t: DefinitionText) => ({ ...t }));
        await audit().record(user, 'cookies.definition.update', `${definition.category}/${definition.name}`, { documentId });
        return service.definitionById(documentId);
      });
    },

    async deleteDefinition(documentId: string, user?: AdminUser | null) {
      return atomically(async () => {
        const definition = await service.definitionById(documentId);
        await documents(DEFINITION_UID).delete({ documentId, locale: '*' } as any);
        await audit().record(user, 'cookies.definition.delete', `${definition.category}/${definition.name}`, { documentId });
      });
    },

    async reorderDefinitions(input: unknown, user?: AdminUser | null) {
      const { category, documentIds } = (input ?? {}) as { category?: unknown; documentIds?: unknown };
      return atomically(async () => {
        await service.categoryByKey(category);
        const siblings = (await service.definitions()).filter((d) => d.category === category);
        const known = siblings.map((d) => d.documentId).sort();
        if (!Array.isArray(documentIds) || [...documentIds].sort().join('\n') !== known.join('\n')) {
          throw new errors.ValidationError(`documentIds must list every cookie of ${String(category)} once`);
        }
        for (const [position, id] of (documentIds as string[]).entries()) {
          await strapi.db.query(DEFINITION_UID).updateMany({ where: { documentId: id }, data: { position } });
        }
        await audit().record(user, 'cookies.definition.reorder', String(category), { documentIds });
        return (await service.definitions()).filter((d) => d.category === category);
      });
    },

    /** What a publication would freeze now. */
    async currentSnapshot() {
      return buildSnapshot(await service.categories(), await service.definitions());
    },

    async changes(): Promise<DeclarationChanges> {
      const latest = await declarations().latest();
      return diffSnapshots(latest?.revision ?? null, latest?.snapshot ?? null, await service.currentSnapshot());
    },

    /** The Cookies page's whole state. */
    async overview() {
      const latest = await declarations().latest();
      const categories = await service.categories();
      const definitions = await service.definitions();
      const { snapshot: _snapshot, ...summary } = latest ?? { snapshot: null };
      return {
        categories: categories.map(({ documentId: _id, ...c }) => c),
        definitions,
        latest: latest ? summary : null,
        changes: diffSnapshots(latest?.revision ?? null, latest?.snapshot ?? null, buildSnapshot(categories, definitions)),
        discovery: await service.discoverySummary(),
      };
    },

    /**
     * The Discovery tab's counts over 30 days, for the Overview: the discovery service's own
     * report (its matching and ignore rules), only the numbers kept.
     */
    async discoverySummary() {
      const { days, counts, sinceRevision, flood } = await strapi.plugin('privacy-centre').service('discovery').report({ days: 30 });
      return { days, counts, sinceRevision, flood: flood.count };
    },
  };
  return service;
};
