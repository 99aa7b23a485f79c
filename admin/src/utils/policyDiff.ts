import { diffWordsWithSpace } from 'diff';

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
 * Compares two versions' sections (both already normalised, so every one has its anchor).
 *
 * Sections are matched by anchor, not by position: the anchor is what visitors link to, so a
 * section that moved or was renumbered is still "the same section", and inserting one at the
 * top does not mark every later section as changed. The result follows the newer order; a
 * removed section is shown where it stood, after the last section it followed that still exists.
 */
export function diffSections(before: PolicySection[], after: PolicySection[]): SectionDiff[] {
  const beforeByAnchor = new Map(before.map((s) => [s.anchor, s]));
  const afterAnchors = new Set(after.map((s) => s.anchor));

  // Removed sections, keyed by the anchor of the kept section they followed ('' = the start).
  const removedAfter = new Map<string, SectionDiff[]>();
  let lastKept = '';
  for (const section of before) {
    if (afterAnchors.has(section.anchor)) {
      lastKept = section.anchor;
      continue;
    }
    const list = removedAfter.get(lastKept) ?? [];
    list.push({ kind: 'removed', anchor: section.anchor, heading: section.heading, markdown: section.markdown });
    removedAfter.set(lastKept, list);
  }

  const result: SectionDiff[] = [...(removedAfter.get('') ?? [])];
  for (const section of after) {
    const old = beforeByAnchor.get(section.anchor);
    if (!old) {
      result.push({ kind: 'added', anchor: section.anchor, heading: section.heading, markdown: section.markdown });
      continue;
    }
    if (old.heading === section.heading && old.markdown === section.markdown) {
      result.push({ kind: 'unchanged', anchor: section.anchor, heading: section.heading });
    } else {
      result.push({
        kind: 'changed',
        anchor: section.anchor,
        heading: diffText(old.heading, section.heading),
        markdown: diffText(old.markdown, section.markdown),
      });
    }
    result.push(...(removedAfter.get(section.anchor) ?? []));
  }
  return result;
}
