/**
 * A separate Strapi 5 app in a temporary folder that installs the plugin the way a user does:
 * from the tarball `npm pack` makes, with a plain `npm install`, found in node_modules by its
 * package name (no `resolve` in config/plugins.js). tests/install/packed-tarball.test.ts drives it.
 *
 * The app is plain JavaScript (tests/install/app-template: config/*.js and src/index.js) plus a
 * package.json written here with the versions this repository uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const TEMPLATE = path.join(__dirname, 'app-template');
/** tests/app's favicon: a real app has one at its root (strapi::favicon serves it). */
export const FAVICON = path.join(REPO_ROOT, 'tests', 'app', 'favicon.png');

const repoPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
const repoVersion = (name: string): string => {
  const version = repoPackage.devDependencies?.[name] ?? repoPackage.dependencies?.[name];
  if (!version) throw new Error(`${name} is not in the repository's package.json`);
  return version;
};

/** What a Strapi 5 app created by create-strapi-app depends on, at this repository's versions. */
export const appDependencies = (): Record<string, string> =>
  Object.fromEntries(
    [
      '@strapi/strapi',
      '@strapi/plugin-users-permissions',
      'better-sqlite3',
      'react',
      'react-dom',
      'react-router-dom',
      'styled-components',
    ].map((name) => [name, repoVersion(name)])
  );

/**
 * The app's folder, outside the repository. In /dev/shm when it is a memory file system with
 * room to spare (the installed app is about 1.1 GB in 90,000 files): measured here, that takes
 * about a minute off writing them and half a minute off deleting them. Otherwise os.tmpdir()
 * (a container's /dev/shm is often 64 MB; and a `noexec` one could not load better-sqlite3).
 */
export function makeTempDir(): string {
  const prefix = 'privacy-centre-install-';
  try {
    const mount = fs
      .readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, target]) => target === '/dev/shm')
      .pop();
    const shm = fs.statfsSync('/dev/shm');
    if (mount && mount[2] === 'tmpfs' && !mount[3].split(',').includes('noexec') && shm.bavail * shm.bsize > 4 * 1024 ** 3) {
      return fs.mkdtempSync(path.join('/dev/shm', prefix));
    }
  } catch {
    /* no /dev/shm, or not Linux */
  }
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The environment for npm: this process's, without the `npm_*` variables that `npm test` passes
 * down (an `npm test --legacy-peer-deps` would otherwise reach the install as
 * npm_config_legacy_peer_deps), keeping only where the cache, config files and registry are.
 */
export function npmEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry']);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keep.has(key.toLowerCase())) continue;
    env[key] = value;
  }
  delete env.NODE_ENV; // jest's NODE_ENV=test is no business of npm's
  return env;
}

export interface Run {
  status: number | null;
  /** stdout and stderr, interleaved as they came */
  output: string;
  stdout: string;
  seconds: number;
}

/** Runs a command to its end, collecting stdout and stderr together. */
export function runCommand(command: string, args: string[], cwd: string, env = npmEnv()): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, output, stdout, seconds: (Date.now() - started) / 1000 }));
  });
}

export interface Packed {
  tarball: string;
  files: string[];
}

/** `npm pack` of the repository (its built dist/) into `destination`. */
export async function packPlugin(destination: string): Promise<Packed> {
  for (const entry of ['dist/server/index.js', 'dist/admin/index.mjs']) {
    if (!fs.existsSync(path.join(REPO_ROOT, entry))) {
      throw new Error(`${entry} is missing: build the plugin first (npx strapi-plugin build, or npm test)`);
    }
  }
  const run = await runCommand('npm', ['pack', '--json', '--pack-destination', destination], REPO_ROOT);
  if (run.status !== 0) throw new Error(`npm pack failed (exit ${run.status}):\n${run.output}`);
  const [report] = JSON.parse(run.stdout);
  return { tarball: path.join(destination, report.filename), files: report.files.map((f: { path: string }) => f.path) };
}

/**
 * A copy of `tarball` whose package.json is changed by `edit`, repacked with tar (as npm lays a
 * tarball out: everything under `package/`).
 */
export async function repackWith(tarball: string, destination: string, edit: (pkg: any) => void): Promise<string> {
  const work = fs.mkdtempSync(path.join(destination, 'repack-'));
  const untar = await runCommand('tar', ['-xzf', tarball, '-C', work], work);
  if (untar.status !== 0) throw new Error(`tar -x failed:\n${untar.output}`);
  const manifest = path.join(work, 'package', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  edit(pkg);
  fs.writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
  const out = path.join(destination, `edited-${path.basename(tarball)}`);
  const tar = await runCommand('tar', ['-czf', out, '-C', work, 'package'], work);
  if (tar.status !== 0) throw new Error(`tar -c failed:\n${tar.output}`);
  return out;
}

/** Writes the app (template, package.json depending on the tarball, favicon) into `appDir`. */
export function writeApp(appDir: string, tarball: string): void {
  fs.cpSync(TEMPLATE, appDir, { recursive: true });
  // Strapi's upload plugin refuses to start without public/uploads.
  fs.mkdirSync(path.join(appDir, 'public', 'uploads'), { recursive: true });
  fs.copyFileSync(FAVICON, path.join(appDir, 'favicon.png'));
  const pkg = {
    name: 'privacy-centre-install-check',
    private: true,
    version: '0.0.0',
    scripts: { start: 'strapi start' },
    dependencies: { ...appDependencies(), 'strapi-plugin-privacy-centre': `file:${tarball}` },
    strapi: { uuid: false, telemetryDisabled: true },
  };
  fs.writeFileSync(path.join(appDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * The install. Flags, none of which touches peer-dependency resolution:
 * - `--prefer-offline`: tarballs and metadata from ~/.npm when there (`npm ci` filled it), the
 *   registry only for what is missing. (`--offline` does not work: `npm ci` caches tarballs, not
 *   the registry's package documents that a lockfile-less install resolves versions from.)
 * - `--no-audit --no-fund`: no advisory or funding look-ups.
 * - `--ignore-scripts`: see reuseSqliteAddon.
 * Never `--legacy-peer-deps` or `--force`: refusing a conflicting peer is what is tested.
 */
export const INSTALL_ARGS = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'];

export const npmInstall = (appDir: string, extra: string[] = []): Promise<Run> =>
  runCommand('npm', [...INSTALL_ARGS, ...extra], appDir);

/**
 * The install runs with `--ignore-scripts` because better-sqlite3's install script compiles
 * SQLite from source when no prebuilt binary can be downloaded (none can here): that alone takes
 * over two minutes on two cores. The other install scripts it skips are not needed to run
 * `strapi start` on a JavaScript app (esbuild's and @swc/core's binary checks, core-js-pure's
 * banner). In their place this copies the one compiled file, build/Release/better_sqlite3.node,
 * from the repository's own node_modules, which the same Node built from the same better-sqlite3
 * version; when the versions differ (or the repository's build is missing) it compiles instead.
 * Either way npm's dependency resolution, peers included, is untouched.
 */
export async function reuseSqliteAddon(appDir: string): Promise<'copied' | 'compiled'> {
  const addon = path.join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const version = (root: string) =>
    JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version;
  const source = path.join(REPO_ROOT, addon);
  if (fs.existsSync(source) && version(REPO_ROOT) === version(appDir)) {
    fs.mkdirSync(path.dirname(path.join(appDir, addon)), { recursive: true });
    fs.copyFileSync(source, path.join(appDir, addon));
    return 'copied';
  }
  const rebuild = await runCommand('npm', ['rebuild', 'better-sqlite3'], appDir);
  if (rebuild.status !== 0) throw new Error(`npm rebuild better-sqlite3 failed:\n${rebuild.output}`);
  return 'compiled';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface StartedApp {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `strapi start` with the app's own Strapi (its node_modules/.bin), in its own process group,
 * on a free port; resolves when /_health answers.
 */
export async function startApp(appDir: string, timeoutMs = 180000): Promise<StartedApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(path.join(appDir, 'node_modules', '.bin', 'strapi'), ['start'], {
    cwd: appDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...npmEnv(),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      STRAPI_TELEMETRY_DISABLED: 'true',
      BROWSER: 'none',
    },
  });
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));

  const stop = async () => {
    if (exited(child) || !child.pid) return;
    for (const [signal, wait] of [
      ['SIGTERM', 10000],
      ['SIGKILL', 5000],
    ] as const) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        return; // the group is gone
      }
      if (await waitForExit(child, wait)) return;
    }
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited(child)) throw new Error(`strapi start exited (${child.exitCode ?? child.signalCode}) before answering:\n${log}`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`strapi start did not answer /_health within ${timeoutMs / 1000}s:\n${log}`);
    }
    await sleep(250);
  }
  return { url, output: () => log, stop };
}
