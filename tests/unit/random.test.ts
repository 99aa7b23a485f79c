import { randomBytesPooled, randomId, sortableDocumentId } from '../../server/src/db/random';

describe('randomBytesPooled and randomId', () => {
  it('hands out bytes once: 2,000 ids, no repeat, each 22 base64url characters', () => {
    const ids = Array.from({ length: 2000 }, () => randomId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('refuses sizes it cannot give', () => {
    for (const size of [0, -1, 1.5, 4097, Number.NaN]) expect(() => randomBytesPooled(size)).toThrow(RangeError);
    expect(randomBytesPooled(4096)).toHaveLength(4096);
  });
});

describe('sortableDocumentId', () => {
  it("has Strapi's document id shape: 24 lowercase letters and digits", () => {
    for (let i = 0; i < 500; i += 1) expect(sortableDocumentId()).toMatch(/^[a-z0-9]{24}$/);
  });

  it('sorts by the time it was made, to the millisecond, in plain string order', () => {
    const times = [0, 1, 35, 36, 1_700_000_000_000, 1_700_000_000_001, Date.now(), 101_000_000_000_000];
    const ids = times.map((t) => sortableDocumentId(t));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0].slice(0, 9)).toBe('000000000');
    expect(parseInt(ids[5].slice(0, 9), 36)).toBe(1_700_000_000_001);
  });

  it('ids of the same millisecond differ in their 15 random characters', () => {
    const ids = Array.from({ length: 5000 }, () => sortableDocumentId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => id.slice(0, 9))).size).toBe(1);
  });
});
