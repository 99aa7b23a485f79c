import type { Core } from '@strapi/strapi';

/**
 * The database's own part of the frozen-record guard, below every Strapi layer. It matters
 * because Strapi itself goes around its own lifecycles in places: `strapi import` and
 * `strapi transfer` switch database lifecycles off while they delete and re-create every row;
 * and a SQL console never had them. For a table of frozen records:
 *
 * - a CHECK constraint (PostgreSQL, MySQL/MariaDB; BEFORE INSERT/UPDATE triggers on SQLite,
 *   which cannot add a constraint to an existing table): a frozen row is complete;
 * - BEFORE UPDATE and BEFORE DELETE triggers: a frozen row keeps every listed column for good,
 *   except the transitions the rule allows (a scheduled version being withdrawn, an erasure), and
 *   is not deleted (unless `allowDelete`, for a deliberate restore);
 * - writes that replace a row without deleting or updating it as such: on SQLite, `INSERT OR
 *   REPLACE`, `REPLACE` and `UPDATE OR REPLACE` delete the row holding the key without firing its
 *   DELETE trigger (recursive_triggers is off), so BEFORE INSERT/UPDATE triggers refuse a write
 *   whose id or unique key is held by a frozen row; on PostgreSQL, a BEFORE TRUNCATE trigger
 *   (lifted with `allowDelete`). MySQL runs no trigger on TRUNCATE: the plugin's high-water
 *   marks (services/frozen-marks.ts) notice a wiped table instead.
 *
 * All of it is (re)created at every boot, after Strapi's schema sync: on SQLite a table rebuilt
 * by the sync loses its triggers, and a column added later must be covered. Where the database
 * user may not create triggers (MySQL with binary logging needs SUPER or
 * log_bin_trust_function_creators), the plugin logs it and relies on its other layers.
 */
type Column = (name: string) => string;

export interface FrozenRowsRule {
  table: string;
  /** Prefix of the constraint, triggers and functions. */
  name: string;
  /** SQL: whether a row is frozen. */
  frozen: (row: Column) => string;
  /** SQL: what every row must satisfy (the CHECK). */
  complete: (row: Column) => string;
  /** The columns a frozen row keeps for good. */
  columns: string[];
  /**
   * The columns a frozen row may still change, each with the SQL of the change allowed (see
   * Dialect for the helpers, e.g. the current time).
   */
  transitions?: Array<{ column: string; allowed: (old: Column, next: Column, sql: Dialect) => string }>;
  /**
   * The column grouping rows into one record (a version's locales share a documentId): no row
   * joins a group that has frozen rows (a locale grafted onto a published version, whether it
   * claims to be a draft or published), but for a restore (`allowDelete`), which re-creates a
   * frozen record's rows one by one.
   */
  group?: string;
  /**
   * SQL: the frozen rows that may still be deleted (consent records past retention, which the
   * purge deletes); `daysAgo(n)` is the UTC time n days ago, formatted as `now` above. Without
   * it, no frozen row is deleted (unless `allowDelete`).
   */
  deletable?: (old: Column, daysAgo: (days: number) => string) => string;
  /** What the database answers a refused write with (MySQL keeps 128 characters). */
  message: string;
}

type Client = 'sqlite' | 'postgres' | 'mysql';

/** SQL helpers for a rule's conditions, in the database's dialect. */
export interface Dialect {
  client: Client;
  /** The current UTC time as `YYYY-MM-DDTHH:MM:SS` (how instants are stored, cut to seconds). */
  now: string;
  /** Null-safe "is different". */
  distinct: (a: string, b: string) => string;
  /**
   * The JSON value at `path` in the JSON column expression `doc`, as comparable SQL (the same
   * value gives the same result); NULL when it is missing or JSON null.
   */
  jsonValue: (doc: string, path: string[]) => string;
  /** Whether the JSON value at `path` is an object. */
  jsonIsObject: (doc: string, path: string[]) => string;
  /** Whether the JSON value at `path` is an object whose keys are all among `keys`. */
  jsonObjectWithin: (doc: string, path: string[], keys: readonly string[]) => string;
}

const quote = (client: Client, name: string) => (client === 'mysql' ? `\`${name}\`` : `"${name}"`);

/** The current UTC time as `YYYY-MM-DDTHH:MM:SS`, in each dialect's SQL. */
const nowSeconds = (client: Client) =>
  client === 'postgres'
    ? `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')`
    : client === 'mysql'
      ? `DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%dT%H:%i:%s')`
      : `strftime('%Y-%m-%dT%H:%M:%S', 'now')`;

/** The UTC time `days` days ago as `YYYY-MM-DDTHH:MM:SS`, in each dialect's SQL. */
const daysAgo = (client: Client) => (days: number) => {
  const n = Math.trunc(days);
  return client === 'postgres'
    ? `to_char((now() AT TIME ZONE 'UTC') - interval '${n} days', 'YYYY-MM-DD"T"HH24:MI:SS')`
    : client === 'mysql'
      ? `DATE_FORMAT(UTC_TIMESTAMP() - INTERVAL ${n} DAY, '%Y-%m-%dT%H:%i:%s')`
      : `strftime('%Y-%m-%dT%H:%M:%S', 'now', '${n >= 0 ? '-' : '+'}${Math.abs(n)} days')`;
};

/** Null-safe "is different". */
const distinct = (client: Client, a: string, b: string) =>
  client === 'postgres' ? `${a} IS DISTINCT FROM ${b}` : client === 'mysql' ? `NOT (${a} <=> ${b})` : `${a} IS NOT ${b}`;

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

const keyList = (keys: readonly string[]) => keys.map(sqlString).join(', ');

export function dialectOf(client: Client): Dialect {
  if (client === 'postgres') {
    const at = (doc: string, path: string[]) => `((${doc})::jsonb #> '{${path.join(',')}}')`;
    return {
      client,
      now: nowSeconds(client),
      distinct: (a, b) => distinct(client, a, b),
      // #>> gives JSON null as SQL NULL, and a value as its normalised text.
      jsonValue: (doc, path) => `((${doc})::jsonb #>> '{${path.join(',')}}')`,
      jsonIsObject: (doc, path) => `(jsonb_typeof(${at(doc, path)}) IS NOT DISTINCT FROM 'object')`,
      // CASE: jsonb_object_keys fails on anything but an object.
      jsonObjectWithin: (doc, path, keys) =>
        `(CASE WHEN jsonb_typeof(${at(doc, path)}) = 'object' THEN NOT EXISTS (SELECT 1 FROM jsonb_object_keys(${at(doc, path)}) AS k(key) ` +
        `WHERE k.key NOT IN (${keyList(keys)})) ELSE false END)`,
    };
  }
  if (client === 'mysql') {
    const at = (doc: string, path: string[]) => (path.length ? `JSON_EXTRACT(${doc}, '$.${path.join('.')}')` : doc);
    return {
      client,
      now: nowSeconds(client),
      distinct: (a, b) => distinct(client, a, b),
      // MySQL's JSON type and MariaDB's text both cast to the value's JSON text; JSON null to 'null'.
      jsonValue: (doc, path) => `NULLIF(CAST(${at(doc, path)} AS CHAR), 'null')`,
      jsonIsObject: (doc, path) => `(JSON_TYPE(${at(doc, path)}) <=> 'OBJECT')`,
      jsonObjectWithin: (doc, path, keys) =>
        `(CASE WHEN JSON_TYPE(${at(doc, path)}) = 'OBJECT' THEN JSON_CONTAINS('${JSON.stringify(keys)}', JSON_KEYS(${at(doc, path)})) = 1 ELSE FALSE END)`,
    };
  }
  const path$ = (path: string[]) => sqlString(['$', ...path].join('.'));
  return {
    client,
    now: nowSeconds(client),
    distinct: (a, b) => distinct(client, a, b),
    jsonValue: (doc, path) => `json_extract(${doc}, ${path$(path)})`,
    jsonIsObject: (doc, path) => `(json_type(${doc}, ${path$(path)}) IS 'object')`,
    jsonObjectWithin: (doc, path, keys) =>
      `(json_type(${doc}, ${path$(path)}) = 'object' AND NOT EXISTS (SELECT 1 FROM json_each(${doc}, ${path$(path)}) WHERE key NOT IN (${keyList(keys)})))`,
  };
}

function refusedUpdate(client: Client, rule: FrozenRowsRule): string {
  const old: Column = (c) => `OLD.${quote(client, c)}`;
  const next: Column = (c) => `NEW.${quote(client, c)}`;
  const moving = new Set((rule.transitions ?? []).map((t) => t.column));
  const kept = rule.columns.filter((c) => !moving.has(c)).map((c) => distinct(client, old(c), next(c)));
  for (const transition of rule.transitions ?? []) {
    kept.push(
      `(${distinct(client, old(transition.column), next(transition.column))} AND NOT (${transition.allowed(old, next, dialectOf(client))}))`
    );
  }
  return `(${rule.frozen(old)}) AND (${kept.join(' OR ')})`;
}

/** The start of what the database answers a write whose key a frozen row holds (SQLite). */
export const KEY_HELD_MESSAGE = 'privacy-centre: UNIQUE key held by a frozen row';

/**
 * The unique keys of a SQLite table (each a list of columns), `id` first: what a REPLACE would
 * delete a row for. Partial and expression indexes are left out (the plugin declares none).
 */
async function uniqueKeysOf(knex: any, table: string): Promise<string[][]> {
  const keys: string[][] = [['id']];
  const indexes: Array<{ name: string; unique: number; partial: number }> = await knex.raw(`PRAGMA index_list(${sqlString(table)})`);
  for (const index of indexes) {
    if (!index.unique || index.partial) continue;
    const columns: Array<{ name: string | null }> = await knex.raw(`PRAGMA index_info(${sqlString(index.name)})`);
    if (columns.length && columns.every((c) => typeof c.name === 'string')) keys.push(columns.map((c) => c.name as string));
  }
  return keys;
}

export async function ensureFrozenRows(strapi: Core.Strapi, rule: FrozenRowsRule, options: { allowDelete: boolean }) {
  const knex = strapi.db.connection;
  const client = strapi.db.dialect.client as Client;
  const schema = client === 'postgres' ? strapi.db.getSchemaName() || 'public' : undefined;
  const table = schema ? `${quote(client, schema)}.${quote(client, rule.table)}` : quote(client, rule.table);
  const named = (suffix: string) => `${rule.name}_${suffix}`;
  const qualified = (suffix: string) => (schema ? `${quote(client, schema)}.${quote(client, named(suffix))}` : quote(client, named(suffix)));
  const message = sqlString(rule.message);
  const update = refusedUpdate(client, rule);
  const oldRow: Column = (c) => `OLD.${quote(client, c)}`;
  const deleted = rule.deletable
    ? `(${rule.frozen(oldRow)}) AND NOT (${rule.deletable(oldRow, daysAgo(client))})`
    : rule.frozen(oldRow);
  const next: Column = (c) => `NEW.${quote(client, c)}`;
  const sibling: Column = (c) => `s.${quote(client, c)}`;
  const frozenSibling = (excluded: string) =>
    `EXISTS (SELECT 1 FROM ${table} s WHERE ${sibling(rule.group!)} = ${next(rule.group!)} AND ${rule.frozen(sibling)} AND ${sibling('id')} <> ${excluded})`;
  // A row joining a group with frozen rows (NULL-safe: NOT (NULL) never fires). A restore
  // re-creates a frozen record's rows one by one, so it may add frozen rows to a frozen group.
  const joinedByInsert = rule.group
    ? options.allowDelete
      ? `NOT (${rule.frozen(next)}) AND ${frozenSibling(`COALESCE(${next('id')}, -1)`)}`
      : frozenSibling(`COALESCE(${next('id')}, -1)`)
    : null;
  // A draft staying a draft, or a row moving to another group (publication turns a version's
  // draft rows into frozen ones in place, which stays allowed).
  const joinedByUpdate = rule.group
    ? `(NOT (${rule.frozen(next)}) OR ${distinct(client, oldRow(rule.group), next(rule.group))}) AND ${frozenSibling(next('id'))}`
    : null;

  const steps: Array<[string, () => Promise<unknown>]> = [];
  if (client === 'sqlite') {
    const complete = rule.complete((c) => `NEW.${quote(client, c)}`);
    const trigger = async (suffix: string, event: 'INSERT' | 'UPDATE' | 'DELETE', condition: string | null, text = message) => {
      await knex.raw(`DROP TRIGGER IF EXISTS ${qualified(suffix)}`);
      if (condition === null) return;
      await knex.raw(
        `CREATE TRIGGER ${qualified(suffix)} BEFORE ${event} ON ${table} FOR EACH ROW WHEN ${condition} BEGIN SELECT RAISE(ABORT, ${text}); END`
      );
    };
    for (const event of ['INSERT', 'UPDATE'] as const) {
      steps.push([`${named('complete')}_${event.toLowerCase()}`, () => trigger(`complete_${event.toLowerCase()}`, event, `NOT (${complete})`)]);
    }
    steps.push([named('update'), () => trigger('update', 'UPDATE', update)]);
    steps.push([named('delete'), () => trigger('delete', 'DELETE', options.allowDelete ? null : deleted)]);
    if (joinedByInsert && joinedByUpdate) {
      steps.push([named('join_insert'), () => trigger('join_insert', 'INSERT', joinedByInsert)]);
      steps.push([named('join_update'), () => trigger('join_update', 'UPDATE', joinedByUpdate)]);
    }
    // REPLACE (and INSERT/UPDATE OR REPLACE) deletes the row holding the key without its DELETE
    // trigger: refuse the write before SQLite looks for conflicts. Its words start with
    // KEY_HELD_MESSAGE, which isUniqueViolation reads as the unique violation it stands for.
    steps.push([named('key_held'), async () => {
      const keys = await uniqueKeysOf(knex, rule.table);
      const held = (excludeOld: boolean) =>
        keys
          .map(
            (columns) =>
              `EXISTS (SELECT 1 FROM ${table} s WHERE ${columns.map((c) => `${sibling(c)} = ${next(c)}`).join(' AND ')} ` +
              `AND ${rule.frozen(sibling)}${excludeOld ? ` AND ${sibling('id')} <> OLD.${quote(client, 'id')}` : ''})`
          )
          .join(' OR ');
      const text = sqlString(`${KEY_HELD_MESSAGE}: ${rule.message}`);
      await trigger('key_held_insert', 'INSERT', held(false), text);
      await trigger('key_held_update', 'UPDATE', held(true), text);
    }]);
  } else {
    steps.push([named('complete'), async () => {
      const exists =
        client === 'postgres'
          ? await knex('pg_constraint')
              .join('pg_class', 'pg_class.oid', 'pg_constraint.conrelid')
              .join('pg_namespace', 'pg_namespace.oid', 'pg_class.relnamespace')
              .where({ 'pg_constraint.conname': named('complete'), 'pg_class.relname': rule.table, 'pg_namespace.nspname': schema })
              .first()
          : await knex('information_schema.TABLE_CONSTRAINTS')
              .where({ CONSTRAINT_NAME: named('complete'), TABLE_NAME: rule.table })
              .andWhereRaw('CONSTRAINT_SCHEMA = DATABASE()')
              .first();
      if (!exists) {
        await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${quote(client, named('complete'))} CHECK (${rule.complete((c) => quote(client, c))})`);
      }
    }]);
    if (client === 'postgres') {
      const fn = (suffix: string, condition: string, returned: 'NEW' | 'OLD' | 'NULL') =>
        `CREATE OR REPLACE FUNCTION ${qualified(suffix)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
        `IF ${condition} THEN RAISE EXCEPTION ${message} USING ERRCODE = 'check_violation'; END IF; RETURN ${returned}; END $$`;
      const trigger = (suffix: string, when: string, level: 'ROW' | 'STATEMENT' = 'ROW') =>
        `CREATE TRIGGER ${quote(client, named(suffix))} BEFORE ${when} ON ${table} FOR EACH ${level} EXECUTE FUNCTION ${qualified(suffix)}()`;
      const drop = (suffix: string) => knex.raw(`DROP TRIGGER IF EXISTS ${quote(client, named(suffix))} ON ${table}`);
      steps.push([named('update'), async () => {
        await knex.raw(fn('update', update, 'NEW'));
        await drop('update');
        await knex.raw(trigger('update', 'UPDATE'));
      }]);
      steps.push([named('delete'), async () => {
        await drop('delete');
        if (!options.allowDelete) {
          await knex.raw(fn('delete', deleted, 'OLD'));
          await knex.raw(trigger('delete', 'DELETE'));
        }
      }]);
      // TRUNCATE runs no row trigger; a statement-level one refuses it (what a restore needs is
      // DELETE, which `strapi import` uses, but the same switch lifts both).
      steps.push([named('truncate'), async () => {
        await drop('truncate');
        if (!options.allowDelete) {
          await knex.raw(fn('truncate', 'true', 'NULL'));
          await knex.raw(trigger('truncate', 'TRUNCATE', 'STATEMENT'));
        }
      }]);
      if (joinedByInsert && joinedByUpdate) {
        steps.push([named('join'), async () => {
          const condition = `(TG_OP = 'INSERT' AND ${joinedByInsert}) OR (TG_OP = 'UPDATE' AND ${joinedByUpdate})`;
          // OLD is NULL in an INSERT trigger (PostgreSQL 11+), so the UPDATE branch is safe to plan.
          await knex.raw(fn('join', condition, 'NEW'));
          await drop('join');
          await knex.raw(trigger('join', 'INSERT OR UPDATE'));
        }]);
      }
    } else {
      const trigger = (suffix: string, event: string, condition: string) =>
        `CREATE TRIGGER ${qualified(suffix)} BEFORE ${event} ON ${table} FOR EACH ROW BEGIN ` +
        `IF ${condition} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${message}; END IF; END`;
      steps.push([named('update'), async () => {
        await knex.raw(`DROP TRIGGER IF EXISTS ${qualified('update')}`);
        await knex.raw(trigger('update', 'UPDATE', update));
      }]);
      steps.push([named('delete'), async () => {
        await knex.raw(`DROP TRIGGER IF EXISTS ${qualified('delete')}`);
        if (!options.allowDelete) await knex.raw(trigger('delete', 'DELETE', deleted));
      }]);
      if (joinedByInsert && joinedByUpdate) {
        for (const [event, condition] of [['insert', joinedByInsert], ['update', joinedByUpdate]] as const) {
          steps.push([`${named('join')}_${event}`, async () => {
            await knex.raw(`DROP TRIGGER IF EXISTS ${qualified(`join_${event}`)}`);
            await knex.raw(trigger(`join_${event}`, event.toUpperCase(), condition));
          }]);
        }
      }
    }
  }

  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      // Rows stored before a rule existed may break it, or the user may not create triggers:
      // say so, and keep serving (the plugin's own guard and the integrity check still hold).
      strapi.log.error(
        `[privacy-centre] could not put the database rule ${name} on ${rule.table} in place: ${(error as Error).message}. ` +
          'The plugin still enforces it itself; see the README, "Databases".'
      );
    }
  }
}
