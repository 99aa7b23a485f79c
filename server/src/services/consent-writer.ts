import { sortableDocumentId } from '../db/random';
import type { Core } from '@strapi/strapi';
import type { PrivacyCentreConfig } from '../config';
import { describeDbError, isDeadlock, isUniqueViolation, retryOnDeadlock } from '../db/errors';
import { byCodeUnits } from '../policy/patterns';
import {
  addToCountersText,
  bindingsOf,
  hasLiteralPrototype,
  insertText,
  isNamedStatementRefused,
  jsonInsertText,
  jsonRows,
  oneStatement,
  postgresColumnTypes,
  runPrepared,
  runText,
  type ColumnTypes,
  type Statement,
} from '../db/statements';

const RECORDS = 'privacy_centre_consent_records';
const ROLLUPS = 'privacy_centre_consent_rollups';
/** Rows per INSERT statement: well inside every database's limit on bound parameters. */
const INSERT_CHUNK = 100;
const ROLLUP_COLUMNS = ['day', 'metric', 'count', 'document_id', 'created_at', 'updated_at', 'published_at'];

/**
 * A record to insert, by column, and the rollup counters it adds to (metric → count, per day).
 * Once given to the writer (write, writeRecords), `columns` is the writer's: a plain object (an
 * object literal) is given its document_id and time stamps in place.
 */
export interface PendingRecord {
  columns: Record<string, unknown>;
  rollups: Array<{ day: string; metric: string }>;
}

/**
 * How long the writer waits for more records when `consentWrites.batchMilliseconds` is unset: 2 ms
 * on PostgreSQL and MySQL (bench/consent.js, alternating pairs at 20 connections: about a fifth
 * more consents than 5 ms on each); 5 ms on SQLite, not measured at 2, where each commit blocks
 * the event loop (better-sqlite3 is synchronous) and fewer, larger batches leave it freer.
 */
export const defaultBatchMilliseconds = (client: string) => (client === 'sqlite' ? 5 : 2);

/** The batch could not be written: nothing of it was. The client may try again. */
export class ConsentWriteError extends Error {
  constructor(
    message: string,
    readonly cause?: unknown
  ) {
    super(message);
  }
}

/** Another record already holds this (subjectId, requestId): the caller answers with that one. */
export class DuplicateRequestError extends Error {}

interface Waiting {
  record: PendingRecord;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Gives a row the columns Strapi gives every row of a content type (`now`: a Date, or the text a
 * driver sends for it). In place when the row is a plain object (see PendingRecord): a copy of some
 * thirty columns by spreading costs about 6 µs a record, 2% of a consent, and V8 makes such a copy
 * a dictionary, which JSON.stringify then reads slower too. Any other row (a class instance, a
 * frozen object) is copied, its own enumerable keys only, as before.
 */
const stamper = (now: Date | string) => {
  type Stamped<T> = T & { document_id: string; created_at: Date | string; updated_at: Date | string; published_at: Date | string };
  return <T extends object>(row: T): Stamped<T> => {
    const stamp = { document_id: sortableDocumentId(), created_at: now, updated_at: now, published_at: now };
    return hasLiteralPrototype(row) && Object.isExtensible(row) ? Object.assign(row, stamp) : { ...row, ...stamp };
  };
};

/** The rollup counters `records` add to, one per day and metric, in the one order every writer locks them in. */
function rollupsOf(records: PendingRecord[]) {
  const counts = new Map<string, { day: string; metric: string; count: number }>();
  for (const { rollups } of records) {
    for (const { day, metric } of rollups) {
      const key = `${day}\u0000${metric}`;
      const entry = counts.get(key) ?? { day, metric, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
  }
  // One order for every writer, so that two instances upserting the same counters cannot deadlock.
  return [...counts.values()].sort((a, b) => byCodeUnits(a.day, b.day) || byCodeUnits(a.metric, b.metric));
}

/**
 * The INSERTs that write `records` and add to the daily rollups they count, in this order; the
 * rollups `rollupChunk` rows per INSERT (all in one, for the single statement on PostgreSQL:
 * PostgreSQL may run the parts of a WITH in any order, and the counters must be locked in one
 * order by every writer).
 */
function statementsOf(client: string, records: PendingRecord[], rollupChunk = INSERT_CHUNK): Statement[] {
  const stamped = stamper(new Date());
  const rollups = rollupsOf(records);
  // Records of one kind share their columns: one INSERT text per column list.
  const groups = new Map<string, { columns: string[]; rows: Array<Record<string, unknown>> }>();
  for (const record of records) {
    const row = stamped(record.columns);
    const columns = Object.keys(row);
    const key = columns.join(',');
    if (!groups.has(key)) groups.set(key, { columns, rows: [] });
    groups.get(key)!.rows.push(row);
  }
  const statements: Statement[] = [];
  for (const { columns, rows } of groups.values()) {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      statements.push({ text: insertText(client, RECORDS, columns, chunk.length), bindings: bindingsOf(chunk, columns) });
    }
  }
  for (let i = 0; i < rollups.length; i += rollupChunk) {
    const chunk = rollups.slice(i, i + rollupChunk).map(stamped);
    statements.push({
      text: addToCountersText(client, ROLLUPS, ROLLUP_COLUMNS, ['day', 'metric'], 'count', chunk.length),
      bindings: bindingsOf(chunk, ROLLUP_COLUMNS),
    });
  }
  return statements;
}

/**
 * Inserts consent records and adds to the daily rollups they count, in the caller's transaction:
 * the one place records are written (the group-commit writer, newsletter events, acceptances).
 */
export async function writeRecords(trx: any, client: string, records: PendingRecord[]) {
  for (const { text, bindings } of statementsOf(client, records)) await runText(trx, text, bindings);
}

/**
 * Group commit of consent records (DESIGN.md §7). Each request's record is queued; a writer
 * takes up to `batchSize` of them every `batchMilliseconds` (or at once when that many wait) and
 * writes them as multi-row INSERTs, with the daily rollups they add to, in one transaction (on
 * PostgreSQL one statement of two JSON parameters: see jsonInsertText); only then are their requests answered. Nothing is answered before it is committed, so no
 * acknowledged consent is lost, even when the process is killed.
 *
 * When a batch fails, each of its records is written again alone, so that one bad record (a retry
 * that raced another instance) does not fail the others; a record that still cannot be written
 * gets a ConsentWriteError (a 503). On shutdown (plugin destroy) the queue is drained first.
 *
 * Raw SQL through strapi.db.connection (knex), as DESIGN.md allows on hot paths: the records'
 * guard lifecycles are not involved, these inserts are the plugin's own, their text built once
 * (db/statements.ts).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => (strapi.config.get('plugin::privacy-centre') as PrivacyCentreConfig).consentWrites;
  let queue: Waiting[] = [];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closing = false;

  /**
   * PostgreSQL: the two tables' column types, read at the first batch and again after a batch
   * failed for another reason than a duplicate (a rolling deploy may have changed a column).
   * When they cannot be read, batches use bound parameters for TYPES_RETRY_MS before asking again.
   */
  /** After a failed batch (not a duplicate, not a deadlock), how long batches go unnamed (10 s; see setUnnamedWindow). */
  let unnamedAfterFailureMs = 10_000;
  let columnTypes: Promise<{ records: ColumnTypes; rollups: ColumnTypes } | null> | null = null;
  let typesRetryAt = 0;
  const TYPES_RETRY_MS = 60_000;
  const postgresTypes = () => {
    if (!columnTypes && Date.now() < typesRetryAt) return Promise.resolve(null);
    return (columnTypes ??= Promise.all([postgresColumnTypes(strapi.db.connection, RECORDS), postgresColumnTypes(strapi.db.connection, ROLLUPS)]).then(
      ([records, rollups]) => {
        if (records.size && rollups.size) return { records, rollups };
        return unread('a table was not found');
      },
      (error) => unread(describeDbError(error))
    ));
  };
  const unread = (why: string) => {
    columnTypes = null;
    typesRetryAt = Date.now() + TYPES_RETRY_MS;
    strapi.log.warn(`[privacy-centre] consent writes: the column types could not be read (${why}); bound parameters for a minute`);
    return null;
  };

  /** The last batch statement's text, for its column list and the types it was built with. */
  let batchText: { key: string; types: { records: ColumnTypes; rollups: ColumnTypes }; text: string } | null = null;

  /**
   * On PostgreSQL, a batch as one constant statement of two parameters (the records and the
   * counters as JSON, see jsonInsertText); null when the records do not share one column list.
   */
  const postgresStatement = (records: PendingRecord[], types: { records: ColumnTypes; rollups: ColumnTypes }): Statement | null => {
    const prepareValue = strapi.db.connection.client.driver.utils.prepareValue as (value: unknown) => string;
    // The time as pg would send it, converted once for every row of the batch.
    const stamped = stamper(prepareValue(new Date()));
    const rows = records.map((record) => stamped(record.columns));
    const columns = Object.keys(rows[0]);
    const key = columns.join(',');
    if (rows.some((row) => Object.keys(row).join(',') !== key)) return null;
    // A column the catalog did not list (added since it was read): read again at the next batch,
    // and this one written with bound parameters, whose statement says what is wrong if anything is.
    if (columns.some((column) => !types.records.has(column)) || ROLLUP_COLUMNS.some((column) => !types.rollups.has(column))) {
      columnTypes = null;
      return null;
    }
    const counters = rollupsOf(records).map(stamped);
    // The same text string for every batch of one column list and one reading of the types: its
    // prepared statement's name is then found without hashing its 3 kB again (runPrepared).
    if (batchText?.key !== key || batchText.types !== types) {
      batchText = {
        key,
        types,
        text: `with records as (${jsonInsertText(RECORDS, columns, types.records, undefined, '$1')}) ${jsonInsertText(ROLLUPS, ROLLUP_COLUMNS, types.rollups, { keys: ['day', 'metric'], counter: 'count' }, '$2')}`,
      };
    }
    return { text: batchText.text, bindings: [jsonRows(rows, columns, prepareValue), jsonRows(counters, ROLLUP_COLUMNS, prepareValue)] };
  };

  /**
   * The PostgreSQL batch as a named prepared statement (runPrepared), unless the database refused
   * one (then unnamed from here on, said once: refused means nothing of the batch ran), or the
   * config says not to (`consentWrites.preparedStatements: false`).
   */
  let prepare = true;
  /** When the last batch failed (not a duplicate, not a deadlock): batches go unnamed until unnamedAfterFailureMs after. */
  let failedAt = -Infinity;
  const writePrepared = async ({ text, bindings }: Statement) => {
    if (!prepare || config().preparedStatements === false || Date.now() < failedAt + unnamedAfterFailureMs) return runPrepared(strapi.db.connection, text, bindings, false);
    try {
      await runPrepared(strapi.db.connection, text, bindings, true);
    } catch (error) {
      if (!isNamedStatementRefused(error)) {
        // Any other failure but a duplicate or a deadlock (which come once the statement ran) may
        // have been its parse, which gives up the connection (runPrepared): unnamed for a while,
        // so that the record-by-record retries and the next batches of an outage (a lock held
        // by a migration) do not give up one pooled connection each.
        if (!isUniqueViolation(error) && !isDeadlock(error)) failedAt = Date.now();
        throw error;
      }
      prepare = false;
      strapi.log.warn(`[privacy-centre] consent writes: the database refused a prepared statement (${describeDbError(error)}; a pooler in transaction mode?): unnamed statements from now on`);
      await runPrepared(strapi.db.connection, text, bindings, false);
    }
  };

  const insertBatch = async (records: PendingRecord[]) => {
    const client = strapi.db.dialect.client;
    const types = client === 'postgres' ? await postgresTypes() : null;
    const json = types ? postgresStatement(records, types) : null;
    if (json) return retryOnDeadlock(() => writePrepared(json));
    // A batch too large for one statement (about 1,900 records) is written as the other databases do.
    const one = client === 'postgres' ? oneStatement(statementsOf(client, records, Infinity)) : null;
    if (one) return retryOnDeadlock(() => strapi.db.connection.raw(one.text, one.bindings));
    return retryOnDeadlock(() => strapi.db.connection.transaction((trx) => writeRecords(trx, client, records)));
  };

  const commit = async (batch: Waiting[]) => {
    try {
      await insertBatch(batch.map((w) => w.record));
      batch.forEach((w) => w.resolve());
    } catch (error) {
      // Types read before a column changed would fail every batch: read them again.
      if (!isUniqueViolation(error)) columnTypes = null;
      if (batch.length > 1) {
        for (const waiting of batch) await commit([waiting]);
        return;
      }
      if (isUniqueViolation(error)) return batch[0].reject(new DuplicateRequestError());
      strapi.log.error(`[privacy-centre] a consent record could not be written${isDeadlock(error) ? ' (deadlock)' : ''}: ${describeDbError(error)}`);
      batch[0].reject(new ConsentWriteError('the consent could not be recorded just now: please try again', error));
    }
  };

  const run = async () => {
    while (queue.length) {
      const batch = queue.slice(0, config().batchSize);
      queue = queue.slice(batch.length);
      await commit(batch);
    }
  };

  /** Starts a writer unless one is running (it then takes what arrived meanwhile). */
  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!running) {
      running = run().finally(() => {
        running = null;
        // A record queued while the writer was finishing: start again rather than leave it waiting.
        if (queue.length) void flush();
      });
    }
    return running;
  };

  return {
    /** Resolves once the record is committed; rejects with ConsentWriteError or DuplicateRequestError. */
    write(record: PendingRecord): Promise<void> {
      if (closing) return Promise.reject(new ConsentWriteError('the server is shutting down: please try again'));
      return new Promise<void>((resolve, reject) => {
        queue.push({ record, resolve, reject });
        if (queue.length >= config().batchSize) void flush();
        else if (!timer && !running) timer = setTimeout(() => void flush(), config().batchMilliseconds ?? defaultBatchMilliseconds(strapi.db.dialect.client));
        // When a writer is running, it takes this record in its next batch.
      });
    },

    /** At shutdown: takes no new record, and writes every queued one before the database closes. */
    async close() {
      closing = true;
      await flush();
      while (running) await running;
    },

    pending() {
      return queue.length;
    },

    /**
     * @internal For tests only (so that one need not wait 10 s): sets how long batches go unnamed
     * after a failed batch, a window already open included; returns what it was.
     */
    setUnnamedWindow(ms: number) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError('setUnnamedWindow: a number of milliseconds, 0 or more');
      const was = unnamedAfterFailureMs;
      unnamedAfterFailureMs = ms;
      return was;
    },
  };
};
