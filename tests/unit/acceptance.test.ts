import { acceptanceKeyOf, isOverdue, mustAccept, requirementOf, type VersionInForce } from '../../server/src/acceptance';

const DAY = 24 * 3600 * 1000;
const version = (n: number, materialChange: boolean, effectiveAt: string): VersionInForce => ({
  version: n,
  hashes: [`${n}`.repeat(64).slice(0, 64)],
  hash: `${n}`.repeat(64).slice(0, 64),
  effectiveAt,
  materialChange,
});

describe('which version a signed-in user must accept', () => {
  it('nothing in force asks nothing', () => {
    const r = requirementOf('terms', [], 3);
    expect(r).toEqual({ slug: 'terms', current: null, target: null, deadline: null });
    expect(mustAccept(r, null)).toBe(false);
    expect(isOverdue(r, null, Date.now())).toBe(false);
  });

  it('the first version counts as material; later non-material ones never ask again', () => {
    const r = requirementOf('terms', [version(2, false, '2026-02-01T00:00:00.000Z'), version(1, false, '2026-01-01T00:00:00.000Z')], 0);
    expect(r.current?.version).toBe(2);
    expect(r.target).toEqual({ version: 1, effectiveAt: '2026-01-01T00:00:00.000Z' });
    expect(mustAccept(r, null)).toBe(true);
    expect(mustAccept(r, 1)).toBe(false);
    expect(mustAccept(r, 2)).toBe(false);
  });

  it('the latest material version in force is the target; the deadline adds the grace days', () => {
    const r = requirementOf(
      'terms',
      [version(1, true, '2026-01-01T00:00:00.000Z'), version(2, true, '2026-03-01T00:00:00.000Z'), version(3, false, '2026-04-01T00:00:00.000Z')],
      14
    );
    expect(r.target?.version).toBe(2);
    expect(r.deadline).toBe(new Date(Date.parse('2026-03-01T00:00:00.000Z') + 14 * DAY).toISOString());
    expect(mustAccept(r, 1)).toBe(true);
    expect(mustAccept(r, 3)).toBe(false);
    const deadline = Date.parse(r.deadline!);
    expect(isOverdue(r, 1, deadline - 1)).toBe(false);
    expect(isOverdue(r, 1, deadline)).toBe(true);
    expect(isOverdue(r, 2, deadline + DAY)).toBe(false);
  });

  it('one key per user, slug and version', () => {
    const key = acceptanceKeyOf('ref', 'terms', 1);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(acceptanceKeyOf('ref', 'terms', 2)).not.toBe(key);
    expect(acceptanceKeyOf('other', 'terms', 1)).not.toBe(key);
    expect(acceptanceKeyOf('ref', 'terms', 1)).toBe(key);
  });
});
