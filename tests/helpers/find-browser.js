/**
 * Finds a Chromium or Chrome for the browser e2e tests (playwright-core downloads none), where
 * people have one, in this order:
 *   1. CHROMIUM_PATH: when set, it is the answer; a path that is not an executable file is
 *      reported, never replaced by another browser (whoever set it meant that one);
 *   2. an installed browser: `chromium`, `chromium-browser`, `google-chrome-stable`,
 *      `google-chrome` on PATH (Linux), then the usual install locations of Linux (snap, /opt),
 *      macOS (/Applications, ~/Applications) and Windows (Program Files, LOCALAPPDATA);
 *   3. Playwright's own browser cache (PLAYWRIGHT_BROWSERS_PATH, else ~/.cache/ms-playwright,
 *      ~/Library/Caches/ms-playwright or %LOCALAPPDATA%\ms-playwright), preferring the revision
 *      the installed playwright-core drives.
 * Used by tests/run.js (to run or skip the browser stage) and tests/helpers/e2e-browser.ts.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const HOW_TO_GET_ONE =
  'install Chromium or Chrome (Debian/Ubuntu: apt-get install chromium; any system: npx playwright-core install chromium) or set CHROMIUM_PATH';

const defaultFs = {
  isExecutable(file, platform) {
    try {
      if (!fs.statSync(file).isFile()) return false;
      if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
};

const playwrightDir = () => path.dirname(require.resolve('playwright-core/package.json'));

/** The revision of Chromium that the installed playwright-core drives, if known. */
function playwrightRevision() {
  try {
    // Not among the package's exports: read as a file.
    const { browsers } = JSON.parse(fs.readFileSync(path.join(playwrightDir(), 'browsers.json'), 'utf8'));
    return browsers.find((b) => b.name === 'chromium')?.revision ?? null;
  } catch {
    return null;
  }
}

/** Paths of the platform described, whatever this machine is (tests describe others). */
const pathOf = (platform) => (platform === 'win32' ? path.win32 : path.posix);

function playwrightCache(env, platform, home) {
  const p = pathOf(platform);
  const configured = env.PLAYWRIGHT_BROWSERS_PATH;
  // "0" means browsers kept inside the playwright-core package (Playwright's own convention).
  if (configured === '0') {
    try {
      return path.join(playwrightDir(), '.local-browsers');
    } catch {
      return null;
    }
  }
  if (configured) return p.resolve(configured);
  if (platform === 'darwin') return p.join(home, 'Library', 'Caches', 'ms-playwright');
  if (platform === 'win32') return p.join(env.LOCALAPPDATA || p.join(home, 'AppData', 'Local'), 'ms-playwright');
  return p.join(env.XDG_CACHE_HOME || p.join(home, '.cache'), 'ms-playwright');
}

/** Executables inside one `chromium-<revision>` directory: the layouts of older and newer Playwright releases. */
function playwrightExecutables(dir, platform) {
  const { join } = pathOf(platform);
  if (platform === 'darwin') {
    return [
      join(dir, 'chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
      ...['chrome-mac-arm64', 'chrome-mac-x64'].map((d) => join(dir, d, 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing')),
    ];
  }
  if (platform === 'win32') return [join(dir, 'chrome-win', 'chrome.exe'), join(dir, 'chrome-win64', 'chrome.exe')];
  return [join(dir, 'chrome-linux', 'chrome'), join(dir, 'chrome-linux64', 'chrome')];
}

/** Where an installed browser usually is, per platform, in order of preference. */
function installedLocations(env, platform, home) {
  if (platform === 'darwin') {
    const apps = [
      ['Google Chrome.app', 'Google Chrome'],
      ['Chromium.app', 'Chromium'],
    ];
    return ['/Applications', path.posix.join(home, 'Applications')].flatMap((root) =>
      apps.map(([app, binary]) => path.posix.join(root, app, 'Contents', 'MacOS', binary))
    );
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean);
    return roots.flatMap((root) => [
      path.win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.win32.join(root, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
  const onPath = (env.PATH || '').split(path.posix.delimiter).filter(Boolean);
  return [
    ...onPath.flatMap((dir) => names.map((name) => path.posix.join(dir, name))),
    // Not always on PATH: snap's bin directory is missing under sudo and in services.
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
  ];
}

/**
 * `{ path, source }` for the browser to use, or `{ path: null, reason }` saying what is wrong and
 * how to get one. `env`, `platform`, `home` and `fsLike` are arguments so that a test can
 * describe any machine.
 */
function findBrowser({ env = process.env, platform = process.platform, home, fsLike = defaultFs } = {}) {
  const homeDir = home || (platform === 'win32' ? env.USERPROFILE : env.HOME) || os.homedir();
  if (env.CHROMIUM_PATH) {
    if (fsLike.isExecutable(env.CHROMIUM_PATH, platform)) return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
    return { path: null, reason: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file: point it at a Chromium or Chrome, or unset it` };
  }
  for (const file of installedLocations(env, platform, homeDir)) {
    if (fsLike.isExecutable(file, platform)) return { path: file, source: 'installed' };
  }
  const cache = playwrightCache(env, platform, homeDir);
  if (cache) {
    const wanted = playwrightRevision();
    const revisions = fsLike
      .list(cache)
      .map((name) => /^chromium-(\d+)$/.exec(name)?.[1])
      .filter(Boolean)
      // The revision playwright-core drives first, then the newest.
      .sort((a, b) => (b === wanted) - (a === wanted) || Number(b) - Number(a));
    for (const revision of revisions) {
      for (const file of playwrightExecutables(pathOf(platform).join(cache, `chromium-${revision}`), platform)) {
        if (fsLike.isExecutable(file, platform)) return { path: file, source: 'playwright' };
      }
    }
  }
  return { path: null, reason: `no Chromium or Chrome found (CHROMIUM_PATH, PATH, the usual install paths, Playwright's cache): ${HOW_TO_GET_ONE}` };
}

module.exports = { findBrowser, playwrightRevision, HOW_TO_GET_ONE };
