import { addToCountersText, bindingsOf, insertText } from '../../server/src/db/statements';

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
