import { createHash } from 'node:crypto';

/**
 * The text of the multi-row INSERTs the consent writer runs on every batch, built once per
 * table, column list and row count rather than by knex's query builder on every batch (which
 * wrapped every identifier and value again: about 7% of a consent's time in a profile). Bound parameters
 * only; identifiers are the plugin's own column names, quoted for the dialect all the same.
 */
type Client = string;

/** At most this many texts are kept by each cache (tables × column lists × row counts: a few hundred). */
const MAX_TEXTS = 1000;

const quote = (client: Client, name: string) =>
  client === 'postgres' ? `"${name.replace(/"/g, '""')}"` : `\`${name.replace(/`/g, '``')}\``;

/** A cache of built texts by key, emptied when it holds MAX_TEXTS. */
const textCache = () => {
  const texts = new Map<string, string>();
  return (key: string, build: () => string) => {
    let text = texts.get(key);
    if (text === undefined) {
      if (texts.size >= MAX_TEXTS) texts.clear();
      text = build();
      texts.set(key, text);
    }
    return text;
  };
};

const remembered = textCache();

const valuesOf = (columns: readonly string[], rows: number) => {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
};

/** `insert into table (columns) values (?, …), …` for `rows` rows. */
export function insertText(client: Client, table: string, columns: readonly string[], rows: number): string {
  return remembered(`insert\u0000${client}\u0000${table}\u0000${columns.join(',')}\u0000${rows}`, () =>
    `insert into ${quote(client, table)} (${columns.map((c) => quote(client, c)).join(', ')}) values ${valuesOf(columns, rows)}`
  );
}

/**
 * An INSERT of counter rows that adds `counter` to the row already holding the same `keys`
 * (PostgreSQL and SQLite: ON CONFLICT … DO UPDATE; MySQL/MariaDB: ON DUPLICATE KEY UPDATE).
 */
export function addToCountersText(client: Client, table: string, columns: readonly string[], keys: readonly string[], counter: string, rows: number): string {
  return remembered(`counters\u0000${client}\u0000${table}\u0000${columns.join(',')}\u0000${keys.join(',')}\u0000${counter}\u0000${rows}`, () => {
    const c = quote(client, counter);
    const merge =
      client === 'mysql'
        ? `on duplicate key update ${c} = ${c} + VALUES(${c})`
        : `on conflict (${keys.map((k) => quote(client, k)).join(', ')}) do update set ${c} = ${quote(client, table)}.${c} + excluded.${c}`;
    return `${insertText(client, table, columns, rows)} ${merge}`;
  });
}

/** A statement to run: its text (built once, above) and its bindings. */
export interface Statement {
  text: string;
  bindings: unknown[];
}

/** PostgreSQL's wire protocol counts a statement's parameters in 16 bits. */
export const MAX_POSTGRES_PARAMETERS = 65535;

/**
 * On PostgreSQL, a batch as one statement: every INSERT but the last in a data-modifying WITH,
 * which PostgreSQL runs exactly once and atomically with the rest. knex's transaction around
 * separate statements (BEGIN, records, rollups, COMMIT) cost the Node process 1,260 µs of CPU per
 * batch of ten consents; one statement 536 µs. Null when the statements hold more parameters than
 * one statement may: the caller then runs them one by one in a transaction.
 */
export function oneStatement(statements: Statement[]): Statement | null {
  let parameters = 0;
  for (const s of statements) parameters += s.bindings.length;
  if (parameters > MAX_POSTGRES_PARAMETERS) return null;
  if (statements.length === 1) return statements[0];
  const last = statements[statements.length - 1];
  const withs = statements.slice(0, -1).map((s, i) => `w${i} as (${s.text})`);
  return { text: `with ${withs.join(', ')} ${last.text}`, bindings: statements.flatMap((s) => s.bindings) };
}

/** The bindings of `rows` in the order of `columns` (a missing value is NULL). */
export function bindingsOf(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[]): unknown[] {
  const out = new Array(rows.length * columns.length);
  let i = 0;
  for (const row of rows) for (const column of columns) out[i++] = row[column] ?? null;
  return out;
}

/** better-sqlite3 statements by connection, by text (a few per table: see MAX_TEXTS). */
const prepared = new WeakMap<object, Map<string, { run(bindings: unknown[]): unknown }>>();

/**
 * Runs one of these texts in the transaction `trx`. On SQLite (better-sqlite3, synchronous) the
 * statement is prepared once per connection and kept: compiling a multi-row INSERT of a few
 * hundred parameters cost more than running it, and knex prepares every query afresh. The
 * bindings are converted as knex's better-sqlite3 client converts them (dates, booleans).
 * Elsewhere knex runs it.
 */
export async function runText(trx: any, text: string, bindings: unknown[]): Promise<void> {
  const client = trx.client;
  // Only inside a live knex transaction: there acquireConnection() is the transaction's own
  // connection, held until it ends (on the root knex it would take the pool's only SQLite
  // connection and never give it back). These statements bypass knex's query events and debug log.
  const open = trx.isTransaction === true && typeof trx.isCompleted === 'function' && !trx.isCompleted();
  if (open && client?.driverName === 'better-sqlite3' && typeof client._formatBindings === 'function') {
    const connection = await client.acquireConnection();
    let statements = prepared.get(connection);
    if (!statements) prepared.set(connection, (statements = new Map()));
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= MAX_TEXTS) statements.clear();
      statement = connection.prepare(text) as { run(bindings: unknown[]): unknown };
      statements.set(text, statement);
    }
    statement.run(client._formatBindings(bindings));
    return;
  }
  await trx.raw(text, bindings);
}

/**
 * A PostgreSQL table's columns and their types, as the catalog names them without their modifier
 * (`character varying`, not `character varying(255)`): an explicit cast to `varchar(255)` would
 * cut a longer text silently, where the INSERT's own assignment refuses it as a bound parameter is.
 */
export type ColumnTypes = ReadonlyMap<string, string>;

/** Reads `table`'s column types from PostgreSQL's catalog (the table as the connection's search_path finds it). */
export async function postgresColumnTypes(knex: any, table: string): Promise<ColumnTypes> {
  const result = await knex.raw(
    'select a.attname as name, format_type(a.atttypid, null) as type from pg_attribute a where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped',
    [table]
  );
  return new Map(result.rows.map((row: { name: string; type: string }) => [row.name, row.type]));
}

/**
 * A number for each column-type map read (postgresColumnTypes): the texts built from it are
 * remembered under it, rather than under its forty-odd names and types written out at every batch.
 * A map read again is another number, and its texts are built again.
 */
const typesIds = new WeakMap<ColumnTypes, number>();
let lastTypesId = 0;
const typesId = (types: ColumnTypes) => {
  let id = typesIds.get(types);
  if (id === undefined) typesIds.set(types, (id = ++lastTypesId));
  return id;
};

/**
 * On PostgreSQL, the INSERT of any number of rows as one constant text with one parameter: the
 * rows as a JSON array of objects, each value as the text PostgreSQL reads it from (see
 * jsonRows), cast to its column's type in the order given. The same text whatever the batch size,
 * so neither pg (which serialised some thirty parameters per record) nor PostgreSQL (which parsed
 * and planned a statement of a few hundred parameters on every batch) does that work per record.
 * With `merge`, an upsert that adds `merge.counter` to the row holding the same `merge.keys`.
 */
export function jsonInsertText(
  table: string,
  columns: readonly string[],
  types: ColumnTypes,
  merge?: { keys: readonly string[]; counter: string },
  // `?` for knex; `$1`, `$2`, … for a statement sent to pg itself (runPrepared).
  parameter = '?'
): string {
  return remembered(`json\u0000${table}\u0000${columns.join(',')}\u0000${typesId(types)}\u0000${merge ? `${merge.keys.join(',')}\u0000${merge.counter}` : ''}\u0000${parameter}`, () => {
    const q = (name: string) => quote('postgres', name);
    const missing = columns.filter((c) => !types.has(c));
    if (missing.length) throw new Error(`${table} has no column ${missing.join(', ')}`);
    const text =
      `insert into ${q(table)} (${columns.map(q).join(', ')}) ` +
      `select ${columns.map((c) => `r.${q(c)}::${types.get(c)}`).join(', ')} ` +
      // WITH ORDINALITY and ORDER BY: rows are written (and counters locked) in the caller's order.
      `from rows from (json_to_recordset(${parameter}::json) as (${columns.map((c) => `${q(c)} text`).join(', ')})) with ordinality as r(${columns.map(q).join(', ')}, "ordinal") order by r."ordinal"`;
    if (!merge) return text;
    const c = q(merge.counter);
    return `${text} on conflict (${merge.keys.map(q).join(', ')}) do update set ${c} = ${q(table)}.${c} + excluded.${c}`;
  });
}

/**
 * Prepared statements' names (their texts' digests), remembered under the text itself: a caller
 * that keeps its text passes the same string every time, whose hash V8 keeps, so no 3 kB key is
 * built and hashed again per batch.
 */
const statementNames = textCache();
const statementName = (text: string) => statementNames(text, () => `privacy_centre_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);

/** Codes with which PostgreSQL (or a pooler before it) refuses a named statement: see runPrepared. */
const NAMED_STATEMENT_REFUSED = new Set(['26000', '42P05']);
export const isNamedStatementRefused = (error: unknown) => NAMED_STATEMENT_REFUSED.has((error as { code?: string } | null)?.code as string);

/**
 * Runs `text` (parameters `$1`, `$2`, …) on one of knex's pooled PostgreSQL connections, as a
 * named prepared statement when `named`: parsed once per connection rather than at every batch,
 * and after its first five runs planned once (PostgreSQL keeps a generic plan when it is no worse,
 * as here: its only parameters are JSON). The consent batch's statement is long and constant
 * (jsonInsertText), and parsing and planning it was about half of PostgreSQL's time per batch
 * (2.3 against 1.2 ms, under load).
 *
 * The name is the text's digest, so a changed text (a column added) is another statement. A pooler
 * in transaction mode (PgBouncer before 1.21) may send the statement's use to another server
 * connection than its preparation: PostgreSQL then answers 26000 or 42P05 before executing
 * anything, and the caller runs the text again unnamed (isNamedStatementRefused).
 */
export async function runPrepared(knex: any, text: string, values: unknown[], named: boolean): Promise<void> {
  const client = knex.client;
  const connection = await client.acquireConnection();
  const name = named ? statementName(text) : undefined;
  try {
    await connection.query(name ? { name, text, values } : { text, values });
  } catch (error) {
    // The statement was not parsed (pg records it only once PostgreSQL says so), yet a pooler that
    // keeps names itself (PgBouncer 1.21 and later) may hold it for this client, and would close the
    // connection when pg parses it again: the pool opens another instead (knex's own mark).
    if (name && !connection.connection?.parsedStatements?.[name]) connection.__knex__disposed = 'privacy-centre: a prepared statement failed to parse';
    throw error;
  } finally {
    await client.releaseConnection(connection);
  }
}

/** Whether `row` is of an object literal's kind: its prototype Object.prototype, or none (no class, no toJSON or getters of its own). */
export const hasLiteralPrototype = (row: object) => {
  const prototype = Object.getPrototypeOf(row);
  return prototype === Object.prototype || prototype === null;
};

/** A value JSON writes as pg would send it: null, a string, a boolean or a finite number. */
const isPlain = (value: unknown) => value == null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/**
 * Whether JSON.stringify writes `row` as the columns hold it: a plain object (an object literal:
 * no class of its own, so no toJSON or getters but its own) whose enumerable values are all plain.
 * for-in reads it through V8's enum cache, where looking each column up by name was about 2% of a
 * consent's time (bench/consent.js's CPU profile).
 */
const allPlain = (row: Record<string, unknown>) => {
  if (!hasLiteralPrototype(row)) return false;
  for (const key in row) if (!isPlain(row[key])) return false;
  return true;
};

/**
 * Rows as the JSON array jsonInsertText reads: every value becomes the text pg would have sent
 * for it as a parameter (a Date through pg's own conversion, so a timestamp is stored exactly as
 * before), and JSON.stringify writes the rest. Each column is an own enumerable property of its
 * row, or missing (NULL), as in an object literal.
 */
export function jsonRows(rows: ReadonlyArray<Record<string, unknown>>, columns: readonly string[], prepareValue: (value: unknown) => unknown): string {
  // Rows of plain values (a batch of consents, its time stamps already text) are written as they
  // are: a key no column names is ignored by json_to_recordset, and a missing one reads as NULL.
  if (rows.every(allPlain)) return JSON.stringify(rows);
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i];
    const object: Record<string, unknown> = {};
    for (const column of columns) {
      const value = row[column];
      if (value == null || typeof value !== 'object') {
        // JSON has no NaN or Infinity (it would write null): pg sends their text, which no column here takes.
        if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`column ${column}: ${value} is not a number a column takes`);
        object[column] = value ?? null;
        continue;
      }
      const text = prepareValue(value);
      // A Buffer stays binary in pg: it has no text here.
      if (typeof text !== 'string') throw new TypeError(`column ${column}: a ${value.constructor?.name ?? 'value'} has no text form`);
      object[column] = text;
    }
    out[i] = object;
  }
  return JSON.stringify(out);
}
