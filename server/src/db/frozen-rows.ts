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
 *   except the one transition the rule allows (a scheduled version being withdrawn), and is not
 *   deleted (unless `allowDelete`, for a deliberate restore).
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
   * The one column a frozen row may still change, and the SQL of the change allowed; `now` is
   * the current UTC time as `YYYY-MM-DDTHH:MM:SS` (how instants are stored, cut to seconds).
   */
  transition?: { column: string; allowed: (old: Column, next: Column, now: string) => string };
  /**
   * The column grouping rows into one record (a version's locales share a documentId): a row
   * that is not frozen may not join a group that has frozen rows (a draft locale grafted onto a
   * published version).
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

function refusedUpdate(client: Client, rule: FrozenRowsRule): string {
  const old: Column = (c) => `OLD.${quote(client, c)}`;
  const next: Column = (c) => `NEW.${quote(client, c)}`;
  const kept = rule.columns.filter((c) => c !== rule.transition?.column).map((c) => distinct(client, old(c), next(c)));
  const { transition } = rule;
  if (transition) {
    kept.push(
      `(${distinct(client, old(transition.column), next(transition.column))} AND NOT (${transition.allowed(old, next, nowSeconds(client))}))`
    );
  }
  return `(${rule.frozen(old)}) AND (${kept.join(' OR ')})`;
}

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

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
  // A row that is not frozen joining a group with frozen rows (NULL-safe: NOT (NULL) never fires).
  const joined = rule.group
    ? `NOT (${rule.frozen(next)}) AND EXISTS (SELECT 1 FROM ${table} s WHERE ${sibling(rule.group)} = ${next(rule.group)} ` +
      `AND ${rule.frozen(sibling)} AND ${sibling('id')} <> COALESCE(${next('id')}, -1))`
    : null;

  const steps: Array<[string, () => Promise<unknown>]> = [];
  if (client === 'sqlite') {
    const complete = rule.complete((c) => `NEW.${quote(client, c)}`);
    for (const event of ['insert', 'update']) {
      steps.push([`${named('complete')}_${event}`, async () => {
        await knex.raw(`DROP TRIGGER IF EXISTS ${qualified(`complete_${event}`)}`);
        await knex.raw(
          `CREATE TRIGGER ${qualified(`complete_${event}`)} BEFORE ${event.toUpperCase()} ON ${table} FOR EACH ROW ` +
            `WHEN NOT (${complete}) BEGIN SELECT RAISE(ABORT, ${message}); END`
        );
      }]);
    }
    steps.push([named('update'), async () => {
      await knex.raw(`DROP TRIGGER IF EXISTS ${qualified('update')}`);
      await knex.raw(`CREATE TRIGGER ${qualified('update')} BEFORE UPDATE ON ${table} FOR EACH ROW WHEN ${update} BEGIN SELECT RAISE(ABORT, ${message}); END`);
    }]);
    steps.push([named('delete'), async () => {
      await knex.raw(`DROP TRIGGER IF EXISTS ${qualified('delete')}`);
      if (!options.allowDelete) {
        await knex.raw(`CREATE TRIGGER ${qualified('delete')} BEFORE DELETE ON ${table} FOR EACH ROW WHEN ${deleted} BEGIN SELECT RAISE(ABORT, ${message}); END`);
      }
    }]);
    if (joined) {
      for (const event of ['insert', 'update']) {
        steps.push([`${named('join')}_${event}`, async () => {
          await knex.raw(`DROP TRIGGER IF EXISTS ${qualified(`join_${event}`)}`);
          await knex.raw(
            `CREATE TRIGGER ${qualified(`join_${event}`)} BEFORE ${event.toUpperCase()} ON ${table} FOR EACH ROW ` +
              `WHEN ${joined} BEGIN SELECT RAISE(ABORT, ${message}); END`
          );
        }]);
      }
    }
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
      const fn = (suffix: string, condition: string, returned: 'NEW' | 'OLD') =>
        `CREATE OR REPLACE FUNCTION ${qualified(suffix)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ` +
        `IF ${condition} THEN RAISE EXCEPTION ${message} USING ERRCODE = 'check_violation'; END IF; RETURN ${returned}; END $$`;
      steps.push([named('update'), async () => {
        await knex.raw(fn('update', update, 'NEW'));
        await knex.raw(`DROP TRIGGER IF EXISTS ${quote(client, named('update'))} ON ${table}`);
        await knex.raw(`CREATE TRIGGER ${quote(client, named('update'))} BEFORE UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${qualified('update')}()`);
      }]);
      steps.push([named('delete'), async () => {
        await knex.raw(`DROP TRIGGER IF EXISTS ${quote(client, named('delete'))} ON ${table}`);
        if (!options.allowDelete) {
          await knex.raw(fn('delete', deleted, 'OLD'));
          await knex.raw(`CREATE TRIGGER ${quote(client, named('delete'))} BEFORE DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${qualified('delete')}()`);
        }
      }]);
      if (joined) {
        steps.push([named('join'), async () => {
          await knex.raw(fn('join', joined, 'NEW'));
          await knex.raw(`DROP TRIGGER IF EXISTS ${quote(client, named('join'))} ON ${table}`);
          await knex.raw(`CREATE TRIGGER ${quote(client, named('join'))} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${qualified('join')}()`);
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
      if (joined) {
        for (const event of ['insert', 'update']) {
          steps.push([`${named('join')}_${event}`, async () => {
            await knex.raw(`DROP TRIGGER IF EXISTS ${qualified(`join_${event}`)}`);
            await knex.raw(trigger(`join_${event}`, event.toUpperCase(), joined));
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
