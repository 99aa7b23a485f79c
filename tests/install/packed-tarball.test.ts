import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  FAVICON,
  INSTALL_ARGS,
  REPO_ROOT,
  appDependencies,
  makeTempDir,
  npmInstall,
  packPlugin,
  repackWith,
  reuseSqliteAddon,
  startApp,
  writeApp,
  type Packed,
  type StartedApp,
} from './packed-app';

// A user's install: the tarball `npm pack` makes, into a separate Strapi 5 app (plain JavaScript,
// in a temporary folder), with a plain `npm install` that resolves the peer dependencies for real
// (the `@strapi/strapi` peer is a range), then `strapi start` and the plugin's routes over HTTP.
// The app is at the repository's own versions (@strapi/strapi 5.54.0, …), so most tarballs npm
// needs are in ~/.npm since `npm ci`; without a lockfile npm also reads the registry's package
// documents, and fetches what resolves newer than the repository's lockfile. See packed-app.ts.

const log = (line: string) => process.stdout.write(`[install] ${line}\n`);

let temp: string;
let packed: Packed;

beforeAll(async () => {
  temp = makeTempDir();
  log(`in ${temp}`);
  const started = Date.now();
  packed = await packPlugin(temp);
  log(`npm pack: ${path.basename(packed.tarball)} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
});
afterAll(() => {
  const started = Date.now();
  if (temp) fs.rmSync(temp, { recursive: true, force: true });
  log(`removed ${temp} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
});

describe('the packed tarball', () => {
  it('holds the built plugin and nothing of the sources or tests', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'NOTICE',
        'dist/server/index.js',
        'dist/server/index.mjs',
        'dist/admin/index.js',
        'dist/admin/index.mjs',
        // Cookie discovery reads the Open Cookie Database at run time, under its licence.
        'server/data/open-cookie-database.csv',
        'server/data/open-cookie-database.LICENSE',
        // The frontends' subpath exports, with their declarations (the client's types are generated).
        'dist/client/index.js', 'dist/client/index.mjs', 'dist/client/index.d.ts', 'dist/client/openapi.d.ts',
        'dist/cookieconsent/index.js', 'dist/cookieconsent/index.mjs', 'dist/cookieconsent/cookieconsent.d.ts',
      ])
    );
    expect(packed.files.filter((file) => !/^(dist\/|server\/data\/open-cookie-database\.(csv|LICENSE)$|package\.json$|README\.md$|NOTICE$|LICENSE)/.test(file))).toEqual([]);
  });

  // The control for the test below: the same install, with the tarball's peer pinned to a
  // Strapi the app does not have, must be refused. It proves the install checks peers (no
  // --legacy-peer-deps or --force slipped in, from the flags or npm's config). `--dry-run`
  // only spares the two-minute install should npm accept it; it resolves the same tree.
  it('is refused by npm when its @strapi/strapi peer conflicts with the app (control)', async () => {
    const conflicting = await repackWith(packed.tarball, temp, (pkg) => {
      pkg.peerDependencies['@strapi/strapi'] = '5.53.0';
    });
    const appDir = path.join(temp, 'conflicting-app');
    writeApp(appDir, conflicting);
    const run = await npmInstall(appDir, ['--dry-run']);
    log(`control install (peer 5.53.0): exit ${run.status} in ${run.seconds.toFixed(1)}s`);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('ERESOLVE');
    expect(run.output).toContain(`Found: @strapi/strapi@${appDependencies()['@strapi/strapi']}`);
    expect(run.output).toContain('peer @strapi/strapi@"5.53.0" from strapi-plugin-privacy-centre');
  });
});

describe('a Strapi 5 app that installs the tarball with npm', () => {
  let appDir: string;
  let app: StartedApp | undefined;

  beforeAll(async () => {
    appDir = path.join(temp, 'app');
    writeApp(appDir, packed.tarball);
    const install = await npmInstall(appDir);
    log(`npm ${INSTALL_ARGS.join(' ')}: exit ${install.status} in ${install.seconds.toFixed(1)}s`);
    if (install.status !== 0) throw new Error(`npm install failed (exit ${install.status}):\n${install.output}`);
    log(`better-sqlite3 addon: ${await reuseSqliteAddon(appDir)}`);
    const started = Date.now();
    app = await startApp(appDir);
    log(`strapi start answered /_health in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });
  afterAll(async () => {
    const started = Date.now();
    await app?.stop();
    log(`strapi stopped in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  it('has the plugin from the tarball in node_modules, next to the app’s own Strapi', () => {
    const installed = JSON.parse(
      fs.readFileSync(path.join(appDir, 'node_modules', 'strapi-plugin-privacy-centre', 'package.json'), 'utf8')
    );
    // The peer is a caret range on 5.x (this release and any later 5.x, never 6), as in the source.
    const peer = installed.peerDependencies['@strapi/strapi'];
    expect(peer).toMatch(/^\^5\.\d+\.\d+$/);
    expect(peer).toBe(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).peerDependencies['@strapi/strapi']);
    // Installed as a package, not linked to this repository.
    expect(fs.lstatSync(path.join(appDir, 'node_modules', 'strapi-plugin-privacy-centre')).isSymbolicLink()).toBe(false);
    // One Strapi, the app's: the peer did not bring a second copy.
    const lock = JSON.parse(fs.readFileSync(path.join(appDir, 'package-lock.json'), 'utf8'));
    const strapis = Object.keys(lock.packages).filter((key) => key.endsWith('node_modules/@strapi/strapi'));
    expect(strapis).toEqual(['node_modules/@strapi/strapi']);
    expect(lock.packages['node_modules/@strapi/strapi'].version).toBe(appDependencies()['@strapi/strapi']);
  });

  it('loads the plugin, found in node_modules by its package name', () => {
    // Written by the app's src/index.js bootstrap.
    const report = JSON.parse(fs.readFileSync(path.join(appDir, 'install-check.json'), 'utf8'));
    expect(report.loaded).toBe(true);
    expect(report.contentTypes).toEqual(expect.arrayContaining(['policy-version']));
    expect(report.packageJson).toBe(
      path.join(fs.realpathSync(appDir), 'node_modules', 'strapi-plugin-privacy-centre', 'package.json')
    );
    expect(report.strapiVersion).toBe(appDependencies()['@strapi/strapi']);
  });

  it('answers its public route with its own 404 for a policy never published', async () => {
    const res = await fetch(`${app!.url}/api/privacy-centre/policies/privacy-policy/current`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error?: unknown };
    expect(body.error).toMatchObject({ status: 404, message: 'No policy "privacy-policy" has been published' });
  });

  it('gives frontends its client and cookieconsent adapter, by require() and by import()', () => {
    // Run by the app's Node from the app's folder: resolved through the package's `exports`.
    const script = (load: string) => `${load}
const pc = client.createPrivacyCentre({ url: ${JSON.stringify(app!.url)} });
pc.policies.current('privacy-policy').then(
  () => console.log('unexpected answer'),
  (error) => console.log(JSON.stringify({ error: error instanceof client.PrivacyCentreError, status: error.status, name: error.name, adapter: typeof adapter.connectCookieConsent }))
);`;
    const runs = {
      require: spawnSync(process.execPath, ['-e', script("const client = require('strapi-plugin-privacy-centre/client'); const adapter = require('strapi-plugin-privacy-centre/cookieconsent');")], { cwd: appDir, encoding: 'utf8' }),
      import: spawnSync(process.execPath, ['--input-type=module', '-e', script("const client = await import('strapi-plugin-privacy-centre/client'); const adapter = await import('strapi-plugin-privacy-centre/cookieconsent');")], { cwd: appDir, encoding: 'utf8' }),
    };
    for (const run of Object.values(runs)) {
      expect({ stderr: run.stderr, answer: JSON.parse(run.stdout || 'null') }).toEqual({
        stderr: '',
        answer: { error: true, status: 404, name: 'NotFoundError', adapter: 'function' },
      });
    }
  });

  it('guards its admin route: 401 without a login', async () => {
    const res = await fetch(`${app!.url}/privacy-centre/settings`);
    expect(res.status).toBe(401);
  });

  it('serves the app’s favicon (tests/app/favicon.png, copied as a real app has one)', async () => {
    const res = await fetch(`${app!.url}/favicon.ico`);
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(fs.readFileSync(FAVICON))).toBe(true);
    expect(body.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // PNG signature
  });
});
