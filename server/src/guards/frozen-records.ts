import { AsyncLocalStorage } from 'node:async_hooks';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { PrivacyCentreConfig } from '../config';

/**
 * The frozen-record guard: a record that the plugin has sealed (a published policy version, a
 * cookie-declaration revision) is the legal record of what visitors were shown, so no path may
 * change or delete it, and only the plugin's own sealing path may write the fields that seal it.
 *
 * Strapi writes a content type through two layers, and the guard sits on both:
 * - `strapi.documents()` (the Content Manager, other plugins, our admin API): a document-service
 *   middleware per content type (see the rules in this folder) refuses with clear words;
 * - `strapi.db.query()` (what the document service itself calls, i18n's locale deletion,
 *   `strapi import`/`transfer`, any plugin's raw `*Many` calls): database lifecycle subscribers,
 *   registered here, refuse create/update/delete of frozen rows and writes of sealed fields.
 * What neither layer sees (a SQL console) is caught by the integrity check on read.
 *
 * Race safety: before an update or delete, the target rows are read with `SELECT … FOR UPDATE`
 * when the write runs in a transaction (every document-service call does) on PostgreSQL or
 * MySQL, so a save that lands while a publication is sealing the same rows waits for it and is
 * then refused; and the write's own where-clause is narrowed to editable rows.
 */

const sealingContext = new AsyncLocalStorage<{ sealing: true }>();

/** Runs `fn` as the plugin's own sealing path: the one writer of sealed fields and frozen rows. */
export const sealing = <T>(fn: () => Promise<T>): Promise<T> => sealingContext.run({ sealing: true }, fn);

export const isSealing = (): boolean => sealingContext.getStore()?.sealing === true;

type Row = Record<string, unknown>;

export interface FrozenRecordRule {
  uid: string;
  /** Attributes only the sealing path may write; callers may send them back empty (the CM does). */
  sealedFields: readonly string[];
  /** Whether a sealed field's value is the empty value of an unsealed record. */
  isEmptySealedValue(field: string, value: unknown): boolean;
  /** Whether a stored row is frozen. */
  isFrozen(row: Row): boolean;
  /** A where-clause selecting exactly the rows that may still change (the complement of isFrozen). */
  editable: Record<string, unknown>;
  /** The attributes `isFrozen` and `frozenMessage` read. */
  fields: string[];
  /** The refusal, in words an editor understands. */
  frozenMessage(row: Row): string;
  /** What a write of sealed fields is told. */
  sealedFieldsMessage(fields: string[]): string;
  /**
   * Type-specific checks and upkeep of a row's data before it is written outside the sealing
   * path (validation, derived columns), once the guard has let the write through.
   */
  beforeWrite?(data: Row, context: { action: 'create' | 'update'; strapi: Core.Strapi; rows: Row[] }): Promise<void> | void;
}

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

export function registerFrozenRecordGuard(strapi: Core.Strapi, rule: FrozenRecordRule) {
  const config = () => strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig;
  const canLock = () => strapi.db.dialect.client !== 'sqlite' && strapi.db.inTransaction();

  /** `strapi import` / `strapi transfer` wipe and re-create every row; allowed only while restoring. */
  const restoring = () => config().allowRestore === true;

  const refuseSealedFields = (data: Row) => {
    const written = rule.sealedFields.filter((field) => field in data && !rule.isEmptySealedValue(field, data[field]));
    if (written.length) throw new errors.ValidationError(rule.sealedFieldsMessage(written));
    // The empty values carry nothing, and must not reach a row that was sealed meanwhile.
    for (const field of rule.sealedFields) delete data[field];
  };

  /** The rows a write will touch, locked until the end of the transaction where that helps. */
  const targets = async (where: unknown): Promise<Row[]> => {
    const query = strapi.db
      .queryBuilder(rule.uid)
      .select([...new Set(['id', 'documentId', ...rule.fields])])
      .where((where ?? {}) as Record<string, unknown>);
    if (canLock()) query.forUpdate();
    return (await query.execute()) as Row[];
  };

  const refuseFrozen = (rows: Row[]) => {
    const frozen = rows.find((row) => rule.isFrozen(row));
    if (frozen) throw new errors.ApplicationError(rule.frozenMessage(frozen));
  };

  const narrow = (params: { where?: unknown }) => {
    params.where = params.where ? { $and: [params.where, rule.editable] } : rule.editable;
  };

  /**
   * Strapi stores `String(value)` of whatever it is given: `['id']` would become `'id'` after
   * the check below had looked for something else. Only a string (or nothing) passes.
   */
  const refuseOddDocumentId = (data: Row) => {
    if (data.documentId !== undefined && data.documentId !== null && typeof data.documentId !== 'string') {
      throw new errors.ValidationError('documentId must be a string');
    }
  };

  /** i18n's `localizations` relation would move rows between documents: documents link locales. */
  const dropRelations = (data: Row) => {
    delete data.localizations;
  };

  const beforeCreate = async (data: unknown) => {
    if (isSealing() || restoring()) return;
    if (!isRow(data)) return; // Strapi refuses it with its own error
    refuseOddDocumentId(data);
    dropRelations(data);
    // A new row joining an existing document (a new locale): that document must not be frozen.
    const siblings = typeof data.documentId === 'string' ? await targets({ documentId: data.documentId }) : [];
    refuseFrozen(siblings);
    refuseSealedFields(data);
    await rule.beforeWrite?.(data, { action: 'create', strapi, rows: siblings });
  };

  const beforeUpdate = async (params: { where?: unknown; data?: unknown }) => {
    if (isSealing()) return;
    const { data } = params;
    if (!isRow(data)) return;
    refuseOddDocumentId(data);
    dropRelations(data);
    refuseSealedFields(data);
    const rows = await targets(params.where);
    refuseFrozen(rows);
    // Moving a row into another document would graft it onto a frozen one.
    if ('documentId' in data && rows.some((row) => row.documentId !== data.documentId)) {
      throw new errors.ValidationError('documentId cannot be changed');
    }
    narrow(params);
    await rule.beforeWrite?.(data, { action: 'update', strapi, rows });
  };

  const beforeDelete = async (params: { where?: unknown }) => {
    if (isSealing() || restoring()) return;
    refuseFrozen(await targets(params.where));
    narrow(params);
  };

  strapi.db.lifecycles.subscribe({
    models: [rule.uid],
    beforeCreate: (event) => beforeCreate(event.params.data),
    beforeCreateMany: async (event) => {
      for (const data of (event.params.data as unknown[]) ?? []) await beforeCreate(data);
    },
    beforeUpdate: (event) => beforeUpdate(event.params),
    beforeUpdateMany: (event) => beforeUpdate(event.params),
    beforeDelete: (event) => beforeDelete(event.params),
    beforeDeleteMany: (event) => beforeDelete(event.params),
  } as any);
}
