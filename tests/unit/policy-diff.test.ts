import fc from 'fast-check';
import { diffSections, diffText } from '../../admin/src/utils/policyDiff';

const s = (anchor: string, heading: string, markdown: string) => ({ anchor, heading, markdown });

describe('diffSections (the admin diff against the version in force)', () => {
  it('matches sections by anchor: added, removed, changed word by word, unchanged', () => {
    const before = [s('who', '1. Who we are', 'We are a club.'), s('old', '2. Old', 'gone'), s('rights', '3. Rights', 'Access.')];
    const after = [s('new', '0. New', 'fresh'), s('who', '1. Who we are', 'We are a rowing club.'), s('rights', '3. Rights', 'Access.')];
    const diff = diffSections(before, after);
    expect(diff.map((d) => [d.kind, d.anchor])).toEqual([
      ['added', 'new'],
      ['changed', 'who'],
      ['removed', 'old'],
      ['unchanged', 'rights'],
    ]);
    const changed = diff[1] as Extract<(typeof diff)[number], { kind: 'changed' }>;
    expect(changed.markdown.filter((w) => w.added).map((w) => w.value.trim())).toEqual(['rowing']);
  });

  it('keeps a change of trailing whitespace (found by the property below)', () => {
    expect(diffText('$', '$ ').filter((c) => c.added).map((c) => c.value)).toEqual([' ']);
  });

  it('rebuilds both texts from the word changes, whatever the texts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite' }), fc.string(), (before, after) => {
        const changes = diffText(before, after);
        expect(changes.filter((c) => !c.added).map((c) => c.value).join('')).toBe(before);
        expect(changes.filter((c) => !c.removed).map((c) => c.value).join('')).toBe(after);
      }),
      { numRuns: Number(process.env.FC_RUNS || 400) * 50 }
    );
  });
});
