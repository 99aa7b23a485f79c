import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cookieDatabase, siteCategoryOf } from '../../server/src/discovery/open-cookie-database';
import { matchesName, nameMatcher } from '../../server/src/discovery/match';
import { isObservedName, isPagePath } from '../../server/src/discovery/names';

describe('the declaration matcher', () => {
  const match = nameMatcher([
    { name: '_ga', category: 'statistics', storageType: 'cookie' },
    { name: '_ga_*', category: 'statistics', storageType: 'cookie' },
    { name: 'cart.*.items', category: 'necessary', storageType: 'localStorage' },
  ]);
  it('matches exact names, and patterns where * is any run of characters', () => {
    expect(match('_ga')?.name).toBe('_ga');
    expect(match('_ga_XYZ123')?.name).toBe('_ga_*');
    expect(match('_ga_')?.name).toBe('_ga_*');
    expect(match('cart.42.items')?.name).toBe('cart.*.items');
  });
  it('takes every other character literally', () => {
    expect(match('_gax')).toBeNull();
    expect(match('cartX42Xitems')).toBeNull(); // `.` is not a regex wildcard
    expect(match('x_ga_1')).toBeNull();
    expect(matchesName('_hj*', '_hjSession_1')).toBe(true);
    expect(matchesName('_hj', '_hjSession_1')).toBe(false);
    expect(matchesName('a*b*c', 'axxbyyc')).toBe(true);
    expect(matchesName('a*b*c', 'axxcyyb')).toBe(false);
    expect(matchesName('ab*ba', 'aba')).toBe(false); // the two ends may not overlap
    expect(matchesName('*x*', 'x')).toBe(true);
  });
  it('takes linear time on patterns with many stars (no backtracking)', () => {
    // A regular expression of this pattern backtracks polynomially on this name.
    expect(matchesName('*a'.repeat(60) + '*b', 'a'.repeat(128))).toBe(false);
  });
});

describe('the Open Cookie Database', () => {
  const db = cookieDatabase();
  it('holds every entry of the copy in the package', () => {
    const csv = readFileSync(path.resolve(__dirname, '../../server/data/open-cookie-database.csv'), 'utf8');
    expect(csv.split('\n').length).toBeGreaterThan(2264);
    expect(db.size).toBeGreaterThan(2200);
  });
  it('matches exact names', () => {
    expect(db.lookup('_gid')).toMatchObject({ platform: 'Google Analytics', category: 'Analytics', wildcard: false });
    expect(db.lookup('_fbp')).toMatchObject({ platform: 'Facebook', category: 'Marketing' });
  });
  it('reads a wildcard entry as a prefix, the longest prefix winning', () => {
    expect(db.lookup('_ga_ABCDEF1234')).toMatchObject({ platform: 'Google Analytics', wildcard: true, name: '_ga_' });
    expect(db.lookup('_hjSessionUser_3141592')).toMatchObject({ platform: 'Hotjar', name: '_hjSessionUser_' });
    expect(db.lookup('_gac_gb_UA-1')?.name).toBe('_gac_gb_');
    expect(db.lookup('_gac_UA-1')?.name).toBe('_gac_');
  });
  it('does not read an exact entry as a prefix', () => {
    expect(db.lookup('_gidx')).toBeNull();
    expect(db.lookup('made-up-cookie-name')).toBeNull();
  });
  it('maps its categories onto the site categories, by key, else by c15t type', () => {
    const usual = ['necessary', 'preferences', 'statistics', 'marketing'].map((key) => ({ key }));
    expect(siteCategoryOf('Analytics', usual)).toBe('statistics');
    expect(siteCategoryOf('Marketing', usual)).toBe('marketing');
    expect(siteCategoryOf('Functional', usual)).toBe('preferences');
    expect(siteCategoryOf('Security', usual)).toBe('necessary');
    expect(siteCategoryOf('Analytics', [{ key: 'measure', c15tType: 'measurement' }])).toBe('measure');
    expect(siteCategoryOf('Analytics', [{ key: 'ads' }])).toBeNull();
    expect(siteCategoryOf('Unknown', usual)).toBeNull();
  });
  it('matches 10,000 names (the time is measured in bench/discovery.js; printed here)', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => (i % 3 === 0 ? `_ga_${i}` : i % 3 === 1 ? `unknown_${i}` : '_fbp'));
    const started = process.hrtime.bigint();
    const found = names.filter((name) => db.lookup(name)).length;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`Open Cookie Database: 10,000 lookups in ${ms.toFixed(1)} ms`);
    expect(found).toBe(names.filter((_, i) => i % 3 !== 1).length);
  });
});

describe('observed names and paths', () => {
  it('accepts every real name shape', () => {
    for (const name of ['_ga', '_ga_ABC123', '__Secure-3PSID', 'AMCV_1234%40AdobeOrg', 'barometric[cuid]', 'a0_users:sess.sig', 'crisp-client/x', 'ai_session']) {
      expect([name, isObservedName(name)]).toEqual([name, true]);
    }
  });
  it('refuses values, markup and pairs', () => {
    for (const name of ['a=b', 'sid=abc', '<script>', '"x"', "x'y", 'a b', 'a;b', 'é', '', 'x'.repeat(129), 'eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'a&b']) {
      expect([name, isObservedName(name)]).toEqual([name, false]);
    }
  });
  it('accepts pathnames and refuses anything else', () => {
    for (const p of ['/', '/blog/2024/post', '/fi/tietosuoja', '/a%20b', '/x;y=1']) expect([p, isPagePath(p)]).toEqual([p, true]);
    for (const p of ['', 'blog', '/a?b=1', '/a#top', '/../etc', '/a/./b', '/a/..', '//evil.example/x', 'javascript:alert(1)', '/a\u0000', '/a b', '/<b>', '/' + 'a'.repeat(512)]) {
      expect([p, isPagePath(p)]).toEqual([p, false]);
    }
  });
});
