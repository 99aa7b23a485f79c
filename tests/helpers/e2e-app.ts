/**
 * Runs tests/app the way a site runs Strapi: `strapi start` in a child process, serving the
 * built admin panel, on a fresh SQLite file and a free port. The browser tests drive it.
 *
 * Builds are slow (the admin panel takes about a minute), so they happen only when needed:
 *   - the plugin (`strapi-plugin build` at the repo root) when dist/ is missing or older than
 *     its sources, because tests/app loads the plugin from dist/;
 *   - the admin panel (`strapi build` in tests/app) when dist/build/index.html is missing or
 *     older than the plugin's admin bundle or tests/app/src/admin;
 *   - E2E_REBUILD=1 forces both.
 * The app's TypeScript (config, src) is compiled on every start: it takes seconds, and a stale
 * dist/config would test a configuration that no longer exists.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const APP_DIR = path.join(REPO_ROOT, 'tests', 'app');
/** Where Strapi 5 writes the admin build of a TypeScript app: `<outDir>/build`. */
export const ADMIN_INDEX = path.join(APP_DIR, 'dist', 'build', 'index.html');

const STRAPI_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'strapi');
const STRAPI_PLUGIN_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'strapi-plugin');
const ADMIN_PEER_DEPS = ['react', 'react-dom', 'react-router-dom', 'styled-components'];

export interface RunningApp {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Newest modification time of the files under `paths` (0 when none exist). */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (entry: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(entry);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  paths.forEach(visit);
  return newest;
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function runOrThrow(title: string, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    throw new Error(`${title} failed (exit ${result.status}) after ${seconds}s:\n${result.stdout}\n${result.stderr}`);
  }
  // Timings are part of what the e2e run reports (the admin build dominates it).
  console.log(`[e2e] ${title}: ${seconds}s`);
}

function ensurePluginBuilt(force: boolean) {
  const sources = ['admin/src', 'server/src', 'content-types', 'strapi-admin.ts', 'strapi-server.ts', 'package.json'].map(
    (p) => path.join(REPO_ROOT, p)
  );
  const outputs = ['dist/admin/index.js', 'dist/admin/index.mjs', 'dist/server/index.js'].map((p) => path.join(REPO_ROOT, p));
  const oldestOutput = Math.min(...outputs.map(mtime));
  if (!force && oldestOutput > 0 && oldestOutput >= newestMtime(sources)) return;
  runOrThrow('plugin build (strapi-plugin build)', STRAPI_PLUGIN_BIN, ['build'], REPO_ROOT);
}

function ensureAdminBuilt(force: boolean) {
  const built = mtime(ADMIN_INDEX);
  const inputs = newestMtime([path.join(REPO_ROOT, 'dist', 'admin'), path.join(APP_DIR, 'src', 'admin')]);
  if (!force && built > 0 && built >= inputs) return false;

  // `strapi build` refuses to run unless the app's package.json declares the admin's peer
  // dependencies (react, react-dom, react-router-dom, styled-components). tests/app resolves
  // them from the repo root's node_modules, so until its package.json declares them we skip
  // that check with Strapi's own switch; once they are declared the check runs again.
  const appPkg = JSON.parse(fs.readFileSync(path.join(APP_DIR, 'package.json'), 'utf8'));
  const declared = { ...appPkg.dependencies, ...appPkg.devDependencies };
  const skipCheck = ADMIN_PEER_DEPS.some((name) => !declared[name]);
  runOrThrow('admin build (strapi build)', STRAPI_BIN, ['build'], APP_DIR, {
    ...(skipCheck ? { USE_EXPERIMENTAL_DEPENDENCIES: 'true' } : {}),
    // The build must not pick up a NODE_ENV=test from jest.
    NODE_ENV: 'production',
  });
  return true;
}

function compileApp() {
  runOrThrow(
    'app compile (compileStrapi)',
    process.execPath,
    ['-e', `require('@strapi/strapi').compileStrapi({ appDir: ${JSON.stringify(APP_DIR)} })`],
    REPO_ROOT
  );
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

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`strapi start exited (${child.exitCode ?? child.signalCode}) before answering:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/_health`);
      if (response.status === 204) return;
    } catch {
      /* not listening yet */
    }
    await sleep(250);
  }
  throw new Error(`strapi start did not answer /_health with 204 within ${timeoutMs / 1000}s:\n${output()}`);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startApp(): Promise<RunningApp> {
  const force = process.env.E2E_REBUILD === '1';
  ensurePluginBuilt(force);
  if (!ensureAdminBuilt(force)) compileApp(); // `strapi build` compiles the app too

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-centre-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';

  const started = Date.now();
  const child = spawn(STRAPI_BIN, ['start'], {
    cwd: APP_DIR,
    // Its own process group, so stop() can end Strapi and anything it spawned in one signal.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: path.join(tmpDir, 'data.db'),
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      // As a deployed site runs (not jest's NODE_ENV=test). Strapi 5.54 marks the admin's
      // refresh cookie Secure only for https requests, so plain http on 127.0.0.1 works.
      NODE_ENV: 'production',
      STRAPI_TELEMETRY_DISABLED: 'true',
      BROWSER: 'none',
    },
  });
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      if (!(await waitForExit(child, 10000))) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await waitForExit(child, 5000);
      }
    }
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  try {
    await waitForHealth(url, child, () => log, 180000);
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(`[e2e] strapi start: ${((Date.now() - started) / 1000).toFixed(1)}s to /_health on ${url}`);
  return { url, output: () => log, stop };
}
