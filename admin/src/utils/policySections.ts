// The same renderer the public API uses (server/src/policy/markdown.ts is kept free of Node APIs
// for exactly this): the preview shows the HTML visitors will get, not an approximation of it.
import { anchorFor, renderSections } from '../../../server/src/policy/markdown';
// What the server will store for these sections: the preview and the diff run on unsaved text.
import { normaliseSections } from '../../../server/src/policy/sections';
import type { PolicySection } from '../api';

/** The sections as `GET /api/privacy-centre/policies/:slug/current` will serve them, with `html`. */
export const renderPreview = (sections: PolicySection[]) => renderSections(normaliseSections(sections));

export { anchorFor, normaliseSections };
