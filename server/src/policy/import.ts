// Turns a pasted policy (Markdown, or the plain text copied from an existing web page or document)
// into sections. The one hard rule: no text is lost. Every non-empty input line ends up in the
// title, a section heading or a section body, and plain text is escaped so that Markdown can never
// reinterpret it ("1. foo" stays "1. foo", "<b>" stays "<b>"). Everything else is a heuristic whose
// worst outcome is a section split in the wrong place, which an editor fixes in the section editor.
//
// Pasted text is untrusted and arrives whole (a request body of up to a megabyte): every step here
// must be linear in its length. Every regular expression in this file must be one that recheck
// proves safe (tests/unit/redos.test.ts), and tests/unit/import.test.ts times hostile megabyte
// inputs. Trailing blanks, closing "#"s and the last word of a line are found by index scans,
// because patterns such as /\s+$/ retry from every position of a run of blanks (quadratic).
import { anchorFor } from './markdown';
import type { PolicySection } from './types';

export interface ImportedPolicy {
  title: string | null;
  sections: PolicySection[];
}

export type PolicyTextFormat = 'markdown' | 'text';

/** Anchor of the section that holds the text before the first heading when there is no title. */
const INTRO_ANCHOR = 'intro';

export function importPolicyText(text: string): ImportedPolicy {
  const lines = splitLines(text);
  const headings = markdownHeadings(lines);
  const drafts = formatOf(lines, headings) === 'markdown' ? splitMarkdown(lines, headings) : splitPlainText(lines);
  const taken = new Set<string>();
  return {
    title: drafts.title,
    sections: drafts.sections.map((s) => ({
      anchor: anchorFor(s.heading || INTRO_ANCHOR, taken),
      heading: s.heading,
      markdown: s.markdown,
    })),
  };
}

/**
 * Markdown when ATX headings ("# ", "## ") structure the text: the first non-empty line is one, or
 * there are at least two. A single "# …" line inside plain text is kept as text.
 */
export function detectFormat(text: string): PolicyTextFormat {
  const lines = splitLines(text);
  return formatOf(lines, markdownHeadings(lines));
}

function formatOf(lines: string[], headings: Map<number, MarkdownHeading>): PolicyTextFormat {
  if (headings.size === 0) return 'text';
  const first = lines.findIndex((l) => l.trim() !== '');
  return headings.has(first) || headings.size >= 2 ? 'markdown' : 'text';
}

interface Drafts {
  title: string | null;
  sections: Array<{ heading: string; markdown: string }>;
}

function splitLines(text: string): string[] {
  const s = String(text ?? '').replace(/^\uFEFF/, '');
  // = s.split(/\r\n|\r|\n/), several times faster on a megabyte of short lines
  return (s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s).split('\n');
}

// ---------------------------------------------------------------------------------------------
// Markdown

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

interface MarkdownHeading {
  level: number;
  text: string;
}

const isSpaceOrTab = (c: string) => c === ' ' || c === '\t';

/**
 * An ATX heading line ("## Text ##"): its level and its raw text (untrimmed; '' for "#" alone), or
 * null. Exactly what /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/ captures (level = length
 * of group 1, text = group 2 or ''), but by index scans: that pattern retries the closing
 * sequence at every position of a run of blanks and takes minutes on one long line.
 */
export function parseAtxHeading(line: string): MarkdownHeading | null {
  let i = 0;
  while (i < 3 && line[i] === ' ') i += 1;
  let hashes = 0;
  while (line[i + hashes] === '#') hashes += 1;
  if (hashes < 1 || hashes > 6) return null;
  i += hashes;
  if (i === line.length) return { level: hashes, text: '' };
  if (!isSpaceOrTab(line[i])) return null;
  while (i < line.length && isSpaceOrTab(line[i])) i += 1;
  // "." stops at U+2028 and U+2029 (the line was already split at \r and \n)
  if (line.includes('\u2028', i) || line.includes('\u2029', i)) return null;
  // the text ends before the trailing blanks, and before a closing run of "#" that follows a blank
  let end = line.length;
  while (end > i && isSpaceOrTab(line[end - 1])) end -= 1;
  let h = end;
  while (h > i && line[h - 1] === '#') h -= 1;
  if (h < end && h > i && isSpaceOrTab(line[h - 1])) {
    let v = h - 1;
    while (v > i && isSpaceOrTab(line[v - 1])) v -= 1;
    if (v > i) end = v;
  }
  return { level: hashes, text: line.slice(i, end) };
}

/** ATX headings with text, by line index, outside fenced code blocks. */
function markdownHeadings(lines: string[]): Map<number, MarkdownHeading> {
  const found = new Map<number, MarkdownHeading>();
  let fence: string | null = null;
  lines.forEach((line, i) => {
    // a fence or a heading starts with "`", "~" or "#" after at most 3 spaces; skip the rest fast
    let k = 0;
    while (k < 3 && line[k] === ' ') k += 1;
    if (line[k] !== '`' && line[k] !== '~' && line[k] !== '#') return;
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1].trim()) fence = null;
      return;
    }
    if (f && !(f[1][0] === '`' && line.slice(line.indexOf(f[1]) + f[1].length).includes('`'))) {
      fence = f[1];
      return;
    }
    const m = parseAtxHeading(line);
    const headingText = m?.text.trim() ?? '';
    if (m && headingText && !/^#+$/.test(headingText)) found.set(i, { level: m.level, text: headingText });
  });
  return found;
}

function splitMarkdown(lines: string[], headings: Map<number, MarkdownHeading>): Drafts {
  const first = lines.findIndex((l) => l.trim() !== '');
  const firstHeading = headings.get(first);

  // A first heading shallower than every other heading is the document's title.
  let title: string | null = null;
  if (firstHeading && [...headings].every(([i, h]) => i === first || h.level > firstHeading.level)) {
    title = firstHeading.text;
  }

  // Split at the shallowest level that occurs at least twice (so a lone "## Part" over many "###"
  // does not swallow the document), and at any heading above that level.
  const counts = new Map<number, number>();
  for (const [i, h] of headings) if (!(title !== null && i === first)) counts.set(h.level, (counts.get(h.level) ?? 0) + 1);
  const levels = [...counts.keys()].sort((a, b) => a - b);
  const splitLevel = levels.find((l) => (counts.get(l) ?? 0) >= 2) ?? levels[0] ?? 0;

  const sections: Drafts['sections'] = [];
  let heading = title ?? '';
  let body: string[] = [];
  let open = title !== null;
  const flush = () => {
    const markdown = trimBlankLines(body).join('\n');
    if (open || markdown) sections.push({ heading, markdown });
  };
  lines.forEach((line, i) => {
    if (title !== null && i === first) return;
    const h = headings.get(i);
    if (h && h.level <= splitLevel) {
      flush();
      heading = h.text;
      body = [];
      open = true;
    } else {
      body.push(line); // verbatim: trailing spaces can be a hard break, indentation a nested list
    }
  });
  flush();
  return { title, sections };
}

function trimBlankLines(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start += 1;
  while (end > start && lines[end - 1].trim() === '') end -= 1;
  return lines.slice(start, end);
}

// ---------------------------------------------------------------------------------------------
// Plain text

interface Line {
  /** Trimmed text. */
  text: string;
  /** Original line (leading whitespace tells list continuations and tab-separated cells apart). */
  raw: string;
  /** A blank line (or the start of the text) comes right before this line. */
  blankBefore: boolean;
  blankAfter: boolean;
  /** isListItem(text), computed once. */
  listItem: boolean;
  /** tabCells(this), computed on first use. */
  cells?: string[] | null;
}

const MAX_TITLE_LINE = 80;
const MAX_NUMBERED_HEADING = 100;
const MAX_HEADING_WORDS = 14;

// "3. Legal basis", "4.2. Integrity", "4.2 Integrity", "4 How do we…", "1) Controller", "IV. Rights"
const NUMBERED = /^(?:\d{1,3}(?:\.\d{1,3})*\.?|\d{1,3}\)|[IVXLC]{1,6}\.)[ \t]+(\S.*)$/u;
// (the character after the blanks is captured, not looked ahead at: recheck then proves the
// pattern linear with its automaton checker instead of only fuzzing it)
const BULLET = /^([-*•–▪◦·‣●○■□])[ \t]+(\S)/u;
const LETTERED = /^(?:\(?[a-z]\)|[a-z]\.)[ \t]+\S/u;
const STARTS_UPPER = /^[\p{Lu}\p{Lt}]/u;
const YEAR = /\b(?:19|20)\d{2}\b/;

function isListItem(text: string): boolean {
  return BULLET.test(text) || LETTERED.test(text);
}

function isNumberedHeadingShape(text: string): boolean {
  const m = NUMBERED.exec(text);
  if (!m) return false;
  return (
    text.length <= MAX_NUMBERED_HEADING &&
    STARTS_UPPER.test(m[1]) &&
    !/[.,;:!]$/.test(text) &&
    !text.includes('\t') &&
    m[1].split(/\s+/).length <= MAX_HEADING_WORDS
  );
}

function isTitleLineShape(text: string): boolean {
  return (
    text.length >= 2 &&
    text.length <= MAX_TITLE_LINE &&
    STARTS_UPPER.test(text) &&
    !/[.,;:!]$/.test(text) &&
    !text.includes('\t') &&
    !isListItem(text) &&
    !NUMBERED.test(text) &&
    !YEAR.test(text) && // "Updated at 2020-11-09" is part of the intro, not a heading
    !/@|:\/\/|www\./i.test(text) &&
    text.split(/\s+/).length <= MAX_HEADING_WORDS
  );
}

function splitPlainText(rawLines: string[]): Drafts {
  const lines: Line[] = [];
  let blank = true;
  for (const raw of rawLines) {
    const text = raw.trim();
    if (!text) {
      blank = true;
      continue;
    }
    if (lines.length) lines[lines.length - 1].blankAfter = blank;
    // raw.trimEnd() = raw.replace(/\s+$/, ''), which is quadratic in a run of blanks inside the line
    lines.push({ text, raw: raw.trimEnd(), blankBefore: blank, blankAfter: true, listItem: isListItem(text) });
    blank = false;
  }
  if (!lines.length) return { title: null, sections: [] };

  // Text pasted without blank lines between paragraphs: every line is its own block.
  const gaps = lines.filter((l, i) => i > 0 && l.blankBefore).length;
  const compact = lines.length >= 8 && gaps * 5 < lines.length;
  const blockStart = (i: number) => compact || lines[i].blankBefore;
  const standalone = (i: number) => compact || (lines[i].blankBefore && lines[i].blankAfter);

  // The first line is the title when it reads like one (short, no final period). It also heads the
  // first section, so the title is kept with the content as well.
  let title: string | null = null;
  const first = lines[0].text;
  if (
    lines.length > 1 &&
    first.length <= MAX_TITLE_LINE &&
    !/[.,;:!]$/.test(first) &&
    !lines[0].listItem &&
    !first.includes('\t') &&
    !isNumberedHeadingShape(first)
  ) {
    title = first;
  }

  const isHeading: boolean[] = lines.map(() => false);
  for (let i = title === null ? 0 : 1; i < lines.length; i += 1) {
    const { text } = lines[i];
    const prev = i > 0 ? lines[i - 1] : null;
    const next = i + 1 < lines.length ? lines[i + 1] : null;
    // a line introduced by "…as follows:" is an item, not a heading
    if (prev && prev.text.endsWith(':')) continue;

    if (isNumberedHeadingShape(text)) {
      if (!blockStart(i)) continue;
      // "4 How do we…" (no "." or ")") only on a line of its own: "100 Main Street" starts an address
      if (/^\d+[ \t]/.test(text) && !standalone(i)) continue;
      // first line of a block: the rest of the block must be body, not more numbered items
      if (!standalone(i) && next && (NUMBERED.test(next.text) || next.listItem)) continue;
      isHeading[i] = true;
      continue;
    }

    if (isTitleLineShape(text) && standalone(i) && next) {
      const prevOk =
        !prev ||
        isHeading[i - 1] ||
        (i === 1 && title !== null) ||
        prev.listItem ||
        /[.!?)\]"”’»\d]$/u.test(prev.text) ||
        prev.text.length > MAX_TITLE_LINE ||
        endsWithEmailOrUrl(prev.text);
      // the next line is the body this heading introduces, not another heading-like line
      const nextOk = !isTitleLineShape(next.text) && !(isNumberedHeadingShape(next.text) && blockStart(i + 1));
      if (prevOk && nextOk) isHeading[i] = true;
    }
  }

  const sections: Drafts['sections'] = [];
  let start = title === null ? 0 : 1;
  const firstHeading = isHeading.indexOf(true);
  const introEnd = firstHeading === -1 ? lines.length : firstHeading;
  if (title !== null || introEnd > start) {
    sections.push({ heading: title ?? '', markdown: bodyToMarkdown(lines.slice(start, introEnd), compact) });
  }
  start = introEnd;
  while (start < lines.length) {
    let end = start + 1;
    while (end < lines.length && !isHeading[end]) end += 1;
    sections.push({ heading: lines[start].text, markdown: bodyToMarkdown(lines.slice(start + 1, end), compact) });
    start = end;
  }
  return { title, sections };
}

const isWordChar = (c: string) => /\w/.test(c);

/**
 * Whether the text ends in an e-mail address or a URL: /(?:\S+@\S+\.\w+|https?:\/\/\S+)$/ (which
 * is quadratic or worse on a long word), decided on the last word alone. Every character of a
 * match is non-blank, so a match is a suffix of the last run of non-blanks, and the leading \S+
 * can always grow to the whole run.
 */
export function endsWithEmailOrUrl(text: string): boolean {
  let start = text.length;
  while (start > 0 && /\S/.test(text[start - 1])) start -= 1;
  const word = text.slice(start);
  if (!word) return false;
  // https?:\/\/\S+ : a scheme with at least one character after it
  for (const scheme of ['http://', 'https://']) {
    const at = word.indexOf(scheme);
    if (at !== -1 && at + scheme.length < word.length) return true;
  }
  // \S+@\S+\.\w+ : \w+ reaches the end, so the "." is the last one; an "@" with something on both
  // sides sits before it
  const dot = word.lastIndexOf('.');
  if (dot === -1 || dot === word.length - 1) return false;
  for (let k = dot + 1; k < word.length; k += 1) if (!isWordChar(word[k])) return false;
  const at = word.indexOf('@', 1);
  return at !== -1 && at <= dot - 2;
}

/** Leading and trailing " " removed (not tabs): = replace(/^ +| +$/g, ''), linear. */
function trimSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s[start] === ' ') start += 1;
  while (end > start && s[end - 1] === ' ') end -= 1;
  return s.slice(start, end);
}

function tabCells(line: Line): string[] | null {
  if (line.cells === undefined) line.cells = splitCells(line);
  return line.cells;
}

function splitCells(line: Line): string[] | null {
  if (!line.text.includes('\t')) return null;
  // cells from the untrimmed line: a leading tab is an empty first cell, not indentation
  const cells = trimSpaces(line.raw).split('\t');
  return cells.length >= 2 ? cells.map((c) => c.trim()) : null;
}

function bodyToMarkdown(lines: Line[], compact: boolean): string {
  const blocks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    // tab-separated rows (copied from a spreadsheet or a web table) -> a table
    const firstRow = tabCells(lines[i]);
    if (firstRow && i + 1 < lines.length && !lines[i + 1].blankBefore && tabCells(lines[i + 1])) {
      const rows = [firstRow];
      let j = i + 1;
      while (j < lines.length && !lines[j].blankBefore) {
        const cells = tabCells(lines[j]);
        if (!cells) break;
        rows.push(cells);
        j += 1;
      }
      blocks.push(markdownTable(rows));
      i = j;
      continue;
    }

    if (lines[i].listItem) {
      const items: string[] = [];
      let j = i;
      while (j < lines.length && lines[j].listItem && !(tabCells(lines[j]) && j + 1 < lines.length && tabCells(lines[j + 1]) && !lines[j + 1].blankBefore)) {
        let item = `- ${escapeLine(listItemContent(lines[j].text))}`;
        j += 1;
        // an indented line right under an item continues it (a wrapped line)
        while (j < lines.length && !lines[j].blankBefore && /^\s/.test(lines[j].raw) && !lines[j].listItem) {
          item += `\n  ${escapeLine(lines[j].text)}`;
          j += 1;
        }
        items.push(item);
      }
      blocks.push(items.join('\n'));
      i = j;
      continue;
    }

    // a paragraph: the lines of one block, line breaks kept as hard breaks
    const para = [escapeLine(lines[i].text)];
    let j = i + 1;
    while (
      j < lines.length &&
      !compact &&
      !lines[j].blankBefore &&
      !lines[j].listItem &&
      !(tabCells(lines[j]) && j + 1 < lines.length && !lines[j + 1].blankBefore && tabCells(lines[j + 1]))
    ) {
      para.push(escapeLine(lines[j].text));
      j += 1;
    }
    blocks.push(para.join('\\\n'));
    i = j;
  }
  return blocks.join('\n\n');
}

function listItemContent(text: string): string {
  // bullets are formatting and become the list marker; "a)" / "b." labels are text and stay
  return text.replace(BULLET, '$2');
}

function markdownTable(rows: string[][]): string {
  // a loop, not Math.max(...rows): a pasted table can have more rows than a call has arguments
  let width = 0;
  for (const r of rows) width = Math.max(width, r.length);
  const line = (cells: string[]) =>
    `| ${Array.from({ length: width }, (_, k) => escapeInline(cells[k] ?? '')).join(' | ')} |`;
  return [line(rows[0]), `|${' --- |'.repeat(width)}`, ...rows.slice(1).map(line)].join('\n');
}

/**
 * Escapes what Markdown would otherwise turn into markup, and only that, so the stored markdown
 * stays readable for editors ("e.g." and "2.1." are left alone).
 */
function escapeInline(text: string): string {
  // most cells and lines have nothing to escape (a pasted table can have a million empty cells)
  if (!/[\\`*<[|_~&]/.test(text)) return text;
  let s = text.replace(/\\/g, '\\\\');
  s = s.replace(/[`*<[|]/g, '\\$&');
  // "_" between two letters or digits can never open or close emphasis (snake_case, URLs)
  s = s.replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_');
  if (s.includes('~~')) s = s.replace(/~/g, '\\~');
  // "&amp;" or "&#169;" in plain text is literal text, not an entity
  // (the entity is matched and put back rather than looked ahead at, which recheck can prove
  // linear; it holds no "&", so no "&" after it is skipped)
  s = s.replace(/&(#?[\p{L}\p{N}]+;)/gu, '\\&$1');
  return s;
}

/** escapeInline plus the constructs that only mean something at the start of a line. */
function escapeLine(text: string): string {
  let s = escapeInline(text);
  if (!/^[#>\-+:~=\d]/.test(s)) return s; // every rule below is about the first character
  if (/^[#>]/.test(s)) return `\\${s}`;
  if (/^[-+](?=\s|$)/.test(s)) return `\\${s}`;
  // ":" or "~" then a space opens a definition (markdown-it-deflist) under the line before.
  if (/^[:~](?=\s)/.test(s)) return `\\${s}`;
  if (/^[-=]/.test(s) && /^[-=\s]+$/.test(s)) return `\\${s}`; // setext underline / thematic break
  s = s.replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2'); // "1. foo" is not an ordered list here
  return s;
}
