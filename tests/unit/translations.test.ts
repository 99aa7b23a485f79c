/**
 * The admin's translations (admin/src/translations/*.json) against en.json, the source: the same
 * keys, every value translated, the same ICU arguments, and every message parsed by the parser
 * react-intl itself uses. The English fallbacks written in the code (t('id', 'text')) must be
 * en.json's text, so that a key added in code but not in en.json cannot slip through.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, 'admin/src/translations');
const LANGUAGES = ['fi', 'et', 'de'] as const;

// The parser of react-intl (the admin's peer dependency, a devDependency here), reached through
// it rather than whichever copy is hoisted: a message it refuses is one the admin cannot show.
const { parse } = require(require.resolve('@formatjs/icu-messageformat-parser', { paths: [path.dirname(require.resolve('react-intl'))] })) as {
  parse: (message: string) => MessageElement[];
};

/** The parts of the parser's AST read here (its TYPE enum: 0 literal … 8 tag). */
interface MessageElement {
  type: number;
  value?: string;
  options?: Record<string, { value: MessageElement[] }>;
  children?: MessageElement[];
}
const TYPE_NAMES = ['literal', 'argument', 'number', 'date', 'time', 'select', 'plural', 'pound', 'tag'];

const read = (language: string): Record<string, string> => JSON.parse(fs.readFileSync(path.join(DIR, `${language}.json`), 'utf8'));
const en = read('en');

/**
 * Values that are the same text in every language: names of products, protocols and headers.
 * A message made only of arguments and punctuation needs no entry (see `hasWords`).
 */
const SAME_EVERYWHERE = ['cookies.storage.indexedDB', 'consents.record.consentMode', 'consents.column.gpc', 'newsletter.message.messageId'];

/** Words one language spells as English does (German borrows these, or shares them). */
const SAME_IN: Record<(typeof LANGUAGES)[number], string[]> = {
  fi: [],
  et: [],
  de: [
    'page.cookies.title',
    'cookies.changes.cookies',
    'cookies.back',
    'cookies.storage.cookie',
    'cookies.storage.pixel',
    'cookies.cookie.domain',
    'cookies.revision.column.revision',
    'cookies.revision.column.hash',
    'consents.revision',
    'page.newsletter.title',
    'settings.newsletter.title',
    'settings.controller.url',
    'policies.section.markdown',
    'audit.column.details',
    'subjects.column.person',
    // "Name" and "Status" are German words too.
    'settings.controller.name',
    'cookies.column.name',
    'cookies.category.name',
    'consents.column.name',
    'policies.column.status',
    'newsletter.column.status',
    'newsletter.filter.status',
    'subjects.column.status',
    'subjects.field.status',
  ],
};

/** Every argument of a message (name → how it is formatted), and the option keys of each select. */
const argumentsOf = (elements: MessageElement[], found = new Map<string, string>()) => {
  for (const element of elements) {
    const kind = TYPE_NAMES[element.type];
    if (kind === 'tag') found.set(`<${element.value}>`, kind);
    else if (kind !== 'literal' && kind !== 'pound') {
      const selectors = kind === 'select' ? `(${Object.keys(element.options ?? {}).sort().join('|')})` : '';
      found.set(element.value!, kind + selectors);
    }
    for (const option of Object.values(element.options ?? {})) argumentsOf(option.value, found);
    if (element.children) argumentsOf(element.children, found);
  }
  return found;
};

/** Whether a message has words of its own, beyond arguments, digits and punctuation. */
const hasWords = (elements: MessageElement[]): boolean =>
  elements.some(
    (element) =>
      (TYPE_NAMES[element.type] === 'literal' && /\p{L}/u.test(element.value ?? '')) ||
      Object.values(element.options ?? {}).some((option) => hasWords(option.value)) ||
      (element.children ? hasWords(element.children) : false)
  );

const parseOrError = (message: string) => {
  try {
    return { elements: parse(message) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('en.json, the source of every translation', () => {
  it('parses as ICU messages, none empty', () => {
    const broken = Object.entries(en).flatMap(([key, value]) => {
      const { error } = parseOrError(value);
      return error || !value.trim() ? [`${key}: ${error ?? 'empty'}`] : [];
    });
    expect(broken).toEqual([]);
  });

  it('holds the English fallback written in the code for each of its keys, and every key the code names', () => {
    const mismatches: string[] = [];
    let calls = 0;
    const files = fs
      .readdirSync(path.join(ROOT, 'admin/src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file))
      .map((file) => path.join('admin/src', file));
    for (const file of files) {
      const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 't' && node.arguments.length === 2) {
          const [id, fallback] = node.arguments;
          // Ids built at run time (`settings.controller.${name}`) cannot be read here.
          if (ts.isStringLiteralLike(id) && ts.isStringLiteralLike(fallback)) {
            calls += 1;
            if (!(id.text in en)) mismatches.push(`${file}: ${id.text} is not in en.json`);
            else if (en[id.text] !== fallback.text) mismatches.push(`${file}: ${id.text} says ${JSON.stringify(fallback.text)}, en.json ${JSON.stringify(en[id.text])}`);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(calls).toBeGreaterThan(500); // The walk found the calls: a silent zero would pass anything.
    expect(mismatches).toEqual([]);
  });

  it('allow-lists only keys it has, whose value is still the same in that language', () => {
    const stale = [
      ...SAME_EVERYWHERE.flatMap((key) => LANGUAGES.map((language) => [language, key] as const)),
      ...LANGUAGES.flatMap((language) => SAME_IN[language].map((key) => [language, key] as const)),
    ].flatMap(([language, key]) => (key in en && read(language)[key] === en[key] ? [] : [`${language}: ${key}`]));
    expect(stale).toEqual([]);
  });
});

describe.each(LANGUAGES)('%s.json', (language) => {
  const messages = read(language);

  it('has every key of en.json, and no other', () => {
    expect(Object.keys(en).filter((key) => !(key in messages))).toEqual([]);
    expect(Object.keys(messages).filter((key) => !(key in en))).toEqual([]);
  });

  it('translates every message (names, codes and argument-only messages aside)', () => {
    const allowed = new Set([...SAME_EVERYWHERE, ...SAME_IN[language]]);
    const untranslated = Object.keys(en).filter((key) => {
      if (messages[key] !== en[key] || allowed.has(key)) return false;
      const { elements } = parseOrError(en[key]);
      return !elements || hasWords(elements);
    });
    expect(untranslated).toEqual([]);
  });

  it('parses as ICU messages, none empty, with the arguments, select options and tags of the English', () => {
    const problems = Object.keys(en).flatMap((key) => {
      if (typeof messages[key] !== 'string') return [];
      const parsed = parseOrError(messages[key]);
      if (!parsed.elements) return [`${key}: ${parsed.error}`];
      if (!messages[key].trim()) return [`${key}: empty`];
      const source = parseOrError(en[key]);
      if (!source.elements) return []; // Reported by the en.json test.
      const list = (found: Map<string, string>) => [...found].map(([name, kind]) => `${name} (${kind})`).sort().join(', ');
      const expected = list(argumentsOf(source.elements));
      const actual = list(argumentsOf(parsed.elements));
      return actual === expected ? [] : [`${key}: ${actual || 'no argument'} instead of ${expected || 'no argument'}`];
    });
    expect(problems).toEqual([]);
  });
});
