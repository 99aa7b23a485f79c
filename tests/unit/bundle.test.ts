import fs from 'node:fs';
import path from 'node:path';

/**
 * The admin bundle must use the host app's `@strapi/strapi/admin`, never a copy of its own:
 * a bundled copy has its own React contexts, so Page.Protect and useRBAC see no permissions
 * and every page says "no permission" (this happened once, when the peer dependency was
 * dropped). Needs the build: `npm run build` (npm test builds first).
 */
const dist = path.resolve(__dirname, '..', '..', 'dist', 'admin');

describe('the built admin bundle', () => {
  it('exists (run `npm run build` first)', () => {
    expect(fs.existsSync(path.join(dist, 'index.mjs'))).toBe(true);
  });

  it('imports @strapi/strapi/admin and the UI libraries from the host app', () => {
    const files = fs.readdirSync(dist).filter((f) => f.endsWith('.mjs'));
    const code = files.map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
    expect(code).toMatch(/from\s*["']@strapi\/strapi\/admin["']/);
    expect(code).toMatch(/from\s*["']@strapi\/design-system["']/);
    expect(code).toMatch(/from\s*["']react["']/);
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dist, f)).size, 0);
    expect(bytes).toBeLessThan(1_500_000);
  });
});

describe('the ESM builds (the `import` condition of every export)', () => {
  // An ES module has no `require`: a call left in a bundle throws a ReferenceError only when its
  // path runs (as LISTEN/NOTIFY's did, on PostgreSQL only), so it is looked for in the text: a
  // bare call, esbuild's `__require` shim and rollup's `commonjsRequire` (which throw alike).
  const REQUIRE_CALL = /(?<![.\w$])(?:__require|commonjsRequire|require)\s*(?:\?\.)?\(/g;

  it('call no `require`', () => {
    const root = path.resolve(__dirname, '..', '..');
    const { exports } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    // Each ESM entry's directory: the entry and the chunks it imports.
    const dirs = [
      ...new Set(
        Object.values(exports as Record<string, unknown>)
          .map((target) => (typeof target === 'object' && target !== null ? (target as { import?: string }).import : undefined))
          .filter((entry): entry is string => typeof entry === 'string')
          .map((entry) => path.dirname(path.join(root, entry)))
      ),
    ];
    expect(dirs.map((dir) => path.relative(root, dir)).sort()).toEqual(expect.arrayContaining(['dist/admin', 'dist/client', 'dist/server']));
    const files = dirs.flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.mjs')).map((f) => path.join(dir, f)));
    const calls = files.flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return [...text.matchAll(REQUIRE_CALL)].map((match) => `${path.relative(root, file)}:${text.slice(0, match.index).split('\n').length}: ${match[0]}`);
    });
    expect(calls).toEqual([]);
  });

  it('would be caught in each form', () => {
    for (const code of ['const pg = require("pg")', 'x = require ("pg")', 'x = require\n("pg")', '__require("pg")', 'commonjsRequire("pg")', 'require?.("pg")']) {
      expect(code.match(REQUIRE_CALL)).not.toBeNull();
    }
    for (const code of ['module.require("pg")', 'createRequire(import.meta.url)', 'fn(require)', 'required("x")']) {
      expect(code.match(REQUIRE_CALL)).toBeNull();
    }
  });
});
