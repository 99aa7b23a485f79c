import { writeRecords, type PendingRecord } from '../../server/src/services/consent-writer';

/**
 * writeRecords, the one place consent records are inserted, on a real knex over an in-memory
 * better-sqlite3 database holding the two tables' columns it writes (no Strapi involved).
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const knex = require('knex')({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const RECORDS = 'privacy_centre_consent_records';
const ROLLUPS = 'privacy_centre_consent_rollups';
const STAMPS = 'document_id text, created_at text, updated_at text, published_at text';

beforeAll(async () => {
  await knex.raw(`create table ${RECORDS} (id integer primary key, consent_id text unique, action text, ${STAMPS})`);
  await knex.raw(`create table ${ROLLUPS} (id integer primary key, day text, metric text, count integer, ${STAMPS}, unique (day, metric))`);
});
afterAll(() => knex.destroy());

const write = (records: PendingRecord[]) => knex.transaction((trx: any) => writeRecords(trx, 'sqlite', records));
const stored = (consentId: string) => knex(RECORDS).where({ consent_id: consentId }).first();

describe('writeRecords', () => {
  it('gives an object literal its document id and time stamps in place, each record its own id', async () => {
    const first = { consent_id: 'c1', action: 'given' };
    const second = { consent_id: 'c2', action: 'given' };
    await write([
      { columns: first, rollups: [{ day: '2026-12-07', metric: 'total' }] },
      { columns: second, rollups: [{ day: '2026-12-07', metric: 'total' }] },
    ]);
    // The writer's stamps, on the objects it was given, and the same in the rows.
    expect(Object.keys(first)).toEqual(['consent_id', 'action', 'document_id', 'created_at', 'updated_at', 'published_at']);
    expect((await stored('c1')).document_id).toBe((first as any).document_id);
    expect((await stored('c2')).document_id).toBe((second as any).document_id);
    expect((first as any).document_id).not.toBe((second as any).document_id);
    expect((await knex(ROLLUPS).where({ day: '2026-12-07', metric: 'total' }).first()).count).toBe(2);
  });

  it('stamps a record written again (a batch retried record by record) anew, its columns in the same order', async () => {
    const columns = { consent_id: 'c3', action: 'given' };
    // Read by its message: better-sqlite3's native part keeps the SqliteError class of the first
    // test file that loaded it in this worker, another realm's, which jest's toThrow does not take for an Error.
    const failure = await write([{ columns, rollups: [] }, { columns: { consent_id: 'c1', action: 'given' }, rollups: [] }]).then(
      () => null,
      (error: unknown) => error
    );
    expect(String((failure as { message?: unknown } | null)?.message)).toMatch(/UNIQUE constraint failed/);
    const firstId = (columns as any).document_id;
    expect(await stored('c3')).toBeUndefined();
    await write([{ columns, rollups: [] }]);
    expect(Object.keys(columns)).toEqual(['consent_id', 'action', 'document_id', 'created_at', 'updated_at', 'published_at']);
    expect((await stored('c3')).document_id).toBe((columns as any).document_id);
    expect((columns as any).document_id).not.toBe(firstId);
  });

  it('writes a frozen object or a class instance from a copy, leaving the caller\'s object as it was', async () => {
    const frozen = Object.freeze({ consent_id: 'c4', action: 'given' });
    class Columns {
      consent_id = 'c5';
      action = 'withdrawn';
    }
    const instance = new Columns();
    await write([
      { columns: frozen, rollups: [] },
      { columns: instance as unknown as Record<string, unknown>, rollups: [] },
    ]);
    expect(Object.keys(frozen)).toEqual(['consent_id', 'action']);
    expect(Object.keys(instance)).toEqual(['consent_id', 'action']);
    expect(await stored('c4')).toMatchObject({ action: 'given', document_id: expect.any(String) });
    expect(await stored('c5')).toMatchObject({ action: 'withdrawn', document_id: expect.any(String) });
  });
});
