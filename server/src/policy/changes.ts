// Pure: which sections of a policy changed from one version to the next, as the public
// `…/versions/:version/changes` answer and the notice e-mail tell it. Sections are matched by
// anchor (what visitors link to), as the admin's word-by-word diff does (admin/src/utils/policyDiff.ts):
// a section that moved is still the same section.
import type { PolicySection } from './types';

export type SectionChange =
  | { kind: 'added'; anchor: string; heading: string; markdown: string }
  | { kind: 'removed'; anchor: string; heading: string; previousMarkdown: string }
  | { kind: 'changed'; anchor: string; heading: string; previousHeading: string; markdown: string; previousMarkdown: string };

/** The added, removed and changed sections from `before` to `after`, in the newer order (removed ones where they stood). */
export function sectionChanges(before: PolicySection[], after: PolicySection[]): SectionChange[] {
  const beforeByAnchor = new Map(before.map((s) => [s.anchor, s]));
  const afterAnchors = new Set(after.map((s) => s.anchor));
  const removedAfter = new Map<string, SectionChange[]>();
  let lastKept = '';
  for (const section of before) {
    if (afterAnchors.has(section.anchor)) {
      lastKept = section.anchor;
      continue;
    }
    const list = removedAfter.get(lastKept) ?? [];
    list.push({ kind: 'removed', anchor: section.anchor, heading: section.heading, previousMarkdown: section.markdown });
    removedAfter.set(lastKept, list);
  }
  const result: SectionChange[] = [...(removedAfter.get('') ?? [])];
  for (const section of after) {
    const old = beforeByAnchor.get(section.anchor);
    if (!old) result.push({ kind: 'added', anchor: section.anchor, heading: section.heading, markdown: section.markdown });
    else if (old.heading !== section.heading || old.markdown !== section.markdown) {
      result.push({
        kind: 'changed',
        anchor: section.anchor,
        heading: section.heading,
        previousHeading: old.heading,
        markdown: section.markdown,
        previousMarkdown: old.markdown,
      });
    }
    result.push(...(removedAfter.get(section.anchor) ?? []));
  }
  return result;
}
