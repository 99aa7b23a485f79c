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
  // An ES module has no `require`: a call left in the bundle throws a ReferenceError only when its
  // path runs (as LISTEN/NOTIFY's did, on PostgreSQL only), so it is looked for in the text.
  it('call no `require`', () => {
    const root = path.resolve(__dirname, '..', '..', 'dist');
    const files = ['server', 'client', 'admin'].flatMap((dir) =>
      fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.mjs')).map((f) => path.join(root, dir, f))
    );
    expect(files.length).toBeGreaterThanOrEqual(3);
    const calls = files.flatMap((file) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/(^|[^.\w$'"])require\(/.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : []))
    );
    expect(calls).toEqual([]);
  });
});
