import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { anchorFor, renderMarkdown, renderSections } from '../../server/src/policy/markdown';

const tagsOf = (html: string) => [...new Set([...html.matchAll(/<([a-z0-9]+)/gi)].map((m) => m[1].toLowerCase()))];
// attribute names of the real tags (a quoted value like title="x onclick=y" is not an attribute)
const attributesOf = (html: string) =>
  [...html.matchAll(/<[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi)].flatMap((m) =>
    [...m[1].matchAll(/([a-z-]+)="/gi)].map((a) => a[1].toLowerCase()),
  );
const hrefs = (html: string) => [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);

describe('renderMarkdown: safety', () => {
  it('shows raw HTML as text, never as markup', () => {
    const html = renderMarkdown('Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick="x()">d</div>\n\n<a href="#evil" style="x">e</a>');
    expect(tagsOf(html)).toEqual(['p']);
    expect(attributesOf(html)).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](  javascript:alert(1))',
    '[x](java&#115;cript:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](javascript&colon;alert(1))',
    '<javascript:alert(1)>',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x]\n\n[x]: javascript:alert(1)',
    '[x](file:///etc/passwd)',
  ])('never links to a dangerous scheme: %s', (source) => {
    const html = renderMarkdown(source);
    for (const href of hrefs(html)) expect(href).toMatch(/^(?:https?:|mailto:|#)/i);
    expect(html).not.toMatch(/href="\s*(?:javascript|vbscript|data|file):/i);
  });

  it('keeps http, https, mailto and in-page links; external ones get rel="noopener noreferrer"', () => {
    const html = renderMarkdown('[a](https://example.com/x) [b](http://example.com) [c](mailto:dpo@example.com) [d](#3-legal-basis)');
    expect(html).toContain('<a href="https://example.com/x" rel="noopener noreferrer">a</a>');
    expect(html).toContain('<a href="http://example.com" rel="noopener noreferrer">b</a>');
    expect(html).toContain('<a href="mailto:dpo@example.com">c</a>');
    expect(html).toContain('<a href="#3-legal-basis">d</a>');
  });

  it('drops the href of other schemes but keeps the link text', () => {
    const html = renderMarkdown('[ftp here](ftp://example.com/file)');
    expect(html).not.toContain('ftp://');
    expect(html).toContain('ftp here');
  });

  it('linkifies bare URLs and addresses', () => {
    const html = renderMarkdown('Write to privacy@example.com or see www.example.com.');
    expect(html).toContain('<a href="mailto:privacy@example.com">privacy@example.com</a>');
    expect(html).toContain('<a href="http://www.example.com" rel="noopener noreferrer">www.example.com</a>');
  });

  it('loads no images (a policy page must not ping third parties); the text stays', () => {
    const html = renderMarkdown('![tracking pixel](https://tracker.example/p.gif)');
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('tracking pixel');
  });

  it('does not let a body set arbitrary attributes', () => {
    const html = renderMarkdown('# Title {#custom onclick=x}\n\n[a](https://e.com "t\\" onmouseover=\\"x")');
    expect(new Set(attributesOf(html))).toEqual(new Set(['id', 'href', 'rel', 'title']));
  });
});

describe('renderMarkdown: structure', () => {
  it('renders tables, with alignment and escaped pipes', () => {
    const html = renderMarkdown('| Data | Retention |\n| :-- | --: |\n| IP \\| prefix | 12 months |');
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th style="text-align:left">Data<\/th>/);
    expect(html).toContain('<td style="text-align:left">IP | prefix</td>');
    expect(html).toContain('<td style="text-align:right">12 months</td>');
  });

  it('renders headings with stable, unique ids', () => {
    const html = renderMarkdown('## Tietosuojaseloste ja evästeet\n\ntext\n\n### 3. Legal basis\n\n### 3. Legal basis');
    expect(html).toContain('<h2 id="tietosuojaseloste-ja-evasteet">Tietosuojaseloste ja evästeet</h2>');
    expect(html).toContain('<h3 id="3-legal-basis">3. Legal basis</h3>');
    expect(html).toContain('<h3 id="3-legal-basis-2">3. Legal basis</h3>');
    expect(renderMarkdown('## Tietosuojaseloste ja evästeet')).toBe(renderMarkdown('## Tietosuojaseloste ja evästeet'));
  });

  it('renders lists, numbered lists from any start, blockquotes, code and emphasis', () => {
    const html = renderMarkdown('- a\n- b\n\n3. c\n4. d\n\n> quoted\n\n`code` **strong** *em* ~~gone~~\n\n```\nblock\n```');
    expect(html).toMatch(/<ul>\s*<li>a<\/li>\s*<li>b<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol start="3">\s*<li>c<\/li>/);
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    expect(html).toContain('<code>code</code> <strong>strong</strong> <em>em</em> <s>gone</s>');
    expect(html).toMatch(/<pre><code>block\n<\/code><\/pre>/);
  });

  it('keeps quotes and dashes as written (no typographer)', () => {
    expect(renderMarkdown('"we" -- (c)')).toBe('<p>"we" -- (c)</p>\n');
  });
});

describe('renderSections', () => {
  it('keeps the sections, adds html, and never reuses a section anchor for a body heading', () => {
    const sections = [
      { anchor: 'cookies', heading: 'Cookies', markdown: '## Cookies\n\n## Details' },
      { anchor: 'details', heading: 'Details', markdown: '## Details\n\ntext' },
    ];
    const rendered = renderSections(sections);
    expect(rendered.map(({ html, ...rest }) => rest)).toEqual(sections);
    const ids = rendered.flatMap((s) => [...s.html.matchAll(/id="([^"]+)"/g)].map((m) => m[1]));
    expect(ids).toEqual(['cookies-2', 'details-2', 'details-3']);
    expect(new Set([...ids, ...sections.map((s) => s.anchor)]).size).toBe(ids.length + sections.length);
  });
});

describe('anchorFor', () => {
  it.each([
    ['Tietosuojaseloste ja evästeet', 'tietosuojaseloste-ja-evasteet'],
    ['3. Legal basis', '3-legal-basis'],
    ['4.2. Integrity', '4-2-integrity'],
    ['Isikuandmete töötlemise põhimõtted', 'isikuandmete-tootlemise-pohimotted'],
    ['Straße & Größe', 'strasse-grosse'],
    ["Kids' Privacy", 'kids-privacy'],
    ['Children’s Online Privacy', 'childrens-online-privacy'],
    ['  --What is GDPR?--  ', 'what-is-gdpr'],
    ['Политика конфиденциальности', 'политика-конфиденциальности'],
    ['???', 'section'],
    ['', 'section'],
  ])('%j -> %j', (heading, anchor) => {
    expect(anchorFor(heading)).toBe(anchor);
  });

  it('caps long anchors at a word boundary', () => {
    const anchor = anchorFor('word '.repeat(40));
    expect(anchor.length).toBeLessThanOrEqual(80);
    expect(anchor).toMatch(/^word(-word)+$/);
  });

  it('makes anchors unique with -2, -3 and records them in taken', () => {
    const taken = new Set<string>(['cookies']);
    expect(anchorFor('Cookies', taken)).toBe('cookies-2');
    expect(anchorFor('Cookies', taken)).toBe('cookies-3');
    expect(anchorFor('Cookies 2', taken)).toBe('cookies-2-2');
    expect([...taken]).toEqual(['cookies', 'cookies-2', 'cookies-3', 'cookies-2-2']);
  });

  it('is URL-safe, lowercase and idempotent for any heading', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (heading) => {
        const anchor = anchorFor(heading);
        expect(anchor).toMatch(/^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*$/u);
        expect(anchor).not.toMatch(/[A-Z]/);
        expect(anchor).toBe(anchor.toLowerCase());
        expect(anchorFor(anchor)).toBe(anchor);
        expect(encodeURIComponent(anchor)).not.toMatch(/%(?:2[0-9A-C]|3[A-F]|5[B-E]|60|7[B-F])/); // no ASCII punctuation but "-"
      }),
      { numRuns: 500 },
    );
  });

  it('gives every heading of a document its own anchor', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('A', 'a', 'A 2', 'Ä', 'a-2', '', '!', 'Cookies', 'cookies-2'), { maxLength: 30 }), (headings) => {
        const taken = new Set<string>();
        const anchors = headings.map((h) => anchorFor(h, taken));
        expect(new Set(anchors).size).toBe(anchors.length);
      }),
    );
  });
});

describe('anchorFor: linear time', () => {
  /** What anchorFor(heading, taken) did before it remembered suffixes: try -2, -3, … every time. */
  function naive(heading: string, taken: Set<string>): string {
    const base = anchorFor(heading);
    let anchor = base;
    for (let n = 2; taken.has(anchor); n += 1) anchor = `${base}-${n}`;
    taken.add(anchor);
    return anchor;
  }

  it('gives the same anchors as trying every suffix, whatever else is in `taken`', () => {
    const step = fc.oneof(
      fc.record({ heading: fc.constantFrom('A', 'a', 'A 2', 'a-2', 'a-3', 'Cookies', 'cookies-2', '', '!', 'section-2') }),
      // anchors added by other means between calls, as normaliseSections and renderSections do
      fc.record({ add: fc.constantFrom('a', 'a-2', 'a-4', 'a-2-2', 'cookies', 'cookies-3', 'section') }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'a-3', 'cookies-2', 'section'), { maxLength: 4 }), fc.array(step, { maxLength: 40 }), (initial, steps) => {
        const fast = new Set<string>(initial);
        const slow = new Set<string>(initial);
        for (const s of steps) {
          if ('add' in s) {
            fast.add(s.add);
            slow.add(s.add);
          } else {
            expect(anchorFor(s.heading, fast)).toBe(naive(s.heading, slow));
          }
        }
        expect([...fast]).toEqual([...slow]);
      }),
      { numRuns: 500 },
    );
  });

  it('still gives the smallest free suffix if a set shrinks', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 5; i += 1) anchorFor('Cookies', taken);
    taken.delete('cookies-3');
    expect(anchorFor('Cookies', taken)).toBe('cookies-3');
    expect(anchorFor('Cookies', taken)).toBe('cookies-6');
  });

  // A complexity guard, generous on purpose: trying every suffix took 7 s for 10,000 equal
  // headings, 31 s for 20,000 and seven minutes for 40,000; remembering the next suffix takes
  // tens of milliseconds.
  it('handles 20,000 equal headings in well under a second', () => {
    const taken = new Set<string>();
    const start = performance.now();
    let last = '';
    for (let i = 0; i < 20_000; i += 1) last = anchorFor('1. Cookies', taken);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(last).toBe('1-cookies-20000');
    expect(taken.size).toBe(20_000);
  });

  it('trims dashes from a megabyte heading of punctuation in well under a second', () => {
    const start = performance.now();
    expect(anchorFor(`${'-'.repeat(500_000)}a${'-!'.repeat(250_000)}`)).toBe('a');
    expect(anchorFor('- '.repeat(500_000))).toBe('section');
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('markdown.ts stays importable by the admin bundle', () => {
  it('imports no Node-only module', () => {
    const source = fs.readFileSync(path.resolve(__dirname, '../../server/src/policy/markdown.ts'), 'utf8');
    const imports = [...source.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(imports.sort()).toEqual(['./types', 'markdown-it', 'markdown-it-anchor', 'markdown-it-deflist', 'sanitize-html']);
  });
});

describe('definition lists', () => {
  it('renders `Term` / `: meaning` as <dl>, the way policies define their terms', () => {
    const html = renderMarkdown('**Personal data**\n: any information about a person.\n\n**Member**\n: a person who joined.');
    expect(html).toContain('<dl>');
    expect(html).toMatch(/<dt><strong>Personal data<\/strong><\/dt>\s*<dd>any information about a person.<\/dd>/);
  });
});

describe('normaliseSections', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { normaliseSections } = require('../../server/src/policy/sections');

  it('derives missing anchors from headings and keeps every anchor unique', () => {
    const out = normaliseSections([
      { anchor: '', heading: ' 1. Who we are ', markdown: 'a' },
      { anchor: 'rights', heading: 'Rights', markdown: 'b' },
      { anchor: 'rights', heading: 'Rights', markdown: 'c' },
    ]);
    expect(out.map((s: { anchor: string; heading: string }) => [s.anchor, s.heading])).toEqual([
      ['1-who-we-are', '1. Who we are'],
      ['rights', 'Rights'],
      ['rights-2', 'Rights'],
    ]);
  });
});
