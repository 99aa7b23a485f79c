/**
 * Builds and runs tests/app the way a site runs Strapi (`strapi start`, built admin), for the
 * demo (scripts/demo.js) and the browser tests (tests/helpers/e2e-app.ts).
 *
 * Builds are slow (the admin panel takes about a minute), so they run only when their inputs
 * changed, judged by content digests: the plugin (`strapi-plugin build`) and the admin panel
 * (`strapi build` in tests/app). `force` rebuilds both.
 */
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const APP_DIR = path.resolve(__dirname, '..');
const ADMIN_INDEX = path.join(APP_DIR, 'dist', 'build', 'index.html');
const STRAPI_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'strapi');
const STRAPI_PLUGIN_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'strapi-plugin');

/**
 * A digest of the files under `paths` (names and contents). Builds are matched to their inputs
 * by content, not by time: a checkout, a copy or another build can leave newer files behind.
 */
function digest(paths) {
  const hash = crypto.createHash('sha256');
  const visit = (entry) => {
    let stat;
    try {
      stat = fs.statSync(entry);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const child of fs.readdirSync(entry).sort()) visit(path.join(entry, child));
    else hash.update(path.relative(REPO_ROOT, entry)).update('\0').update(fs.readFileSync(entry)).update('\0');
  };
  paths.forEach(visit);
  return hash.digest('hex');
}

const readStamp = (file) => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
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

/** Digests of the last builds, outside dist/ (which is what npm publishes). */
const STAMPS = path.join(REPO_ROOT, 'node_modules', '.cache', 'privacy-centre');

/** The plugin's build (tests/app loads the plugin from dist/), unless dist/ matches the sources. */
const PLUGIN_SOURCES = ['admin/src', 'server/src', 'content-types', 'strapi-admin.ts', 'strapi-server.ts', 'package.json'];
const pluginSourceDigest = () => digest(PLUGIN_SOURCES.map((p) => path.join(REPO_ROOT, p)));
const pluginDistDigest = () => digest(['admin', 'server', 'client', 'cookieconsent'].map((bundle) => path.join(REPO_ROOT, 'dist', bundle)));
const PLUGIN_STAMP = path.join(STAMPS, 'plugin');

/**
 * Says that dist/ is the build of the sources as they are (`sourceDigest`: taken before the
 * build began), so that ensurePluginBuilt does not build it again: tests/run.js builds the plugin
 * itself, beside the type checks, then records it.
 */
function recordPluginBuild(sourceDigest = pluginSourceDigest()) {
  fs.mkdirSync(STAMPS, { recursive: true });
  fs.writeFileSync(PLUGIN_STAMP, `${sourceDigest} ${pluginDistDigest()}\n`);
}

function ensurePluginBuilt({ force = false, log } = {}) {
  if (!force && readStamp(PLUGIN_STAMP) === `${pluginSourceDigest()} ${pluginDistDigest()}`) return false;
  const before = pluginSourceDigest();
  runOrThrow('plugin build (strapi-plugin build)', STRAPI_PLUGIN_BIN, ['build'], REPO_ROOT, {}, log);
  recordPluginBuild(before);
  return true;
}

/** Compiles the app's TypeScript (config, src) into tests/app/dist. */
function compileApp({ log } = {}) {
  runOrThrow('app compile', process.execPath, ['-e', `require('@strapi/strapi').compileStrapi({ appDir: ${JSON.stringify(APP_DIR)} })`], REPO_ROOT, {}, log);
}

/**
 * Strapi leaves a local plugin out of the admin build without a word when its `resolve` path
 * has no package.json: say so rather than let a browser look for a menu entry in vain.
 */
function assertPluginInAdminBuild() {
  const entry = path.join(APP_DIR, '.strapi', 'client', 'app.js');
  const source = fs.existsSync(entry) ? fs.readFileSync(entry, 'utf8') : '';
  if (!source.includes('"privacy-centre"')) {
    throw new Error(
      `The admin build of ${APP_DIR} does not include the privacy-centre plugin (${entry} does not import it): ` +
        'check `resolve` in tests/app/config/plugins.ts, which `strapi build` reads from config/, not dist/config.'
    );
  }
}

/**
 * The app's admin panel (`strapi build`, which also compiles the app), unless it was built from
 * the current plugin admin bundle and app admin config; otherwise just compiles the app, since
 * a stale dist/config would run a configuration that no longer exists.
 */
function ensureAdminBuilt({ force = false, log } = {}) {
  const want = digest(
    [path.join(REPO_ROOT, 'dist', 'admin')].concat(
      // plugins.ts decides which plugins the admin build bundles.
      ['src/admin', 'package.json', 'config/plugins.ts'].map((p) => path.join(APP_DIR, p))
    )
  );
  // Inside dist/build, so any other `strapi build` (which empties it) drops the stamp.
  const stamp = path.join(path.dirname(ADMIN_INDEX), '.inputs');
  let built = false;
  if (force || readStamp(stamp) !== want || !fs.existsSync(ADMIN_INDEX)) {
    // NODE_ENV=production: the build must not pick up jest's NODE_ENV=test.
    runOrThrow('admin build (strapi build)', STRAPI_BIN, ['build'], APP_DIR, { NODE_ENV: 'production' }, log);
    fs.writeFileSync(stamp, `${want}\n`);
    built = true;
  } else {
    compileApp({ log });
  }
  assertPluginInAdminBuild();
  return built;
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

/** The demo's trusted location headers, as behind Cloudflare: the demo prints curls that set them. */
const DEMO_REGIONS = { countryHeaders: ['CF-IPCountry'], regionHeaders: ['CF-Region-Code'] };

module.exports = { DEMO_REGIONS, REPO_ROOT, APP_DIR, ADMIN_INDEX, ensurePluginBuilt, recordPluginBuild, pluginSourceDigest, compileApp, ensureAdminBuilt, freePort, startApp };
