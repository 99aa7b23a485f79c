import { KEY_HELD_MESSAGE } from './frozen-rows';

/**
 * Whether a database error is a unique-constraint violation, told by the driver's error code
 * (never by the message, which differs by version and language): PostgreSQL SQLSTATE 23505,
 * MySQL/MariaDB ER_DUP_ENTRY (1062), SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY (and the
 * plugin's own refusal of a key held by a frozen row, below).
 */
export function isUniqueViolation(error: unknown): boolean {
  const { code, errno, message } = (error ?? {}) as { code?: unknown; errno?: unknown; message?: unknown };
  return (
    code === '23505' ||
    code === 'ER_DUP_ENTRY' ||
    errno === 1062 ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    // On SQLite the plugin's own trigger refuses a write whose key a frozen row holds before
    // SQLite's unique check could (so that REPLACE cannot delete the row): the same violation,
    // told by the plugin's own words, which no driver or language changes.
    (code === 'SQLITE_CONSTRAINT_TRIGGER' && typeof message === 'string' && message.includes(KEY_HELD_MESSAGE))
  );
}

/**
 * Whether the database gave up a transaction to break a deadlock (PostgreSQL 40P01 and
 * serialization failures 40001, MySQL/MariaDB ER_LOCK_DEADLOCK 1213): the transaction was rolled
 * back whole, so running it again is safe.
 */
export function isDeadlock(error: unknown): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  return code === '40P01' || code === '40001' || code === 'ER_LOCK_DEADLOCK' || errno === 1213;
}

/**
 * Runs a whole transaction again when the database broke a deadlock by rolling it back.
 * MySQL's gap locks make deadlocks between a publication and concurrent draft saves ordinary
 * (three attempts were seen to run out in CI), so it tries up to eight times with a growing pause.
 */
export async function retryOnDeadlock<T>(transaction: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
      // A jittered, exponentially growing pause (capped at 400 ms) so that the transactions do not
      // meet again at once.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * Math.min(400, 10 * 2 ** attempt)));
    }
  }
}

/**
 * What a database error may say in a log line. knex puts the whole statement with its values
 * inlined in front of the driver's message (`<sql with values> - <driver message>`): an e-mail
 * address, a confirmation link with its token, a user agent. Only the driver's part and its code
 * are kept.
 */
export function describeDbError(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  const text = String(message ?? error);
  const separator = text.lastIndexOf(' - ');
  const driver = separator >= 0 ? text.slice(separator + 3) : text;
  return `${driver.slice(0, 300)}${typeof code === 'string' || typeof code === 'number' ? ` (${code})` : ''}`;
}
