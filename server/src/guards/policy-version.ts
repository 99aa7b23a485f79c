import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isUniqueViolation } from '../db/errors';
import type { FrozenRowsRule } from '../db/frozen-rows';
import { sectionsSchema, problemsOf } from '../policy/validation';
import { registerFrozenRecordGuard, type FrozenRecordRule } from './frozen-records';

export const POLICY_UID = 'plugin::privacy-centre.policy-version';
const TABLE = 'privacy_centre_policy_versions';

/** Written only by publication and withdrawal; `draftKey` is kept by the guard itself. */
export const PUBLICATION_FIELDS = ['version', 'hash', 'signature', 'lifecycle', 'effectiveAt', 'releasedAt', 'releasedBy', 'controller'] as const;

type Row = Record<string, unknown>;

export const frozenMessage = (row: { slug?: unknown; version?: unknown }) =>
  `Policy version ${row.slug ?? ''} v${row.version ?? '?'} is published and frozen: ` +
  'it is the legal record of what visitors were shown. Create a new draft instead.';

const CLONE_MESSAGE =
  'Policy versions cannot be cloned: a copy would carry another version’s number and seal. ' +
  'Start a new draft from the newest version in Privacy Centre → Policies (New draft → copy of the latest).';

const draftExistsMessage = (slug: unknown) =>
  `${String(slug)} already has a draft: edit that draft, or delete it first (one draft per policy at a time)`;

/** The store row every draft creation of a policy locks first (see oneDraftPerSlug). */
export const DRAFT_LOCK_KEY = 'draft-lock';

/**
 * One draft per policy, whatever locale each request writes: checked with a locking read after
 * locking the plugin's draft-lock row, so that two transactions (PostgreSQL, MySQL) creating
 * drafts of one slug run one after the other, and the second sees the first. SQLite runs one
 * write transaction at a time anyway. (The unique (draftKey, locale) index stays as a backstop
 * for writes made outside a transaction.)
 */
async function oneDraftPerSlug(strapi: Core.Strapi, slug: string, documentIds: string[]) {
  const locking = strapi.db.inTransaction() && strapi.db.dialect.client !== 'sqlite';
  if (locking) {
    await strapi.db
      .queryBuilder('strapi::core-store')
      .select(['id'])
      .where({ key: `plugin_privacy-centre_${DRAFT_LOCK_KEY}` })
      .forUpdate()
      .execute();
  }
  const other = strapi.db
    .queryBuilder(POLICY_UID)
    .select(['documentId'])
    .where({ slug, lifecycle: 'draft', ...(documentIds.length ? { documentId: { $notIn: documentIds } } : {}) })
    .first();
  if (locking) other.forUpdate();
  if (await other.execute()) throw new errors.ValidationError(draftExistsMessage(slug));
}

/** Checks sections, keeps one draft per slug, and keeps `draftKey` equal to a draft's slug. */
async function beforeWrite(data: Row, { action, strapi, rows }: { action: 'create' | 'update'; strapi: Core.Strapi; rows: Row[] }) {
  if ('sections' in data && data.sections !== null) {
    const problems = problemsOf(sectionsSchema, data.sections);
    if (problems.length) throw new errors.ValidationError(`sections are invalid: ${problems.slice(0, 5).join('; ')}`);
  }
  delete data.draftKey;
  if (typeof data.slug === 'string') {
    const own = [...new Set([...rows.map((r) => r.documentId as string), ...(typeof data.documentId === 'string' ? [data.documentId] : [])])];
    await oneDraftPerSlug(strapi, data.slug, own);
    data.draftKey = data.slug;
  } else if (action === 'create') {
    data.draftKey = null;
  }
}

export const policyVersionRule: FrozenRecordRule = {
  uid: POLICY_UID,
  sealedFields: PUBLICATION_FIELDS,
  isEmptySealedValue: (field, value) => value === null || value === undefined || (field === 'lifecycle' && value === 'draft'),
  isFrozen: (row) => row.lifecycle !== 'draft',
  editable: { lifecycle: 'draft' },
  fields: ['documentId', 'locale', 'slug', 'version', 'lifecycle'],
  frozenMessage,
  sealedFieldsMessage: (fields) => `${fields.join(', ')} can only be set by publishing a policy version`,
  beforeWrite,
};

/**
 * The database's part (see db/frozen-rows.ts): a non-draft row always carries its number, seal
 * and dates (a half-published row would sort first in PostgreSQL's `ORDER BY version DESC`,
 * NULLs first), and keeps every column for good, but for a scheduled version being withdrawn;
 * nor is it deleted, nor does any row join its version (a locale added to a published version
 * below Strapi, even one written as published with a seal). The signature is left out: it is re-made when the secret is rotated, and
 * a wrong one only makes the version fail its integrity check.
 */
export const policyVersionRows: FrozenRowsRule = {
  table: TABLE,
  name: 'privacy_centre_policy_versions_frozen',
  frozen: (row) => `${row('lifecycle')} <> 'draft'`,
  complete: (row) =>
    `${row('lifecycle')} IS NOT NULL AND (${row('lifecycle')} = 'draft' OR (${row('version')} IS NOT NULL AND ` +
    `${row('hash')} IS NOT NULL AND ${row('effective_at')} IS NOT NULL AND ${row('released_at')} IS NOT NULL))`,
  columns: [
    'document_id', 'locale', 'slug', 'version', 'title', 'summary', 'sections', 'material_change',
    'effective_at', 'released_at', 'released_by', 'hash', 'controller', 'draft_key', 'lifecycle',
  ],
  // A scheduled version may be withdrawn before it takes effect; nothing else moves.
  transitions: [
    {
      column: 'lifecycle',
      allowed: (old, next, { now }) =>
        `${old('lifecycle')} = 'published' AND ${next('lifecycle')} = 'withdrawn' AND substr(${old('effective_at')}, 1, 19) > ${now}`,
    },
  ],
  group: 'document_id',
  message: 'privacy-centre: this policy version is published and frozen (the legal record of what visitors were shown)',
};

/**
 * The guard on both layers (register phase, so it holds from the first request): the shared
 * frozen-record lifecycles, plus what only a policy version needs at the document layer.
 */
export function registerPolicyVersionGuard(strapi: Core.Strapi) {
  registerFrozenRecordGuard(strapi, policyVersionRule);

  strapi.documents.use(async (context, next) => {
    if (context.uid !== POLICY_UID) return next();
    if (context.action === 'clone') throw new errors.ApplicationError(CLONE_MESSAGE);
    if (context.action !== 'create' && context.action !== 'update') return next();
    // One draft per slug and the rest are checked where every path meets: the database lifecycles.

    const data = ((context.params ?? {}) as { data?: Row }).data ?? {};
    try {
      return await next();
    } catch (error) {
      if (isUniqueViolation(error)) throw new errors.ValidationError(draftExistsMessage(data.slug));
      throw error;
    }
  });
}

/**
 * Settings → Internationalization deletes every row of a locale with `deleteMany`. While a
 * frozen version is written in that locale the deletion is refused before anything is deleted
 * (the lifecycle guard would refuse too, but only after other content types lost that locale).
 */
export function protectLocalesInUse(strapi: Core.Strapi) {
  strapi.get('services').extend('plugin::i18n.locales', (service: any) => ({
    ...service,
    async delete(params: { id: unknown }) {
      const locale = await service.findById(params?.id);
      if (locale?.code) {
        const rows = (await strapi.db.query(POLICY_UID).findMany({
          select: ['slug', 'version'],
          where: { locale: locale.code, lifecycle: { $ne: 'draft' } },
          orderBy: [{ slug: 'asc' }, { version: 'asc' }],
          limit: 10,
        })) as Array<{ slug: string; version: number }>;
        if (rows.length) {
          const named = rows.map((r) => `${r.slug} v${r.version}`).join(', ');
          throw new errors.ApplicationError(
            `The locale "${locale.code}" cannot be deleted: published policy versions are written in it (${named}). ` +
              'They are the legal record of what visitors were shown in that language and are kept for good.'
          );
        }
      }
      return service.delete(params);
    },
  }));
}
