// Pure: which sections of a policy changed from one version to the next, as the public
// `…/versions/:version/changes` answer and the notice e-mail tell it. Sections pair up as the
// admin's word-by-word diff pairs them (./match.ts, shared by both).
import { matchSections } from './match';
import type { PolicySection } from './types';

export type SectionChange =
  | { kind: 'added'; anchor: string; heading: string; markdown: string }
  | { kind: 'removed'; anchor: string; heading: string; previousMarkdown: string }
  | { kind: 'changed'; anchor: string; heading: string; previousHeading: string; markdown: string; previousMarkdown: string };

/** The added, removed and changed sections from `before` to `after`, in the newer order (removed ones where they stood). */
export function sectionChanges(before: PolicySection[], after: PolicySection[]): SectionChange[] {
  const result: SectionChange[] = [];
  for (const pair of matchSections(before, after)) {
    if (pair.kind === 'added') {
      result.push({ kind: 'added', anchor: pair.after.anchor, heading: pair.after.heading, markdown: pair.after.markdown });
    } else if (pair.kind === 'removed') {
      result.push({ kind: 'removed', anchor: pair.before.anchor, heading: pair.before.heading, previousMarkdown: pair.before.markdown });
    } else if (pair.before.heading !== pair.after.heading || pair.before.markdown !== pair.after.markdown) {
      result.push({
        kind: 'changed',
        anchor: pair.after.anchor,
        heading: pair.after.heading,
        previousHeading: pair.before.heading,
        markdown: pair.after.markdown,
        previousMarkdown: pair.before.markdown,
      });
    }
  }
  return result;
}
