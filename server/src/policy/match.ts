// Pure, and shared by the server (the public `…/changes` answer, the notice e-mail) and the
// admin (the word-by-word diff): how two versions' sections pair up. One rule in one place, so
// what a visitor is told changed and what an editor sees changed cannot disagree.

/** A section of the newer version with its counterpart in the older one, or a section only one has. */
export type SectionPair<S> =
  | { kind: 'added'; after: S }
  | { kind: 'removed'; before: S }
  | { kind: 'kept'; before: S; after: S };

/**
 * Pairs sections by anchor, not by position: the anchor is what visitors link to, so a section
 * that moved or was renumbered is still "the same section", and inserting one at the top does
 * not mark every later section as changed. The result follows the newer order; a removed
 * section is placed where it stood, after the last section it followed that still exists.
 */
export function matchSections<S extends { anchor: string }>(before: S[], after: S[]): SectionPair<S>[] {
  const beforeByAnchor = new Map(before.map((s) => [s.anchor, s]));
  const afterAnchors = new Set(after.map((s) => s.anchor));
  // Removed sections, keyed by the anchor of the kept section they followed ('' = the start).
  const removedAfter = new Map<string, SectionPair<S>[]>();
  let lastKept = '';
  for (const section of before) {
    if (afterAnchors.has(section.anchor)) {
      lastKept = section.anchor;
      continue;
    }
    const list = removedAfter.get(lastKept) ?? [];
    list.push({ kind: 'removed', before: section });
    removedAfter.set(lastKept, list);
  }
  const result: SectionPair<S>[] = [...(removedAfter.get('') ?? [])];
  for (const section of after) {
    const old = beforeByAnchor.get(section.anchor);
    result.push(old ? { kind: 'kept', before: old, after: section } : { kind: 'added', after: section });
    result.push(...(removedAfter.get(section.anchor) ?? []));
  }
  return result;
}
