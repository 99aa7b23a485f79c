// The same renderer the public API uses (server/src/policy/markdown.ts is kept free of Node APIs
// for exactly this): the preview shows the HTML visitors will get, not an approximation of it.
import { anchorFor, renderSections } from '../../../server/src/policy/markdown';
import type { PolicySection } from '../api';

/**
 * What the server will store for these sections: missing anchors derived from the heading,
 * every anchor unique, headings trimmed. It mirrors `normaliseSections` in
 * server/src/services/policies.ts, which cannot be imported here (that module pulls in Strapi
 * and yup). The preview and the diff run on unsaved text, so they must apply it themselves.
 */
export function normaliseSections(sections: PolicySection[]): PolicySection[] {
  const taken = new Set<string>();
  return sections.map((section) => {
    const wanted = section.anchor?.trim();
    const anchor = wanted && !taken.has(wanted) ? wanted : anchorFor(section.heading, taken);
    taken.add(anchor);
    return { anchor, heading: section.heading.trim(), markdown: section.markdown ?? '' };
  });
}

/** The sections as `GET /api/privacy-centre/policies/:slug/current` will serve them, with `html`. */
export const renderPreview = (sections: PolicySection[]) => renderSections(normaliseSections(sections));

export { anchorFor };
