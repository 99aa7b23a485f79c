// Shared by the server (stored/served HTML) and the admin live preview (Vite bundle): keep this
// module free of Node-only APIs (no fs, no crypto, no Buffer) so both render byte-identical HTML.
import MarkdownIt from 'markdown-it';
import markdownItAnchor from 'markdown-it-anchor';
// Policies define their terms; a definition list (`Term` / `: meaning`) is the natural markup.
import markdownItDeflist from 'markdown-it-deflist';
import sanitizeHtml from 'sanitize-html';
import type { PolicySection, RenderedSection } from './types';

const MAX_ANCHOR_LENGTH = 80;

// Letters that NFKD does not decompose into a base letter plus marks.
const FOLD: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
  ŀ: 'l',
};

/** `s` without leading and trailing "-": = replace(/^-+|-+$/g, ''), whose "-+$" is quadratic. */
function trimDashes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === '-') start += 1;
  while (end > start && s[end - 1] === '-') end -= 1;
  return s.slice(start, end);
}

/**
 * Per `taken` set and base anchor, the suffix to try first: every "base-k" below it is taken.
 * Without it, N headings with the same text cost N²/2 lookups (10,000 equal headings took 7 s,
 * 40,000 seven minutes). Sets handed to anchorFor only grow; if one shrinks, its hints are dropped.
 */
const nextSuffix = new WeakMap<Set<string>, { size: number; next: Map<string, number> }>();

/**
 * A stable, URL-safe fragment id for a heading: lowercase, diacritics folded ("ä" -> "a"), numbers
 * kept, every other run of characters a single "-" ("3. Legal basis" -> "3-legal-basis").
 * Letters of scripts without a Latin folding (Greek, Cyrillic, CJK…) are kept lowercased, as
 * GitHub does, rather than dropped: an all-Cyrillic heading must not collapse to nothing.
 *
 * When `taken` is given, the anchor is made unique against it ("-2", "-3", …) and added to it, so
 * calling this once per heading of a document yields unique anchors.
 */
export function anchorFor(heading: string, taken?: Set<string>): string {
  let base = String(heading)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøđðþłıħŀ]/g, (c) => FOLD[c] ?? c)
    // apostrophes join words ("Kids' Privacy" -> "kids-privacy", not "kids--privacy")
    .replace(/['’ʼ`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-');
  base = trimDashes(base);

  const chars = Array.from(base);
  if (chars.length > MAX_ANCHOR_LENGTH) {
    const cut = chars.slice(0, MAX_ANCHOR_LENGTH).join('');
    // cut at a word boundary when there is one, so the id does not end in half a word
    const lastDash = cut.lastIndexOf('-');
    // (a prefix of base, so it cannot start with "-": only trailing ones go)
    base = trimDashes(lastDash > 0 ? cut.slice(0, lastDash) : cut);
  }
  if (!base) base = 'section';

  if (!taken) return base;
  let anchor = base;
  if (taken.has(anchor)) {
    let hints = nextSuffix.get(taken);
    if (!hints || taken.size < hints.size) {
      hints = { size: taken.size, next: new Map() };
      nextSuffix.set(taken, hints);
    }
    let n = hints.next.get(base) ?? 2;
    for (anchor = `${base}-${n}`; taken.has(anchor); anchor = `${base}-${n}`) n += 1;
    hints.next.set(base, n + 1);
  }
  taken.add(anchor);
  const known = nextSuffix.get(taken);
  if (known) known.size = taken.size;
  return anchor;
}

interface RenderEnv {
  /** Anchors already used on the page: section anchors and earlier body headings. */
  taken: Set<string>;
}

const md = new MarkdownIt({
  html: false, // raw HTML in a policy stays visible text, never markup
  linkify: true,
  typographer: false, // quotes and dashes are legal text: render them as written
  breaks: false,
});
md.enable('table');
// An image would load a third-party URL on the policy page (a tracking pixel in a privacy policy);
// with the rule off, "![alt](url)" renders as "!" plus a link, so no text disappears.
md.disable('image');
md.use(markdownItDeflist);
md.use(markdownItAnchor, {
  level: [1, 2, 3, 4, 5, 6],
  tabIndex: false,
  slugifyWithState: (title: string, state: { env?: Partial<RenderEnv> }) =>
    anchorFor(title, state.env?.taken ?? new Set<string>()),
});

const EXTERNAL_HREF = /^(?:https?:)?\/\//i;
const ALIGN = { 'text-align': [/^(?:left|right|center)$/] };

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'p', 'br', 'hr', 'strong', 'em', 's', 'del',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd',
    'a', 'code', 'pre', 'blockquote',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    h1: ['id'], h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
    ol: ['start'],
    th: ['style'],
    td: ['style'],
  },
  allowedStyles: { th: ALIGN, td: ALIGN },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => {
      const attrs: sanitizeHtml.Attributes = { ...attribs };
      delete attrs.rel;
      if (attrs.href && EXTERNAL_HREF.test(attrs.href)) attrs.rel = 'noopener noreferrer';
      return { tagName, attribs: attrs };
    },
  },
};

function render(markdown: string, env: RenderEnv): string {
  return sanitizeHtml(md.render(markdown, env), SANITIZE_OPTIONS);
}

/** Markdown -> sanitised HTML; headings get stable ids (unique within this one body). */
export function renderMarkdown(markdown: string): string {
  return render(markdown, { taken: new Set<string>() });
}

/**
 * Renders every section body as one page: heading ids inside bodies never collide with the
 * section anchors or with each other.
 */
export function renderSections(sections: PolicySection[]): RenderedSection[] {
  const taken = new Set<string>(sections.map((s) => s.anchor));
  return sections.map((section) => ({ ...section, html: render(section.markdown, { taken }) }));
}
