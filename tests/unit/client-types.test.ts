/**
 * The client's types as a site's TypeScript sees them (tests/types/tsconfig.json: strict, a
 * browser's lib, no Node types): tests/types/client-compiles.ts must compile, and every line of
 * tests/types/client-refuses.ts marked `@ts-expect-error -- <reason>` must be an error for that
 * reason. Two compilations: as written (no error at all: an unused directive is one, so a line
 * that compiled fails here), and with the directives taken out (each marked line has an error
 * whose message holds its reason, and no other line has one).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const DIR = path.resolve(__dirname, '..', 'types');
const REFUSES = path.join(DIR, 'client-refuses.ts');
const DIRECTIVE = /^(\s*)\/\/ @ts-expect-error -- (.+)$/;

function compile(replace?: { file: string; text: string }) {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(DIR, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } })!;
  const host = ts.createCompilerHost(config.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) =>
    replace && path.resolve(file) === replace.file ? ts.createSourceFile(file, replace.text, language) : read(file, language, ...rest);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file ? path.resolve(d.file.fileName) : '',
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

const describeAll = (diagnostics: ReturnType<typeof compile>) => diagnostics.map((d) => `${path.basename(d.file)}:${d.line + 1} ${d.message}`);

test('what a site writes compiles, and every marked mistake is an error', () => {
  expect(describeAll(compile())).toEqual([]);
});

test('each marked mistake is refused for the reason it names, and nothing else is', () => {
  const lines = fs.readFileSync(REFUSES, 'utf8').split('\n');
  const expected = new Map<number, string>();
  const stripped = lines.map((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (!match) return line;
    expected.set(index + 1, match[2]);
    return `${match[1]}// (directive taken out)`;
  });
  expect(expected.size).toBeGreaterThanOrEqual(12);
  const diagnostics = compile({ file: REFUSES, text: stripped.join('\n') });
  const byLine = new Map<number, string[]>();
  for (const d of diagnostics) {
    expect(d.file).toBe(REFUSES); // the other file, and the client itself, stay clean
    byLine.set(d.line, [...(byLine.get(d.line) ?? []), d.message]);
  }
  for (const [line, reason] of expected) {
    const messages = byLine.get(line) ?? [];
    const refused = messages.some((m) => m.includes(reason));
    // On failure this shows the line, and what tsc said about it instead.
    expect({ line: line + 1, code: lines[line].trim(), reason, said: refused ? 'the reason' : messages }).toEqual({ line: line + 1, code: lines[line].trim(), reason, said: 'the reason' });
  }
  expect([...byLine.keys()].filter((line) => !expected.has(line)).map((line) => `${line + 1}: ${byLine.get(line)}`)).toEqual([]);
}, 60_000);
