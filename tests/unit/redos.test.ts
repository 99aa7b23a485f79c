/**
 * ReDoS sweep: every regular expression in the plugin's source is checked with recheck
 * (https://makenowjust-labs.github.io/recheck/), which proves a pattern safe or finds an
 * attack string that makes a backtracking engine (V8's irregexp) take polynomial or
 * exponential time. A pattern that is not proven safe fails the test, named by file:line.
 *
 * What is collected, by parsing each .ts/.tsx file with the TypeScript compiler (not by grep,
 * which cannot tell a regex from a division or a comment):
 *  - every regular-expression literal (`/…/flags`);
 *  - every `new RegExp(…)` / `RegExp(…)` whose pattern and flags are string literals;
 *  - a `new RegExp(\`…${x}…\`)` template is checked with each interpolation replaced by a literal
 *    stand-in, but only when every interpolation is a call of the file's own regex escaper
 *    (`escape(…)`, defined in that file with the standard escaping class, or imported by name from
 *    a scanned file that defines it), so it can only be
 *    literal text; any other computed pattern fails as "not checkable" unless it is listed in
 *    DYNAMIC_REVIEWED with the reason it is safe;
 *  - the `regex:` of content-type schemas (`content-types/<name>/schema.ts`; Strapi validates
 *    attributes with `new RegExp(regex)`): a string literal is checked; `NAME.source` must name a
 *    regex literal declared in a scanned file (which is checked where it is declared).
 * Not collected: a string passed to `String.prototype.match/matchAll/search` (which also builds a
 * RegExp) – write a regex literal instead.
 *
 * Verdicts:
 *  - `safe`: passes.
 *  - `vulnerable`: fails, with recheck's attack string and complexity in the message.
 *  - `unknown` (recheck gave up: timeout, or a feature it does not support): fails, unless the
 *    pattern is in UNKNOWN_ALLOWED with a comment saying why it is safe. A timeout is retried
 *    once with a longer limit first, so that a busy machine does not turn `safe` into `unknown`.
 *
 * Backend: `checkSync` runs the check in a synckit worker thread, which uses recheck's
 * RECHECK_BACKEND (default `auto`: the native binary from the optional dependency
 * `recheck-linux-x64`/`-macos-*`/`-windows-x64`, else `java -jar` with `recheck-jar`, else the
 * Scala.js build in a worker). `auto` is kept: with the native binary this file takes about 4 s
 * for ~56 patterns on 2 cores; RECHECK_BACKEND=pure (about 7-13 s) and =worker (about 10-22 s)
 * also pass, e.g. where no native build exists. RECHECK_SYNC_BACKEND=pure (no worker thread at
 * all) is the slowest, about 50 s. Each pattern is checked once however often it occurs, with a
 * fixed random seed. Patterns with lookarounds are decided by recheck's fuzz checker, whose
 * verdict can vary with machine speed; where it is cheap, write a pattern its automaton checker
 * can prove instead (import.ts does).
 */
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { checkSync, type Diagnostics } from 'recheck';

const ROOT = path.resolve(__dirname, '..', '..');
const SCANNED = ['server/src', 'admin/src', 'content-types'];

/** Patterns recheck cannot decide, each with the reason it is safe. Key: `file /source/flags`. */
const UNKNOWN_ALLOWED: Record<string, string> = {
  // (none today)
};

/** Computed patterns reviewed by hand, each with the reason it is safe. Key: `file <expression text>`. */
const DYNAMIC_REVIEWED: Record<string, string> = {
  // (none today)
};

const CHECK_TIMEOUT_MS = 10_000;
const RETRY_TIMEOUT_MS = 30_000;

interface Found {
  /** Repository-relative file and 1-based line. */
  where: string;
  file: string;
  source: string;
  flags: string;
  /** How it was found (shown in the test name when it is not a literal). */
  kind: 'literal' | 'RegExp()' | 'template' | 'schema regex';
}

interface Dynamic {
  where: string;
  file: string;
  expression: string;
  why: string;
}

/** The standard "escape for use in a RegExp" character class. */
const ESCAPER_CLASS = '[.*+?^${}()|[\\]\\\\]';

/** Names of the functions each scanned file defines that escape text for a RegExp (first pass). */
function escapersOf(file: string, text: string): Set<string> {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const names = new Set<string>();
  const note = (name: ts.Node, body: ts.Node | undefined) => {
    if (ts.isIdentifier(name) && body && body.getText(sf).includes(ESCAPER_CLASS)) names.add(name.text);
  };
  const visit = (node: ts.Node) => {
    if (ts.isFunctionDeclaration(node) && node.name) note(node.name, node.body);
    if (ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      note(node.name, node.initializer.body);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

/** The scanned file a relative import names (`./paths` → `server/src/middlewares/paths.ts`). */
function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((candidate) => fs.existsSync(path.join(ROOT, candidate))) ?? null;
}

function collect(file: string, text: string, escapersByFile: Map<string, Set<string>> = new Map()) {
  const found: Found[] = [];
  const dynamic: Dynamic[] = [];
  /** `NAME.source` references in schema `regex:` properties, resolved after every file is read. */
  const sourceRefs: Array<{ where: string; file: string; name: string }> = [];
  /** Names declared as `const NAME = /…/` in this file. */
  const regexConsts = new Set<string>();
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const whereOf = (node: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  const isSchema = /^content-types\/[^/]+\/schema\.ts$/.test(file);

  // functions of this file that escape text for a RegExp: `const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')`
  const escapers = new Set<string>();
  const noteEscaper = (name: ts.Node, body: ts.Node | undefined) => {
    if (ts.isIdentifier(name) && body && body.getText(sf).includes(ESCAPER_CLASS)) escapers.add(name.text);
  };
  const findEscapers = (node: ts.Node) => {
    // an escaper imported by name from another scanned file is as good as one defined here
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings)) {
      const target = resolveImport(file, node.moduleSpecifier.text);
      for (const element of node.importClause.namedBindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        if (target && escapersByFile.get(target)?.has(imported)) escapers.add(element.name.text);
      }
    }
    if (ts.isFunctionDeclaration(node) && node.name) noteEscaper(node.name, node.body);
    if (ts.isVariableDeclaration(node) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      noteEscaper(node.name, node.initializer.body);
    }
    ts.forEachChild(node, findEscapers);
  };
  findEscapers(sf);

  const stringValue = (node: ts.Node | undefined): string | null =>
    node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;

  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = (node as ts.RegularExpressionLiteral).text;
      const slash = literal.lastIndexOf('/');
      found.push({ where: whereOf(node), file, source: literal.slice(1, slash), flags: literal.slice(slash + 1), kind: 'literal' });
      if (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)) regexConsts.add(node.parent.name.text);
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      const [patternArg, flagsArg] = node.arguments ?? [];
      const flags = flagsArg === undefined ? '' : stringValue(flagsArg);
      const pattern = stringValue(patternArg);
      if (patternArg && patternArg.kind === ts.SyntaxKind.RegularExpressionLiteral && flagsArg === undefined) {
        // new RegExp(/x/): the literal itself is collected
      } else if (pattern !== null && flags !== null) {
        found.push({ where: whereOf(node), file, source: pattern, flags, kind: 'RegExp()' });
      } else if (
        flags !== null &&
        patternArg &&
        ts.isTemplateExpression(patternArg) &&
        patternArg.templateSpans.every(
          (span) => ts.isCallExpression(span.expression) && ts.isIdentifier(span.expression.expression) && escapers.has(span.expression.expression.text),
        )
      ) {
        // every interpolation is escaped text, i.e. a literal: check the pattern with a literal stand-in
        const source = patternArg.head.text + patternArg.templateSpans.map((span) => `x${span.literal.text}`).join('');
        found.push({ where: whereOf(node), file, source, flags, kind: 'template' });
      } else {
        dynamic.push({ where: whereOf(node), file, expression: node.getText(sf), why: 'a computed pattern' });
      }
    } else if (isSchema && ts.isPropertyAssignment(node) && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) && node.name.text === 'regex') {
      const value = stringValue(node.initializer);
      const init = node.initializer;
      if (value !== null) {
        found.push({ where: whereOf(node), file, source: value, flags: '', kind: 'schema regex' });
      } else if (ts.isPropertyAccessExpression(init) && init.name.text === 'source' && ts.isIdentifier(init.expression)) {
        sourceRefs.push({ where: whereOf(node), file, name: init.expression.text });
      } else {
        dynamic.push({ where: whereOf(node), file, expression: node.getText(sf), why: 'a computed schema regex' });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { found, dynamic, sourceRefs, regexConsts };
}

function sourceFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

function sweep() {
  const files = SCANNED.flatMap(sourceFiles).sort();
  const found: Found[] = [];
  const dynamic: Dynamic[] = [];
  const sourceRefs: Array<{ where: string; file: string; name: string }> = [];
  const regexConsts = new Set<string>();
  const texts = new Map(files.map((file) => [file, fs.readFileSync(path.join(ROOT, file), 'utf8')] as const));
  const escapersByFile = new Map(files.map((file) => [file, escapersOf(file, texts.get(file)!)] as const));
  for (const file of files) {
    const result = collect(file, texts.get(file)!, escapersByFile);
    found.push(...result.found);
    dynamic.push(...result.dynamic);
    sourceRefs.push(...result.sourceRefs);
    result.regexConsts.forEach((name) => regexConsts.add(name));
  }
  // `regex: NAME.source` is fine when NAME is a regex literal somewhere in the scanned source
  for (const ref of sourceRefs) {
    if (!regexConsts.has(ref.name)) dynamic.push({ where: ref.where, file: ref.file, expression: `${ref.name}.source`, why: 'not a regex literal of the scanned source' });
  }
  return { files, found, dynamic };
}

const verdicts = new Map<string, Diagnostics>();

function check(source: string, flags: string): Diagnostics {
  const key = `/${source}/${flags}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = checkSync(source, flags, { timeout: CHECK_TIMEOUT_MS, randomSeed: 0 });
    if (verdict.status === 'unknown' && verdict.error.kind === 'timeout') {
      verdict = checkSync(source, flags, { timeout: RETRY_TIMEOUT_MS, randomSeed: 0 });
    }
    verdicts.set(key, verdict);
  }
  return verdict;
}

function describeVerdict(verdict: Diagnostics): string {
  if (verdict.status === 'vulnerable') {
    const hotspots = verdict.hotspot.map((h) => `${h.temperature} ${h.start}-${h.end}`).join(', ');
    return `vulnerable (${verdict.complexity.summary}, found by the ${verdict.checker} checker); attack: ${verdict.attack.pattern}; hotspots: ${hotspots}`;
  }
  if (verdict.status === 'unknown') return `unknown (${JSON.stringify(verdict.error)})`;
  return `safe (${verdict.complexity.summary})`;
}

const { files, found, dynamic } = sweep();
const keyOf = (p: Found) => `${p.file} /${p.source}/${p.flags}`;

describe('ReDoS sweep: the checker and the collector work (self-checks)', () => {
  it('recheck flags a known-vulnerable pattern', () => {
    const verdict = checkSync('^(a+)+$', '', { timeout: CHECK_TIMEOUT_MS, randomSeed: 0 });
    expect(verdict.status).toBe('vulnerable');
    expect(verdict.status === 'vulnerable' && verdict.complexity.type).toBe('exponential');
    // and the quadratic kind this sweep was written for
    expect(check('\\s+$', '').status).toBe('vulnerable');
  });

  it('finds literals, RegExp() calls, escaped templates and schema regexes; flags computed ones', () => {
    const sample = [
      'const a = /x+$/g; const b = 4 / 2 / 1; // not /a regex/ in a comment',
      "const c = new RegExp('^y*$', 'i'); const d = RegExp(`z+`);",
      "const escape = (t: string) => t.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');",
      'const e = new RegExp(`^${escape(prefix)}/p(?:/|$)`);',
      'const f = new RegExp(userInput); const g = new RegExp(`^${other}$`);',
      "const s = { attributes: { k: { type: 'string', regex: '^[a-z]+$' }, l: { regex: SLUG.source }, m: { regex: make() } } };",
    ].join('\n');
    const code = collect('server/src/sample.ts', sample);
    expect(code.found.map((p) => [p.kind, p.source, p.flags])).toEqual([
      ['literal', 'x+$', 'g'],
      ['RegExp()', '^y*$', 'i'],
      ['RegExp()', 'z+', ''],
      ['literal', '[.*+?^${}()|[\\]\\\\]', 'g'],
      ['template', '^x/p(?:/|$)', ''],
    ]);
    expect(code.dynamic.map((d) => d.expression)).toEqual(['new RegExp(userInput)', 'new RegExp(`^${other}$`)']);
    const schema = collect('content-types/sample/schema.ts', sample);
    expect(schema.found.filter((p) => p.kind === 'schema regex').map((p) => p.source)).toEqual(['^[a-z]+$']);
    expect(schema.sourceRefs.map((r) => r.name)).toEqual(['SLUG']);
    expect(schema.dynamic.map((d) => d.expression)).toContain('regex: make()');
  });

  it('scans the real source: files in every folder, and the patterns of the policy importer', () => {
    for (const dir of SCANNED) expect(files.some((f) => f.startsWith(`${dir}/`))).toBe(true);
    expect(found.length).toBeGreaterThan(30);
    expect(found.filter((p) => p.file === 'server/src/policy/import.ts').length).toBeGreaterThan(15);
  });
});

describe('ReDoS sweep: every regular expression in server/src, admin/src and content-types', () => {
  const rows = found.map((p) => [`${p.where}${p.kind === 'literal' ? '' : ` (${p.kind})`} /${p.source}/${p.flags}`, p] as const);

  it.each(rows)('%s', (_name, pattern) => {
    const verdict = check(pattern.source, pattern.flags);
    if (verdict.status === 'safe') return;
    const key = keyOf(pattern);
    if (verdict.status === 'unknown' && UNKNOWN_ALLOWED[key]) return;
    throw new Error(`${pattern.where}: /${pattern.source}/${pattern.flags} is ${describeVerdict(verdict)}`);
  });

  const computed = dynamic.map((d) => [`${d.where} ${d.expression}`, d] as const);
  if (computed.length) {
    it.each(computed)('%s is reviewed (computed, so recheck cannot see it)', (_name, d) => {
      if (!DYNAMIC_REVIEWED[`${d.file} ${d.expression}`]) {
        throw new Error(`${d.where}: ${d.expression} is ${d.why}; use a literal, escape(…) every interpolation, or add it to DYNAMIC_REVIEWED with the reason it is safe`);
      }
    });
  }
});
