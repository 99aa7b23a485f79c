import { addToCountersText, bindingsOf, insertText, isNamedStatementRefused, jsonInsertText, jsonRows, oneStatement } from '../../server/src/db/statements';

describe('insertText', () => {
  it('quotes identifiers for the dialect and has one placeholder per value', () => {
    expect(insertText('sqlite', 't', ['a', 'b'], 2)).toBe('insert into `t` (`a`, `b`) values (?, ?), (?, ?)');
    expect(insertText('mysql', 't', ['a'], 1)).toBe('insert into `t` (`a`) values (?)');
    expect(insertText('postgres', 't', ['a', 'b'], 1)).toBe('insert into "t" ("a", "b") values (?, ?)');
  });

  it('escapes a quote inside an identifier rather than ending it', () => {
    expect(insertText('postgres', 'x"y', ['c'], 1)).toBe('insert into "x""y" ("c") values (?)');
    expect(insertText('sqlite', 'x`y', ['c'], 1)).toBe('insert into `x``y` (`c`) values (?)');
  });

  it('gives the same text again for the same table, columns and row count, another for another count', () => {
    const a = insertText('sqlite', 'records', ['a', 'b', 'c'], 3);
    expect(insertText('sqlite', 'records', ['a', 'b', 'c'], 3)).toBe(a);
    expect(insertText('sqlite', 'records', ['a', 'b', 'c'], 4)).not.toBe(a);
    expect((insertText('sqlite', 'records', ['a', 'b', 'c'], 4).match(/\?/g) ?? []).length).toBe(12);
  });
});

describe('addToCountersText', () => {
  it('adds to the existing counter: ON CONFLICT on PostgreSQL and SQLite, ON DUPLICATE KEY on MySQL', () => {
    expect(addToCountersText('postgres', 'r', ['day', 'metric', 'count'], ['day', 'metric'], 'count', 1)).toBe(
      'insert into "r" ("day", "metric", "count") values (?, ?, ?) on conflict ("day", "metric") do update set "count" = "r"."count" + excluded."count"'
    );
    expect(addToCountersText('sqlite', 'r', ['day', 'count'], ['day'], 'count', 2)).toBe(
      'insert into `r` (`day`, `count`) values (?, ?), (?, ?) on conflict (`day`) do update set `count` = `r`.`count` + excluded.`count`'
    );
    expect(addToCountersText('mysql', 'r', ['day', 'count'], ['day'], 'count', 1)).toBe(
      'insert into `r` (`day`, `count`) values (?, ?) on duplicate key update `count` = `count` + VALUES(`count`)'
    );
  });
});

describe('bindingsOf', () => {
  it('lists values row by row in the order of the columns, a missing value as NULL, falsy values kept', () => {
    const when = new Date(0);
    expect(bindingsOf([{ b: 2, a: 1 }, { a: 0, b: false, c: 'x' }, { c: when }], ['a', 'b', 'c'])).toEqual([1, 2, null, 0, false, 'x', null, null, when]);
  });
});

describe('runText', () => {
  // A real knex on an in-memory better-sqlite3 database: pure knex, no Strapi involved.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const knex = require('knex')({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  beforeAll(() => knex.raw('create table t (id integer primary key, a text, b integer, c integer)'));
  afterAll(() => knex.destroy());

  it('inserts in the transaction, converting dates and booleans as knex does, and rolls back with it', async () => {
    const { runText } = require('../../server/src/db/statements');
    const when = new Date(1_700_000_000_000);
    await knex.transaction(async (trx: any) => {
      await runText(trx, insertText('sqlite', 't', ['a', 'b', 'c'], 2), bindingsOf([{ a: 'x', b: true, c: when }, { a: 'y', b: false }], ['a', 'b', 'c']));
    });
    expect(await knex('t').select('a', 'b', 'c').orderBy('id')).toEqual([
      { a: 'x', b: 1, c: 1_700_000_000_000 },
      { a: 'y', b: 0, c: null },
    ]);
    await expect(
      knex.transaction(async (trx: any) => {
        await runText(trx, insertText('sqlite', 't', ['a'], 1), ['z']);
        throw new Error('undo');
      })
    ).rejects.toThrow('undo');
    expect(await knex('t').count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('outside a transaction goes through knex, so the pool keeps its connection', async () => {
    const { runText } = require('../../server/src/db/statements');
    await runText(knex, insertText('sqlite', 't', ['a'], 1), ['w']);
    await runText(knex, insertText('sqlite', 't', ['a'], 1), ['v']);
    expect(await knex('t').whereIn('a', ['w', 'v']).count({ n: '*' })).toEqual([{ n: 2 }]);
  });
});

describe('oneStatement', () => {
  it('runs every statement but the last in a WITH, its bindings in the same order', () => {
    const a = { text: 'insert into "t" ("a") values (?)', bindings: [1] };
    const b = { text: 'insert into "t" ("a") values (?), (?)', bindings: [2, 3] };
    const c = { text: 'insert into "r" ("k") values (?) on conflict ("k") do nothing', bindings: ['k'] };
    expect(oneStatement([a, b, c])).toEqual({
      text: 'with w0 as (insert into "t" ("a") values (?)), w1 as (insert into "t" ("a") values (?), (?)) insert into "r" ("k") values (?) on conflict ("k") do nothing',
      bindings: [1, 2, 3, 'k'],
    });
  });

  it('leaves a single statement as it is', () => {
    const a = { text: 'insert into "t" ("a") values (?)', bindings: [1] };
    expect(oneStatement([a])).toBe(a);
  });
});

describe('oneStatement past PostgreSQL’s 65,535 parameters', () => {
  it('gives null, so that the caller runs the statements one by one', () => {
    const big = { text: 'insert into "t" ("a") values (?)', bindings: new Array(40000).fill(1) };
    expect(oneStatement([big, { ...big, bindings: new Array(25535).fill(2) }])?.bindings.length).toBe(65535);
    expect(oneStatement([big, { ...big, bindings: new Array(25536).fill(2) }])).toBeNull();
  });
});

describe('jsonInsertText', () => {
  const types = new Map([
    ['a', 'text'],
    ['n', 'integer'],
    ['at', 'timestamp(6) without time zone'],
  ]);

  it('reads every column as text from one JSON parameter and casts it to its type, in the rows\' order', () => {
    const text = jsonInsertText('t', ['a', 'n', 'at'], types);
    expect(text).toBe(
      'insert into "t" ("a", "n", "at") select r."a"::text, r."n"::integer, r."at"::timestamp(6) without time zone ' +
        'from rows from (json_to_recordset(?::json) as ("a" text, "n" text, "at" text)) with ordinality as r("a", "n", "at", "ordinal") order by r."ordinal"'
    );
    expect((text.match(/\?/g) ?? []).length).toBe(1);
  });

  it('adds to the counter of the row holding the same keys', () => {
    expect(jsonInsertText('c', ['a', 'n'], types, { keys: ['a'], counter: 'n' })).toMatch(
      / on conflict \("a"\) do update set "n" = "c"\."n" \+ excluded\."n"$/
    );
  });

  it('takes its parameter as pg numbers them when asked, and keeps each form apart', () => {
    const numbered = jsonInsertText('t', ['a', 'n'], types, undefined, '$2');
    expect(numbered).toContain('json_to_recordset($2::json)');
    expect(numbered).not.toContain('?');
    expect(jsonInsertText('t', ['a', 'n'], types)).toContain('json_to_recordset(?::json)');
  });

  it('builds the text again for types read again: a changed column type is cast to, never the text of the first reading', () => {
    expect(jsonInsertText('t', ['a', 'n'], types)).toContain('r."n"::integer');
    // The same names and types in another map (read again): the same text.
    expect(jsonInsertText('t', ['a', 'n'], new Map(types))).toBe(jsonInsertText('t', ['a', 'n'], types));
    // A rolling deploy widened the column: the next reading's map gives the new cast.
    const widened = new Map(types).set('n', 'bigint');
    expect(jsonInsertText('t', ['a', 'n'], widened)).toContain('r."n"::bigint');
    expect(jsonInsertText('t', ['a', 'n'], types)).toContain('r."n"::integer');
  });

  it('refuses a column the catalog did not list, and quotes identifiers', () => {
    expect(() => jsonInsertText('t', ['a', 'missing'], types)).toThrow('t has no column missing');
    expect(jsonInsertText('x"y', ['a'], types)).toMatch(/^insert into "x""y" \("a"\)/);
  });
});

describe('jsonRows', () => {
  it('writes each value as the text a bound parameter would carry: objects through the driver, NULL for a missing one', () => {
    const prepare = (value: unknown) => (value instanceof Date ? `date:${value.getTime()}` : JSON.stringify(value));
    const rows = JSON.parse(jsonRows([{ a: 'x "y" \\ ?', n: 0, b: false, at: new Date(5) }, { a: null }], ['a', 'n', 'b', 'at'], prepare));
    expect(rows).toEqual([
      { a: 'x "y" \\ ?', n: 0, b: false, at: 'date:5' },
      { a: null, n: null, b: null, at: null },
    ]);
  });

  it('writes rows of plain values as they are, without the driver (a missing key reads as NULL)', () => {
    const never = () => {
      throw new Error('not called for plain values');
    };
    expect(JSON.parse(jsonRows([{ a: 'x', n: 1.5, b: true }, { a: null }], ['a', 'n', 'b'], never))).toEqual([{ a: 'x', n: 1.5, b: true }, { a: null }]);
  });

  it('reads every value of a row, not only the columns\': a row holding anything else is written column by column', () => {
    const prepare = (value: unknown) => (value instanceof Date ? `date:${value.getTime()}` : String(value));
    // A key no column names holds a Date: the rows go through the driver's conversion, and only the columns are written.
    const rows = JSON.parse(jsonRows([{ a: 'x', extra: new Date(5) }, { a: 'y' }], ['a'], prepare));
    expect(rows).toEqual([{ a: 'x' }, { a: 'y' }]);
    // A row that is not an object literal (a class of its own, whose toJSON JSON.stringify would
    // call) is written column by column, from its values.
    class Columns {
      a = 'real';
      toJSON() {
        return { a: 'forged' };
      }
    }
    expect(JSON.parse(jsonRows([new Columns() as unknown as Record<string, unknown>], ['a'], prepare))).toEqual([{ a: 'real' }]);
    expect(JSON.parse(jsonRows([Object.assign(Object.create(null), { a: 'bare' })], ['a'], prepare))).toEqual([{ a: 'bare' }]);
    // A column holding a Date among plain rows: converted, wherever the row is in the batch.
    expect(JSON.parse(jsonRows([{ a: 'p' }, { a: 'q' }, { a: new Date(7) }], ['a'], prepare))).toEqual([{ a: 'p' }, { a: 'q' }, { a: 'date:7' }]);
  });

  it('refuses a number JSON cannot hold (it would write null where pg fails)', () => {
    for (const value of [NaN, Infinity, -Infinity]) expect(() => jsonRows([{ n: value }], ['n'], String)).toThrow('column n:');
  });

  it('refuses a value with no text form (a Buffer is binary in pg)', () => {
    expect(() => jsonRows([{ a: Buffer.from('x') }], ['a'], (value) => value)).toThrow('column a: a Buffer has no text form');
  });
});

describe('isNamedStatementRefused', () => {
  it('is true only for what a lost or taken prepared statement answers', () => {
    expect(isNamedStatementRefused({ code: '26000' })).toBe(true);
    expect(isNamedStatementRefused({ code: '42P05' })).toBe(true);
    for (const other of [{ code: '23505' }, { code: '40P01' }, { code: 26000 }, null, undefined, new Error('26000')]) {
      expect(isNamedStatementRefused(other)).toBe(false);
    }
  });
});
