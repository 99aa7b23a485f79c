// Pure, like markdown.ts: the server stores what this returns, and the admin preview and diff
// apply it to unsaved text, so both see the same anchors.
import { anchorFor } from './markdown';
import type { PolicySection } from './types';

/** Fills missing anchors from headings, makes every anchor unique, trims headings. */
export function normaliseSections(sections: PolicySection[]): PolicySection[] {
  const taken = new Set<string>();
  return sections.map((section) => {
    const wanted = section.anchor?.trim();
    const anchor = wanted && !taken.has(wanted) ? wanted : anchorFor(section.heading, taken);
    taken.add(anchor);
    return { anchor, heading: section.heading.trim(), markdown: section.markdown ?? '' };
  });
}
