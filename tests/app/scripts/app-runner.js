/**
 * Builds and runs tests/app the way a site runs Strapi (`strapi start`, built admin), for the
 * demo (scripts/demo.js) and the browser tests (tests/helpers/e2e-app.ts).
 *
 * Builds are slow (the admin panel takes about a minute), so they run only when needed:
 *   - the plugin (`strapi-plugin build` at the repo root) when dist/ is missing or older than
 *     its sources, because tests/app loads the plugin from dist/;
 *   - the admin panel (`strapi build` in tests/app) when dist/build/index.html is missing or
 *     older than the plugin's admin bundle;
 *   - `force` rebuilds both.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const APP_DIR = path.resolve(__dirname, '..');
const ADMIN_INDEX = path.join(APP_DIR, 'dist', 'build', 'index.html');
const STRAPI_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'strapi');
const STRAPI_PLUGIN_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'strapi-plugin');

function newestMtime(paths) {
  let newest = 0;
  const visit = (entry) => {
    let stat;
    try {
      stat = fs.statSync(entry);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

function runOrThrow(title, command, args, cwd, env = {}, log = console.log) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    throw new Error(`${title} failed (exit ${result.status}) after ${seconds}s:\n${result.stdout}\n${result.stderr}`);
  }
  log(`${title}: ${seconds}s`);
}

function ensurePluginBuilt({ force = false, log } = {}) {
  const sources = ['admin/src', 'server/src', 'content-types', 'strapi-admin.ts', 'strapi-server.ts', 'package.json'].map((p) =>
    path.join(REPO_ROOT, p)
  );
  const outputs = ['dist/admin/index.js', 'dist/admin/index.mjs', 'dist/server/index.js'].map((p) => path.join(REPO_ROOT, p));
  const oldestOutput = Math.min(...outputs.map(mtime));
  if (!force && oldestOutput > 0 && oldestOutput >= newestMtime(sources)) return false;
  runOrThrow('plugin build (strapi-plugin build)', STRAPI_PLUGIN_BIN, ['build'], REPO_ROOT, {}, log);
  return true;
}

/** Compiles the app's TypeScript (config, src) into tests/app/dist. */
function compileApp({ log } = {}) {
  runOrThrow('app compile', process.execPath, ['-e', `require('@strapi/strapi').compileStrapi({ appDir: ${JSON.stringify(APP_DIR)} })`], REPO_ROOT, {}, log);
}

/** Builds the admin panel when needed; `strapi build` also compiles the app's TypeScript. */
function ensureAdminBuilt({ force = false, log } = {}) {
  const built = mtime(ADMIN_INDEX);
  const inputs = newestMtime([path.join(REPO_ROOT, 'dist', 'admin'), path.join(APP_DIR, 'src', 'admin')]);
  if (!force && built > 0 && built >= inputs) {
    // The app's config and src compile in seconds; a stale dist/config would run an old config.
    compileApp({ log });
    return false;
  }
  // NODE_ENV=production: the build must not pick up jest's NODE_ENV=test.
  runOrThrow('admin build (strapi build)', STRAPI_BIN, ['build'], APP_DIR, { NODE_ENV: 'production' }, log);
  return true;
}

function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts `strapi start` in tests/app as a child process (own process group) and waits for
 * /_health. `env` adds to the environment (database, port, …); `onOutput` sees every chunk.
 */
async function startApp({ env = {}, host = '127.0.0.1', port, onOutput, timeoutMs = 180000 } = {}) {
  const listenPort = port || (await freePort(host));
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${listenPort}`;
  let log = '';
  const child = spawn(STRAPI_BIN, ['start'], {
    cwd: APP_DIR,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOST: host,
      PORT: String(listenPort),
      PUBLIC_URL: process.env.PUBLIC_URL || url,
      NODE_ENV: process.env.NODE_ENV === 'test' || !process.env.NODE_ENV ? 'production' : process.env.NODE_ENV,
      STRAPI_TELEMETRY_DISABLED: 'true',
      BROWSER: 'none',
      ...env,
    },
  });
  const collect = (chunk) => {
    log += chunk;
    if (onOutput) onOutput(String(chunk));
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

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
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`strapi start exited (${child.exitCode ?? child.signalCode}) before answering:\n${log}`);
    }
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
  return { url, child, output: () => log, stop };
}

module.exports = { REPO_ROOT, APP_DIR, ADMIN_INDEX, ensurePluginBuilt, compileApp, ensureAdminBuilt, freePort, startApp };
