import { diffWordsWithSpace } from 'diff';

import { matchSections } from '../../../server/src/policy/match';
import type { PolicySection } from '../api';

/** A run of text that both versions share, or that only the newer (added) or older (removed) has. */
export interface WordChange {
  value: string;
  added: boolean;
  removed: boolean;
}

export type SectionDiff =
  | { kind: 'added'; anchor: string; heading: string; markdown: string }
  | { kind: 'removed'; anchor: string; heading: string; markdown: string }
  | { kind: 'changed'; anchor: string; heading: WordChange[]; markdown: WordChange[] }
  | { kind: 'unchanged'; anchor: string; heading: string };

/**
 * Word-by-word changes from `before` to `after`. Whitespace counts as a token of its own
 * (`diffWordsWithSpace`): `diffWords` folds a change of trailing whitespace into an unchanged
 * word ("$" → "$ " came out as no change), and a legal text's diff must not hide any change.
 */
export const diffText = (before: string, after: string): WordChange[] =>
  diffWordsWithSpace(before, after).map(({ value, added, removed }) => ({ value, added: Boolean(added), removed: Boolean(removed) }));

export const hasChanges = (changes: WordChange[]) => changes.some((c) => c.added || c.removed);

/**
 * Compares two versions' sections (both already normalised, so every one has its anchor),
 * paired by anchor as the public `…/changes` answer pairs them (server/src/policy/match.ts).
 */
export function diffSections(before: PolicySection[], after: PolicySection[]): SectionDiff[] {
  return matchSections(before, after).map((pair): SectionDiff => {
    if (pair.kind === 'added') return { kind: 'added', anchor: pair.after.anchor, heading: pair.after.heading, markdown: pair.after.markdown };
    if (pair.kind === 'removed') return { kind: 'removed', anchor: pair.before.anchor, heading: pair.before.heading, markdown: pair.before.markdown };
    const { before: old, after: section } = pair;
    if (old.heading === section.heading && old.markdown === section.markdown) return { kind: 'unchanged', anchor: section.anchor, heading: section.heading };
    return { kind: 'changed', anchor: section.anchor, heading: diffText(old.heading, section.heading), markdown: diffText(old.markdown, section.markdown) };
  });
}
